"""smartdev.files: atomic writes, exclusive creation, durable appends."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from smartdev.files import append_line, atomic_write_bytes, atomic_write_json


def test_atomic_write_replaces_and_sets_mode(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "f.bin"
    atomic_write_bytes(target, b"one", mode=0o600)
    atomic_write_bytes(target, b"two", mode=0o600)
    assert target.read_bytes() == b"two"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in target.parent.iterdir()] == ["f.bin"]  # no temp files left


def test_exclusive_write_never_replaces(tmp_path: Path) -> None:
    target = tmp_path / "key.json"
    atomic_write_json(target, {"v": 1}, exclusive=True)
    with pytest.raises(FileExistsError):
        atomic_write_json(target, {"v": 2}, exclusive=True)
    assert target.read_text() == '{\n  "v": 1\n}\n'
    assert [p.name for p in tmp_path.iterdir()] == ["key.json"]


def test_append_line_keeps_whole_lines(tmp_path: Path) -> None:
    log = tmp_path / "audit.log"
    append_line(log, "a")
    append_line(log, "b\n")
    assert log.read_text() == "a\nb\n"
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
