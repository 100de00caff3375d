"""Options shared by every command (``--db`` overrides ``STDEVAL_DB``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        help="Warehouse file (overrides STDEVAL_DB; default var/stdeval.duckdb).",
        dir_okay=False,
    ),
]
