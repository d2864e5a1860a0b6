"""One module per map layer; ``components.map_builder`` puts them together."""
