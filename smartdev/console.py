"""Output for humans (rich, on a terminal) and for scripts (``--json``).

Data goes to stdout; diagnostics (warnings, errors, progress) go to stderr, so
``smartdev call … --json | jq`` always sees clean JSON. rich is imported only
when something is printed.
"""

from __future__ import annotations

import json
import os
import sys
from typing import IO, TYPE_CHECKING, Any, Iterable, Sequence

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console as RichConsole


def to_jsonable(value: Any) -> Any:
    """Convert web3/eth types (HexBytes, AttributeDict, bytes, sets) to plain JSON values."""
    if isinstance(value, (bytes, bytearray)):
        return "0x" + bytes(value).hex()
    if isinstance(value, dict) or hasattr(value, "items"):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_jsonable(v) for v in value]
    if hasattr(value, "__fspath__"):
        return str(value)
    return value


def _isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class Output:
    """Where a command prints. Injectable: tests pass their own streams."""

    def __init__(self, stdout: IO[str] | None = None, stderr: IO[str] | None = None) -> None:
        self._stdout = stdout
        self._stderr = stderr
        self._out: RichConsole | None = None
        self._err: RichConsole | None = None

    @property
    def stdout(self) -> IO[str]:
        return self._stdout if self._stdout is not None else sys.stdout

    @property
    def stderr(self) -> IO[str]:
        return self._stderr if self._stderr is not None else sys.stderr

    def _console(self, err: bool) -> RichConsole:
        from rich.console import Console

        if err:
            if self._err is None:
                self._err = Console(file=self.stderr, stderr=True, highlight=False, soft_wrap=True)
            return self._err
        if self._out is None:
            # Piped or captured output is not wrapped at 80 columns: logs and
            # scripts get whole lines.
            width = None if _isatty(self.stdout) else 200
            self._out = Console(file=self.stdout, highlight=False, soft_wrap=True, width=width)
        return self._out

    # -- data (stdout) --------------------------------------------------
    def print(self, *objects: Any, style: str | None = None) -> None:
        """Print rich text or renderables to stdout."""
        self._console(False).print(*objects, style=style)

    def plain(self, text: str) -> None:
        """Print text exactly as given (no markup) to stdout."""
        self.stdout.write(text + "\n")
        self.stdout.flush()

    def json(self, data: Any) -> None:
        """Print ``data`` as indented JSON to stdout."""
        self.stdout.write(json.dumps(to_jsonable(data), indent=2, sort_keys=False) + "\n")
        self.stdout.flush()

    def table(
        self,
        columns: Sequence[str],
        rows: Iterable[Sequence[Any]],
        *,
        title: str | None = None,
    ) -> None:
        """Print a table to stdout."""
        from rich.table import Table

        table = Table(title=title, title_justify="left", header_style="bold")
        for column in columns:
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*("" if cell is None else str(cell) for cell in row))
        self._console(False).print(table)

    def fields(self, pairs: Iterable[tuple[str, Any]]) -> None:
        """Print ``name: value`` lines, names aligned, to stdout."""
        pairs = list(pairs)
        if not pairs:
            return
        width = max(len(name) for name, _ in pairs)
        for name, value in pairs:
            self.plain(f"{name + ':':<{width + 1}} {value}")

    # -- diagnostics (stderr) -------------------------------------------
    # One-line messages are written directly (with ANSI colour on a terminal,
    # unless NO_COLOR is set): importing rich costs ~30 ms that a quick command
    # such as a no-op `smartdev compile` should not pay.
    def _line(self, text: str, style: str) -> None:
        stream = self.stderr
        if style and _isatty(stream) and "NO_COLOR" not in os.environ:
            text = f"\033[{style}m{text}\033[0m"
        stream.write(text + "\n")
        stream.flush()

    def info(self, message: str) -> None:
        self._line(message, "2")

    def success(self, message: str) -> None:
        self._line(message, "32")

    def warn(self, message: str) -> None:
        self._line(f"warning: {message}", "33")

    def error(self, message: str) -> None:
        self._line(f"error: {message}", "1;31")

    def status(self, message: str):
        """A spinner on stderr while a slow step runs (a no-op context when not a terminal)."""
        return self._console(True).status(message)
