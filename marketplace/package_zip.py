"""Opening an uploaded package zip safely: every entry checked, every byte counted.

A package comes from a provider but is unpacked by the hub and served to learners' browsers, so
nothing in the zip is trusted (OWASP "zip slip", zip bombs):

- the file is a readable zip, no entry is encrypted;
- entry names are relative ``/``-separated paths: no ``..`` segment (zip slip), no leading ``/``,
  no drive letter (``C:``), no backslash (a Windows path that some unzippers split), no control
  character, no empty or ``.`` segment, no name twice, no name that is both a file and a folder;
- no symbolic link (a Unix mode of ``S_IFLNK`` in ``external_attr``'s high 16 bits, APPNOTE
  4.4.15): a link can point anywhere once unpacked;
- at most ``HUB_PACKAGE_MAX_FILES`` entries, each at most ``HUB_PACKAGE_MAX_FILE_BYTES`` and
  together at most ``HUB_PACKAGE_MAX_BYTES`` unzipped, with no entry over 1 MB compressed more
  than ``HUB_PACKAGE_MAX_RATIO`` times. The sizes in the headers are checked first (cheap) but
  never trusted: bytes are counted as they are inflated, and reading stops at the limit.

Files are inflated into a temporary directory under numbered names (never under their own
names, so no name can reach outside it), hashed on the way, and handed back by package path.
macOS metadata (``__MACOSX/``) and hidden files (a segment starting with ``.``) are checked like
the rest but not kept: browsers never ask for them, and blob keys have no dot segments.
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
import stat
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from hub.errors import ValidationError

#: Entries at least this large (unzipped) are held to the compression-ratio limit; small files
#: (a page of repeated markup) legitimately compress very well.
RATIO_FLOOR = 1024 * 1024
#: Longest package path kept: blob keys are at most 1024 bytes with the prefix in front.
MAX_PATH_BYTES = 512
_CHUNK = 64 * 1024
_DRIVE = re.compile(r"^[A-Za-z]:")
#: Built-in types only (no /etc/mime.types), so every host serves a file alike; then what web
#: content needs that Python's table lacks or names differently (RFC 9239 text/javascript).
_TYPES = mimetypes.MimeTypes(filenames=())
_OVERRIDES = {
    ".js": "text/javascript", ".mjs": "text/javascript", ".json": "application/json",
    ".svg": "image/svg+xml", ".woff": "font/woff", ".woff2": "font/woff2", ".ttf": "font/ttf",
    ".otf": "font/otf", ".vtt": "text/vtt", ".mp4": "video/mp4", ".m4v": "video/mp4",
    ".webm": "video/webm", ".ogv": "video/ogg", ".mp3": "audio/mpeg", ".m4a": "audio/mp4",
    ".oga": "audio/ogg", ".wav": "audio/wav", ".wasm": "application/wasm",
    ".webp": "image/webp", ".avif": "image/avif", ".xml": "application/xml",
    ".html": "text/html", ".htm": "text/html", ".css": "text/css", ".map": "application/json",
}


def content_type_of(path: str) -> str:
    """The media type a browser needs for a package file, by its extension."""
    suffix = Path(path).suffix.lower()
    if suffix in _OVERRIDES:
        return _OVERRIDES[suffix]
    return _TYPES.guess_type(path, strict=False)[0] or "application/octet-stream"


def refuse(detail: str) -> ValidationError:
    """The 400 that names the package and what is wrong with it."""
    return ValidationError.for_field("package", detail)


@dataclass(frozen=True)
class PackageLimits:
    """The size limits of a package (settings ``HUB_PACKAGE_*``)."""

    max_bytes: int
    max_file_bytes: int
    max_files: int
    max_ratio: int

    @classmethod
    def from_config(cls, config: Any) -> PackageLimits:
        """The limits of the hub's settings."""
        return cls(config.package_max_bytes, config.package_max_file_bytes,
                   config.package_max_files, config.package_max_ratio)


@dataclass(frozen=True)
class PackageFile:
    """One file of a package, inflated into the work directory."""

    path: str
    local: Path
    size: int
    sha256: str
    content_type: str
    compressed: int = 0  # its bytes in the zip, for progress reports


