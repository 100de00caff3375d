"""The dashboard server: the Streamlit app plus the session-cookie routes.

``stdeval serve`` runs ``streamlit run app/server.py``; Streamlit finds the
``st.App`` below and serves :mod:`app.streamlit_app` with the extra routes
of :mod:`app.auth.routes` (a Streamlit script cannot set cookies itself).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from app.auth.routes import auth_routes

app = st.App(Path(__file__).resolve().parent / "streamlit_app.py", routes=auth_routes())
