"""Files people download: no Streamlit here, so the command line can write the same bytes."""
