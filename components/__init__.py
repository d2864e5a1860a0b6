"""Streamlit UI pieces, Folium map builders, exporters and the command line."""
