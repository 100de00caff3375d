"""The landing folder: the raw bytes of every received file, kept first, named by sha256.

Nothing is read, validated or loaded before the bytes are safely on disk
(DATA_MODEL.md, Operational records), so an upload is never lost even if
everything after it fails. Files are written atomically (temporary file,
fsync, rename): a file named by a sha256 always holds exactly those bytes.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from etl.settings import landing_dir

_SAFE_SUFFIX = re.compile(r"^\.[a-z0-9]{1,8}$")


@dataclass(frozen=True)
class Landed:
    """A received file kept in the landing folder."""

    sha256: str
    path: Path
    size: int
    file_name: str


def sha256_hex(data: bytes) -> str:
    """Return the hex sha256 of ``data``.

    Examples
    --------
    >>> sha256_hex(b"")[:12]
    'e3b0c44298fc'
    """
    return hashlib.sha256(data).hexdigest()


def safe_suffix(file_name: str) -> str:
    """Return the lower-case extension of ``file_name`` if it is a plain one, else ``''``.

    Examples
    --------
    >>> safe_suffix("反馈 2024.XLSX"), safe_suffix("x.c sv"), safe_suffix("noext")
    ('.xlsx', '', '')
    """
    suffix = Path(file_name).suffix.lower()
    return suffix if _SAFE_SUFFIX.match(suffix) else ""


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see either nothing or all of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def landed_path(sha256: str, file_name: str, *, landing: Path | None = None) -> Path:
    """Return where the bytes with ``sha256`` received as ``file_name`` are kept."""
    return (landing or landing_dir()) / f"{sha256}{safe_suffix(file_name)}"


def land(data: bytes, *, file_name: str, landing: Path | None = None) -> Landed:
    """Keep ``data`` in the landing folder under its sha256 (idempotent) and return where.

    Parameters
    ----------
    data
        The file's raw bytes, exactly as received.
    file_name
        The name the user gave it (only its extension is used for the path).
    landing
        The landing folder (default ``STDEVAL_DATA_DIR/landing``).
    """
    digest = sha256_hex(data)
    path = landed_path(digest, file_name, landing=landing)
    if not (path.exists() and path.stat().st_size == len(data)):
        write_atomic(path, data)
    return Landed(digest, path, len(data), file_name)
