"""Pure data and spatial logic for border-events-map (never imports streamlit)."""
