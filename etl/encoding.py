"""Tell what a received file is and decode text files to UTF-8.

Pilot sites save CSVs from Excel in whatever their office uses: UTF-8, UTF-8
with a BOM, GBK or GB18030 (a superset of GBK), sometimes UTF-16 "Unicode
text". The order of attempts is fixed (issue 3, item 1): a BOM if there is
one, then strict UTF-8, then GB18030, then a detector; anything else is
refused with a one-line reason saying how to save the file instead.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from etl.refusal import FileRefused

#: Leading bytes of formats that are certainly not a CSV (a PNG renamed
#: ``.csv`` is refused before any decoding is attempted).
_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG 图片", "PNG image"),
    (b"\xff\xd8\xff", "JPEG 图片", "JPEG image"),
    (b"GIF87a", "GIF 图片", "GIF image"),
    (b"GIF89a", "GIF 图片", "GIF image"),
    (b"%PDF", "PDF 文档", "PDF document"),
    (b"\x1f\x8b", "gzip 压缩包", "gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip 压缩包", "7-Zip archive"),
    (b"Rar!", "RAR 压缩包", "RAR archive"),
    (b"\x7fELF", "程序文件", "program"),
    (b"{\\rtf", "RTF 文档", "RTF document"),
)

ZIP_MAGIC = b"PK\x03\x04"
#: Legacy Office (OLE2) compound files: ``.xls`` workbooks (or ``.doc``).
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Control characters other than tab, LF and CR never occur in a real CSV.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

_SAVE_AS_ZH = "请在 Excel 中“另存为”CSV UTF-8（逗号分隔）或 Excel 工作簿（.xlsx）后重新上传"
_SAVE_AS_EN = "save it from Excel as “CSV UTF-8 (comma delimited)” or as an Excel workbook (.xlsx) and upload again"


@dataclass(frozen=True)
class Decoded:
    """A text file re-encoded as UTF-8 (no BOM), with the encoding it was read in."""

    utf8: bytes
    encoding: str


def sniff_binary(data: bytes) -> str | None:
    """Return the (English) name of a non-text format recognised by its first bytes, else ``None``.

    Examples
    --------
    >>> sniff_binary(b"\\x89PNG\\r\\n\\x1a\\n....")
    'PNG image'
    >>> sniff_binary("标准编号,状态".encode("gbk")) is None
    True
    """
    found = _sniff(data)
    return found[1] if found else None


def _sniff(data: bytes) -> tuple[str, str] | None:
    for magic, zh, en in _MAGIC:
        if data.startswith(magic):
            return zh, en
    return None


_BINARY = ("二进制文件", "binary file")


def _refuse_binary(what: tuple[str, str]) -> FileRefused:
    return FileRefused(
        f"这不是 CSV 或 Excel 文件（看起来是{what[0]}），{_SAVE_AS_ZH}",
        f"this is not a CSV or Excel file (it looks like a {what[1]}); {_SAVE_AS_EN}",
        rule="not_tabular",
    )


def _looks_binary(text: str) -> bool:
    sample = text[:65536]
    if not sample:
        return False
    bad = len(_CONTROL.findall(sample))
    return bad > max(2, len(sample) // 1000)


def _detect(data: bytes) -> str | None:
    """Ask charset-normalizer for the encoding of text that is neither UTF-8 nor GB18030."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - optional dependency of requests
        return None
    best = from_bytes(data[: 1 << 20]).best()
    if best is None or best.encoding in {"utf_8", "gb18030"}:
        return None
    return str(best.encoding)


def decode_text(data: bytes) -> Decoded:
    """Decode the bytes of a text (CSV) file and return them as UTF-8.

    Order: a byte-order mark, strict UTF-8, GB18030 (which includes GBK and
    GB2312), then detection. Raises :class:`~etl.refusal.FileRefused` with a
    clear reason for binary files and undecodable text.

    Examples
    --------
    >>> decode_text("试点单位编号,标准编号".encode("gbk")).encoding
    'gb18030'
    >>> d = decode_text(b"\\xef\\xbb\\xbfsite_id")
    >>> d.encoding, d.utf8
    ('utf-8-sig', b'site_id')
    """
    what = _sniff(data)
    if what:
        raise _refuse_binary(what)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                break
            if encoding == "utf-8-sig":
                return Decoded(data[len(bom) :], encoding)
            return Decoded(text.encode("utf-8"), encoding)
    if b"\x00" in data:
        raise _refuse_binary(_BINARY)
    if data.isascii():
        if _looks_binary(data[:65536].decode("ascii")):
            raise _refuse_binary(_BINARY)
        return Decoded(data, "utf-8")
    try:
        head = data[:65536].decode("utf-8", errors="ignore")
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if _looks_binary(head):
            raise _refuse_binary(_BINARY)
        return Decoded(data, "utf-8")
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        if _looks_binary(text):
            raise _refuse_binary(_BINARY)
        return Decoded(text.encode("utf-8"), "gb18030")
    guessed = _detect(data)
    if guessed:
        try:
            text = data.decode(guessed)
        except (UnicodeDecodeError, LookupError):
            text = None
        if text is not None and not _looks_binary(text):
            return Decoded(text.encode("utf-8"), guessed)
    zh = f"无法识别文件的文字编码（不是 UTF-8，也不是 GBK/GB18030），{_SAVE_AS_ZH}"
    en = (
        "the file's text encoding is neither UTF-8 nor GBK/GB18030 and could not be "
        f"recognised; {_SAVE_AS_EN}"
    )
    raise FileRefused(
        zh,
        en,
        rule="encoding",
    )
