"""The Streamlit shell: pages, widgets, caching and session state. Only this package imports streamlit."""
