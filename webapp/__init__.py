"""The Streamlit app: sidebar, figures, map view, tables, uploads, export panel."""
