"""The print map (matplotlib): basemap, symbols, page layout, fonts."""
