"""The Folium web map: layers, legend, popups, time slider, assets."""
