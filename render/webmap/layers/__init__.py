"""One module per map layer; ``render.webmap.build`` puts them together."""
