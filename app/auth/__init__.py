"""Accounts, sign-in and roles (issue 13).

Nothing in this package imports Streamlit except :mod:`app.auth.session`
(the one reader of the signed-in user) so that the command line
(``stdeval users``) can use the rest.
"""
