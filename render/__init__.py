"""Rendering without Streamlit: symbology, wording, web map, print map, exports."""