def check_name(name: str) -> None:
    """Refuse an entry name that is not a plain relative path inside the package."""
    if not name:
        raise refuse("an entry has an empty name")
    if "\\" in name:
        raise refuse(f"entry {name!r} contains a backslash (a Windows path)")
    if name.startswith("/"):
        raise refuse(f"entry {name!r} is an absolute path")
    if _DRIVE.match(name):
        raise refuse(f"entry {name!r} names a drive")
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in name):
        raise refuse(f"entry {name!r} contains a control character")
    segments = name.rstrip("/").split("/")
    if ".." in segments:
        raise refuse(f"entry {name!r} escapes the package")
    if any(s in ("", ".") for s in segments):
        raise refuse(f"entry {name!r} has an empty or '.' path segment")
    if len(name.encode("utf-8")) > MAX_PATH_BYTES:
        raise refuse(f"entry {name[:60]!r}... is longer than {MAX_PATH_BYTES} bytes")


def _kept(name: str) -> bool:
    segments = name.split("/")
    return segments[0] != "__MACOSX" and not any(s.startswith(".") for s in segments)


def _check_entry(info: zipfile.ZipInfo, limits: PackageLimits) -> None:
    name = info.filename
    check_name(name)
    if stat.S_ISLNK(info.external_attr >> 16):
        raise refuse(f"entry {name!r} is a symbolic link")
    if info.flag_bits & 0x1:  # APPNOTE 4.4.4 bit 0: encrypted
        raise refuse(f"entry {name!r} is encrypted")
    if (info.file_size >= RATIO_FLOOR
            and info.file_size > limits.max_ratio * max(info.compress_size, 1)):
        raise refuse(f"entry {name!r} inflates {info.file_size // max(info.compress_size, 1)} "
                     f"times (over {limits.max_ratio}): a zip bomb?")
    if info.file_size > limits.max_file_bytes:
        raise refuse(f"entry {name!r} is {info.file_size} bytes unzipped, over the limit of "
                     f"{limits.max_file_bytes}")


def open_zip(stream: BinaryIO) -> zipfile.ZipFile:
    """The zip in ``stream`` (seekable), or a 400 when it is not a readable zip."""
    try:
        return zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError,
            NotImplementedError) as exc:
        raise refuse(f"not a zip file ({exc})") from None


def check_entries(archive: zipfile.ZipFile, limits: PackageLimits) -> list[zipfile.ZipInfo]:
    """Every entry checked by name, kind and declared size; the file entries to keep."""
    infos = archive.infolist()
    if len(infos) > limits.max_files:
        raise refuse(f"{len(infos)} entries, over the limit of {limits.max_files}")
    seen: set[str] = set()
    folders: set[str] = set()
    declared = 0
    kept: list[zipfile.ZipInfo] = []
    for info in infos:
        _check_entry(info, limits)
        name = info.filename.rstrip("/")
        if name in seen:
            raise refuse(f"entry {name!r} appears twice")
        seen.add(name)
        parts = name.split("/")
        folders.update("/".join(parts[:i]) for i in range(1, len(parts)))
        if info.is_dir():
            folders.add(name)
            continue
        declared += info.file_size
        if declared > limits.max_bytes:
            raise refuse(f"over {limits.max_bytes} bytes unzipped")
        if _kept(name):
            kept.append(info)
    clash = next((i.filename for i in kept if i.filename in folders), None)
    if clash:
        raise refuse(f"entry {clash!r} is both a file and a folder")
    if not kept:
        raise refuse("the zip has no files")
    return kept


def _inflate(archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path,
             limits: PackageLimits, budget: int) -> tuple[int, str]:
    """Inflate one entry into ``target``, counting: (bytes, SHA-256 hex)."""
    digest = hashlib.sha256()
    size = 0
    cap = min(limits.max_file_bytes, budget)
    with target.open("wb") as out:
        try:
            with archive.open(info) as entry:
                while chunk := entry.read(_CHUNK):
                    size += len(chunk)
                    if size > cap or size > info.file_size:
                        raise refuse(f"entry {info.filename!r} inflates past its declared size "
                                     "or the size limit")
                    digest.update(chunk)
                    out.write(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError,
                ValueError) as exc:
            raise refuse(f"entry {info.filename!r} is corrupt ({exc})") from None
    return size, digest.hexdigest()


def extract(archive: zipfile.ZipFile, workdir: Path, limits: PackageLimits,
            progress: Callable[[int], None] | None = None) -> dict[str, PackageFile]:
    """Check and inflate every kept entry into ``workdir``; the files by package path."""
    files: dict[str, PackageFile] = {}
    total = 0
    for index, info in enumerate(check_entries(archive, limits)):
        local = workdir / f"{index:06d}"
        size, digest = _inflate(archive, info, local, limits, limits.max_bytes - total)
        total += size
        files[info.filename] = PackageFile(info.filename, local, size, digest,
                                           content_type_of(info.filename), info.compress_size)
        if progress:
            progress(info.compress_size)
    return files
