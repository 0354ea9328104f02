"""Atomic file writes: a temp file in the same directory, fsync, rename.

A reader sees the old content or the new, never half of either; a crash
leaves at most a stray temp file, never a truncated target.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any


def atomic_write_bytes(path: Path, data: bytes, *, mode: int = 0o644, exclusive: bool = False) -> None:
    """Write ``data`` to ``path`` atomically. ``exclusive``: never replace an existing
    file (FileExistsError), even one created by a racing writer a moment ago."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        if exclusive:
            try:
                os.link(tmp, path)  # fails if path exists: no window for an overwrite
            finally:
                os.unlink(tmp)
        else:
            os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    try:  # make the rename itself durable
        dir_fd = os.open(path.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def atomic_write_text(path: Path, text: str, *, mode: int = 0o644, exclusive: bool = False) -> None:
    atomic_write_bytes(path, text.encode("utf-8"), mode=mode, exclusive=exclusive)


def atomic_write_json(path: Path, data: Any, *, mode: int = 0o644, compact: bool = False,
                      exclusive: bool = False) -> None:
    """Write JSON atomically. ``compact`` output uses the C encoder: many times faster
    than indented output for large documents (build-info files run to megabytes)."""
    text = json.dumps(data, separators=(",", ":")) if compact else json.dumps(data, indent=2)
    atomic_write_text(path, text + "\n", mode=mode, exclusive=exclusive)


def append_line(path: Path, line: str, *, mode: int = 0o600) -> None:
    """Append one line to a log durably (O_APPEND, fsync): a crash keeps whole lines."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, mode)
    try:
        os.write(fd, (line.rstrip("\n") + "\n").encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
