"""Tell what a received file is and decode text files to UTF-8.

Pilot sites save CSVs from Excel in whatever their office uses: UTF-8, UTF-8
with a BOM, GBK or GB18030 (a superset of GBK), Big5 (Hong Kong, Macao and Taiwan offices),
sometimes UTF-16 "Unicode text" (with or without a byte-order mark). The
order of attempts is fixed (issue 3, item 1; issue 10, item 1): a BOM if
there is one, UTF-16 without one, strict UTF-8, then the most plausible of
GB18030 and Big5, then a detector; garbage is never stored: text that no
encoding reads plausibly is refused with a one-line reason saying how to
save the file instead.
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
    if best is None or best.encoding in {"utf_8", "gb18030", "cp950", "big5", "big5hkscs"}:
        return None
    return str(best.encoding)


#: Trailing bytes some programs leave after the last record: Ctrl-Z (the
#: old end-of-file mark) and NUL padding. They are not a row.
_TRAILING_CONTROL = re.compile(rb"[\x00\x1a][\x00\x1a\s]*\Z")
#: What the trailing run of :data:`_TRAILING_CONTROL` is made of (``\s`` of bytes, NUL, Ctrl-Z).
_TRAILING_BYTES = b" \t\n\r\x0b\x0c\x00\x1a"


def drop_trailing_control(data: bytes) -> bytes:
    r"""Drop a trailing Ctrl-Z or NUL padding (with the whitespace around it), as ``_TRAILING_CONTROL``.

    Only the tail is searched: the regular expression alone tries every
    position of the file (about a second for 100 MB).

    Examples
    --------
    >>> drop_trailing_control(b"a,b\r\n\x1a\r\n")
    b'a,b\r\n'
    >>> drop_trailing_control(b"a,b\r\n")
    b'a,b\r\n'
    """
    end, step = len(data), 4096
    while True:  # rstrip of the last bytes only: rstrip of the whole file copies it
        start = max(end - step, 0)
        kept_chunk = data[start:end].rstrip(_TRAILING_BYTES)
        if kept_chunk or start == 0:
            content = start + len(kept_chunk)
            break
        end, step = start, step * 2
    tail = data[content:]
    kept = _TRAILING_CONTROL.sub(b"", tail)  # a prefix of the tail
    return data if kept == tail else data[: content + len(kept)]


#: Legacy Chinese encodings tried, in order of preference on a tie.
_LEGACY = ("gb18030", "cp950", "big5hkscs")
#: Below this share of common characters, the decoded text is taken as mojibake.
PLAUSIBLE = 0.6
#: Characters a wrong legacy reading produces: CJK ideographs (every block),
#: kana, Hangul and private-use code points.
_JUDGED = re.compile(
    "[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\ue000-\uf8ff\uf900-\ufaff"
    "\U00020000-\U0003134f]"
)
#: Fewer letters than this are too few to judge (the first candidate is kept).
_JUDGE_MIN = 8


def _common(ch: str) -> bool:
    """True for a character in the first (most common) level of GB2312 or of Big5."""
    for codec, low, high in (("gb2312", 0xB0, 0xD7), ("cp950", 0xA4, 0xC6)):
        try:
            encoded = ch.encode(codec)
        except UnicodeEncodeError:
            continue
        if len(encoded) == 2 and low <= encoded[0] <= high:
            return True
    return False


def plausibility(text: str) -> tuple[float, int]:
    """Share of common Chinese characters among the non-ASCII letters of ``text``, and their count.

    Text read in the wrong legacy encoding turns into rare characters, kana
    and private-use code points; real text (simplified or traditional, names
    of every province included) is almost all common characters.
    Only the characters such mojibake is made of are judged (ideographs,
    kana, Hangul, private use); Latin letters, punctuation and symbols are not.

    Examples
    --------
    >>> big5 = "試點單位編號,臺北市".encode("cp950")
    >>> round(plausibility(big5.decode("cp950"))[0], 2), round(plausibility(big5.decode("gb18030"))[0], 2)
    (1.0, 0.33)
    """
    letters = [c for c in text[:65536] if _JUDGED.match(c)]
    if not letters:
        return 1.0, 0
    return sum(map(_common, letters)) / len(letters), len(letters)


def _utf16_without_bom(data: bytes) -> str | None:
    """The text of UTF-16 data without a byte-order mark, when one byte order reads as text."""
    best: tuple[int, str] | None = None
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = data[: len(data) - len(data) % 2].decode(codec).rstrip("\x00\x1a")
        except UnicodeDecodeError:
            continue
        head = text[:65536]
        lines = head.count("\n") + head.count("\r")
        if lines and not _looks_binary(head) and (best is None or lines > best[0]):
            best = (lines, text)
    return best[1] if best else None


#: Bytes of the file's head on which the legacy readings are judged; every
#: judged reading of text is within :func:`plausibility`'s first 65,536 characters.
_JUDGED_HEAD = 1 << 18


def _head_lines(data: bytes) -> bytes:
    """The first :data:`_JUDGED_HEAD` bytes of ``data`` cut after a line end (all of it if short).

    A line feed is never part of a GB18030 or Big5 character (their trail
    bytes are 0x30 and above), so the cut never splits a character.
    """
    if len(data) <= _JUDGED_HEAD:
        return data
    end = data.rfind(b"\n", 0, _JUDGED_HEAD)
    return data if end < 0 else data[: end + 1]


def _legacy(data: bytes) -> Decoded | None:
    """The most plausible legacy Chinese reading of ``data`` (GB18030 on a tie), if any.

    The readings are judged on the head of the file and only the best one
    is decoded whole (a reading that fails further on gives way to the next
    best): each full decode of a 100 MB file costs most of a second.
    """
    head = _head_lines(data)
    ranked: list[tuple[float, int, int, str, str]] = []
    for order, codec in enumerate(_LEGACY):
        try:
            head_text = head.decode(codec)
        except UnicodeDecodeError:
            continue
        share, letters = plausibility(head_text)
        ranked.append((share, -order, letters, codec, head_text))
    ranked.sort(reverse=True)  # most plausible first, then the order of preference
    for share, _, letters, codec, head_text in ranked:
        try:
            text = head_text if head is data else data.decode(codec)
        except UnicodeDecodeError:
            continue
        if letters >= _JUDGE_MIN and share < PLAUSIBLE:
            raise _refuse_encoding()
        if _looks_binary(text):
            raise _refuse_binary(_BINARY)
        return Decoded(text.encode("utf-8"), codec)
    return None


def _refuse_encoding() -> FileRefused:
    return FileRefused(
        f"无法识别文件的文字编码（不是 UTF-8、UTF-16，也不是 GBK/GB18030 或 Big5），{_SAVE_AS_ZH}",
        f"the file's text encoding is none of UTF-8, UTF-16, GBK/GB18030 or Big5 and could not "
        f"be recognised; {_SAVE_AS_EN}",
        rule="encoding",
    )


def decode_text(data: bytes) -> Decoded:
    """Decode the bytes of a text (CSV) file and return them as UTF-8.

    Order: a byte-order mark; UTF-16 without one (a file holding NUL bytes
    whose one byte order reads as lines of text); strict UTF-8; then the
    legacy Chinese encodings GB18030 (which includes GBK and GB2312) and
    Big5 (``cp950``, then ``big5hkscs``), keeping the reading whose text is
    most plausible (:func:`plausibility`) and refusing (``encoding``) when
    even that one is mojibake; then detection. A trailing Ctrl-Z or NUL
    padding is dropped. Raises :class:`~etl.refusal.FileRefused` with a
    clear reason for binary files and undecodable text.

    Examples
    --------
    >>> decode_text("试点单位编号,标准编号".encode("gbk")).encoding
    'gb18030'
    >>> decode_text("試點單位編號,臺北市".encode("big5")).encoding
    'cp950'
    >>> d = decode_text(b"\\xef\\xbb\\xbfsite_id\\r\\n\\x1a")
    >>> d.encoding, d.utf8
    ('utf-8-sig', b'site_id\\r\\n')
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
                return Decoded(drop_trailing_control(data[len(bom) :]), encoding)
            return Decoded(text.rstrip("\x00\x1a").encode("utf-8"), encoding)
    stripped = drop_trailing_control(data)
    if data.find(b"\x00", 0, max(len(data) - 1024, 0)) >= 0 or b"\x00" in stripped:
        text16 = _utf16_without_bom(data)
        if text16 is not None:
            return Decoded(text16.encode("utf-8"), "utf-16")
    data = stripped
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
    legacy = _legacy(data)
    if legacy is not None:
        return legacy
    guessed = _detect(data)
    if guessed:
        try:
            text = data.decode(guessed)
        except (UnicodeDecodeError, LookupError):
            text = None
        if text is not None and not _looks_binary(text):
            return Decoded(text.encode("utf-8"), guessed)
    raise _refuse_encoding()
