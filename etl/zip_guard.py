"""Refuse a workbook package that would unpack to more than the loader can hold (a ZIP bomb).

An XLSX is a ZIP archive of XML parts. A few megabytes of deflated XML can
expand to gigabytes: a cell reader that unpacks a sheet before looking at
it would exhaust the machine. Before any part is parsed, every member is
checked three ways, all against limits that are settings
(``STDEVAL_MAX_UNPACKED_MB``, ``STDEVAL_MAX_PACKING_RATIO``):

- the sizes the archive declares (central directory), summed;
- the bytes each member really unpacks to, counted while streaming it in
  chunks of :data:`CHUNK` bytes (a crafted archive may declare small sizes);
- the packing ratio of each large member (bytes unpacked so far / packed
  bytes consumed so far).

The first limit passed stops the reading at once: refusing a bomb costs at
most the limit's worth of decompression (well under a second for the
default), and the memory of one chunk.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from etl.refusal import FileRefused
from etl.settings import read_setting

#: Bytes read at a time from a member while counting what it unpacks to.
CHUNK = 1 << 20
#: Members smaller than this are never refused for their ratio (tiny XML parts pack well).
RATIO_FLOOR = 8 << 20
_MB = 1 << 20
#: A ZIP local file header up to its two variable lengths (name, extra field).
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")


@dataclass(frozen=True)
class PackageLimits:
    """How much a workbook may unpack to.

    Attributes
    ----------
    max_unpacked
        Bytes all members together may unpack to.
    max_ratio
        Highest unpacked / packed ratio of a member above :data:`RATIO_FLOOR`.
    """

    max_unpacked: int
    max_ratio: float

    @classmethod
    def from_settings(cls, environ: Mapping[str, str] | None = None) -> PackageLimits:
        """The limits set by ``STDEVAL_MAX_UNPACKED_MB`` and ``STDEVAL_MAX_PACKING_RATIO``.

        Examples
        --------
        >>> PackageLimits.from_settings({"STDEVAL_MAX_UNPACKED_MB": "10"}).max_unpacked
        10485760
        """
        env = dict(environ) if environ is not None else None
        megabytes = read_setting("STDEVAL_MAX_UNPACKED_MB", environ=env)
        ratio = read_setting("STDEVAL_MAX_PACKING_RATIO", environ=env)
        return cls(int(megabytes * _MB), ratio)


def _refuse(size_zh: str, size_en: str) -> FileRefused:
    return FileRefused(
        f"工作簿解压后过大（{size_zh}），超出导入上限，已拒收以免拖垮导入程序；"
        "请删除多余的工作表、空白行列和图片，或把数据分成几个文件后重新上传"
        "（上限由 STDEVAL_MAX_UNPACKED_MB 和 STDEVAL_MAX_PACKING_RATIO 设置）",
        f"the workbook unpacks to too much ({size_en}), beyond the import limit, and was "
        "refused so that it cannot exhaust the loader; delete unused sheets, blank rows and "
        "columns and pictures, or split the data into several files, and upload again "
        "(limits: STDEVAL_MAX_UNPACKED_MB, STDEVAL_MAX_PACKING_RATIO)",
        rule="too_large",
    )


def _over_total(unpacked: int, limits: PackageLimits) -> FileRefused:
    mb = limits.max_unpacked // _MB
    return _refuse(
        f"超过 {unpacked // _MB} MB，上限 {mb} MB", f"over {unpacked // _MB} MB, limit {mb} MB"
    )


def _over_ratio(name: str, ratio: float, limits: PackageLimits) -> FileRefused:
    limit = f"{limits.max_ratio:g}"
    return _refuse(
        f"其中 {name} 的压缩比超过 {ratio:.0f} 倍，上限 {limit} 倍",
        f"its part {name} is packed more than {ratio:.0f} times, limit {limit}",
    )


def _unpacked_sizes(data: bytes, member: zipfile.ZipInfo) -> Iterator[tuple[int, int]]:
    """(unpacked, packed bytes consumed) after each chunk of ``member`` (declared sizes ignored).

    Deflated members are inflated here, from the raw bytes after the local
    header, ``CHUNK`` bytes of output at a time; a member declaring fewer
    bytes than it holds is measured by what it holds. Other methods are read
    through :mod:`zipfile`.
    """
    if member.compress_type == zipfile.ZIP_STORED:
        yield member.compress_size, member.compress_size
        return
    if member.compress_type != zipfile.ZIP_DEFLATED:
        unpacked = 0
        with zipfile.ZipFile(io.BytesIO(data)) as book, book.open(member) as stream:
            while chunk := stream.read(CHUNK):
                unpacked += len(chunk)
                yield unpacked, member.compress_size
        return
    head = data[member.header_offset : member.header_offset + _LOCAL_HEADER.size]
    if len(head) < _LOCAL_HEADER.size:
        return
    fields = _LOCAL_HEADER.unpack(head)
    start = member.header_offset + _LOCAL_HEADER.size + fields[-2] + fields[-1]
    packed = memoryview(data)[start : start + member.compress_size]
    inflate = zlib.decompressobj(-zlib.MAX_WBITS)
    pending = bytes(packed[: CHUNK // 4])
    position = len(pending)
    unpacked = 0
    while pending or (position < len(packed) and not inflate.eof):
        if not pending:
            pending = bytes(packed[position : position + CHUNK // 4])
            position += len(pending)
        unpacked += len(inflate.decompress(pending, CHUNK))
        pending = inflate.unconsumed_tail
        yield unpacked, position - len(pending)
        if inflate.eof:
            return


def check_package(data: bytes, limits: PackageLimits | None = None) -> None:
    """Refuse (rule ``too_large``) a ZIP package that unpacks beyond ``limits``.

    A damaged archive is left to the workbook reader, which refuses it as
    ``unreadable_workbook``; only size is judged here.

    Raises
    ------
    etl.refusal.FileRefused
        With rule ``too_large`` when a limit is passed.

    Examples
    --------
    >>> buffer = io.BytesIO()
    >>> with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
    ...     z.writestr("xl/worksheets/sheet1.xml", "<row/>" * 100_000)
    >>> check_package(buffer.getvalue(), PackageLimits(1 << 30, 1000.0)) is None
    True
    >>> try:
    ...     check_package(buffer.getvalue(), PackageLimits(100_000, 1000.0))
    ... except FileRefused as refused:
    ...     print(refused.rule, refused.text("en").split(" (")[0])
    too_large the workbook unpacks to too much
    """
    limits = limits or PackageLimits.from_settings()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            members = [m for m in book.infolist() if not m.is_dir()]
    except (zipfile.BadZipFile, ValueError, OSError):
        return
    declared = sum(m.file_size for m in members)
    if declared > limits.max_unpacked:
        raise _over_total(declared, limits)
    total = 0
    for member in members:
        unpacked = 0
        try:
            for unpacked, consumed in _unpacked_sizes(data, member):
                if total + unpacked > limits.max_unpacked:
                    raise _over_total(total + unpacked, limits)
                ratio = unpacked / max(consumed, 1)
                if unpacked > RATIO_FLOOR and ratio > limits.max_ratio:
                    raise _over_ratio(member.filename, ratio, limits)
        except (zlib.error, zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError):
            return  # damage is the workbook reader's to report
        total += unpacked
