"""``stdeval ingest`` on a terminal shows a progress bar per file, stage by stage."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

from tests.etl.fixtures import nasty
from tests.etl.fixtures.warehouse import CODE_A, CODE_B, SITES, build

ROOT = Path(__file__).resolve().parents[2]
HEAD = nasty.FEEDBACK_HEADERS_ZH


def _rows(n: int) -> list[list[str]]:
    rows = []
    for i in range(n):
        site, code = SITES[i % len(SITES)], (CODE_A, CODE_B)[(i // len(SITES)) % 2]
        year, quarter = 2000 + (i // 8) % 26, 1 + (i // 208) % 4
        row = dict.fromkeys(HEAD, "")
        row.update(
            {
                "试点单位编号": site,
                "标准编号": code,
                "报告期": f"{year}Q{quarter}",
                "实施状态": "已完成",
                "实施覆盖率": "80",
                "适用性": "4",
                "可操作性": "4",
                "清晰度": "4",
                "实施效益": "4",
                "满意度": str(1 + i % 5),
            }
        )
        rows.append([row[h] for h in HEAD])
    return rows


def _run_on_a_terminal(args: list[str], env: dict[str, str]) -> str:
    master, slave = pty.openpty()
    proc = subprocess.Popen(args, stdout=slave, stderr=slave, cwd=ROOT, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    assert proc.wait(timeout=300) == 0
    return b"".join(chunks).decode("utf-8", errors="replace")


def test_a_large_file_shows_its_stages_on_a_terminal_and_json_output_stays_clean(
    tmp_path: Path,
) -> None:
    db = build(tmp_path / "w.duckdb")
    path = tmp_path / "反馈.csv"
    path.write_bytes(nasty.csv_bytes([HEAD, *_rows(60_000)], encoding="gb18030"))
    env = {**os.environ, "STDEVAL_DATA_DIR": str(tmp_path / "var"), "COLUMNS": "120"}
    command = [sys.executable, "-m", "app.cli", "ingest", "feedback", str(path), "--db", str(db)]
    shown = _run_on_a_terminal([*command, "--lang", "en"], env)
    # The bar refreshes ten times a second: at least one stage is on screen at a refresh.
    stages = [s for s in ("reading", "validating", "loading") if f"反馈.csv · {s}" in shown]
    assert stages, shown[-2000:]
    assert "loaded" in shown and "60000 rows read" in shown
    # Piped (not a terminal), the same command prints no bar: the JSON lines stay parseable.
    piped = subprocess.run(
        [*command, "--json", "--dry-run"], capture_output=True, text=True, env=env, cwd=ROOT
    )
    assert piped.returncode == 0 and "\x1b[" not in piped.stdout
    assert piped.stdout.count("\n") == 1
