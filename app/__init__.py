"""HOW people touch stdeval: the Streamlit web app and the command line."""
