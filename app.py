"""Streamlit entry point (placeholder until the app issue lands)."""

import streamlit as st

st.title("Border events map")
