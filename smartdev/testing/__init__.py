"""Testing contracts with pytest: smartdev's pytest plugin and `smartdev test`.

``smartdev.testing.plugin`` is registered as a pytest plugin (entry point
``pytest11``), so plain ``pytest`` in a smartdev project has the fixtures
``chain``, ``accounts`` and ``deploy`` (each test runs between an
``evm_snapshot`` and an ``evm_revert``); ``smartdev test`` compiles first and
runs pytest with it. :class:`Chain` and :class:`Accounts` are the objects those
fixtures give; they are imported on first use, so importing this package (as
pytest does at start-up) costs nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from smartdev.testing.chain import Accounts, Chain

__all__ = ["Accounts", "Chain"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from smartdev.testing import chain

        return getattr(chain, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
