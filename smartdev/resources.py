"""Files that ship with smartdev: project templates and the Solidity contract library.

In the repository they are the top-level ``templates/`` and ``contract_library/``
folders; a built wheel carries them as ``smartdev/_data/...`` (see pyproject.toml),
so an installed, non-editable smartdev finds them too.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _shipped(name: str) -> Path:
    installed = _PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / name  # a source checkout / editable install


def templates_dir() -> Path:
    return _shipped("templates")


def contract_library_dir() -> Path:
    return _shipped("contract_library")
