"""The sha256 of input files (photos, fonts, logos, bundled flowers), read once per file version."""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path


def file_sha256(path: Path | str) -> str:
    """The file's sha256; cached by path, size and modification time, so a campaign naming one photo in
    many rows reads it once, and a file replaced between runs is read again."""
    status = os.stat(path)
    return _file_sha256(os.path.realpath(path), status.st_size, status.st_mtime_ns)


@lru_cache(maxsize=256)
def _file_sha256(real_path: str, size: int, modified_ns: int) -> str:
    with open(real_path, "rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()
