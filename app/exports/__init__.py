"""Table files as people download them (no Streamlit: shared with the command line)."""
