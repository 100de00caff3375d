"""One file per dashboard page, routed by ``app/streamlit_app.py``."""
