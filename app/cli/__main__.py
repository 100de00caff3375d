"""``python -m app.cli`` runs the ``stdeval`` command line."""

from app.cli import main

main()
