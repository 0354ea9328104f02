"""The ``[test]`` section of smartdev.toml: settings of the pytest plugin and `smartdev test`."""

from __future__ import annotations

from smartdev.config import Section


class TestingConfig(Section):
    """``[test]``: ``network`` is what the ``chain`` fixture connects to (default: embedded)."""

    __test__ = False  # not a pytest test class, whatever its name looks like

    network: str | None = None
