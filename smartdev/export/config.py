"""``[export]`` in smartdev.toml."""

from __future__ import annotations

from smartdev.config import Section


class ExportConfig(Section):
    to: str | None = None  # the default sink URL, e.g. "postgresql://user@host/db"
