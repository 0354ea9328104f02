"""The source graph of ``smartdev compile``: Solidity files, their imports and pragmas.

Every file is known by its *source unit name*, the key solc uses in standard-JSON
``sources`` (Hardhat's conventions):

* a project file: its POSIX path relative to the project root (``contracts/Token.sol``);
* an npm package file: the import path as written (``@openzeppelin/contracts/token/ERC20/ERC20.sol``),
  found under ``node_modules/`` in the project root or any directory above it;
* the bundled library: ``@smartdev/<path>``, the file ``<library dir>/<path>``.

An import string becomes a unit name exactly as solc does it: a path whose first
segment is ``.`` or ``..`` is joined to the importing unit's directory and
normalised, anything else is taken as written; then the remappings apply (the
longest matching context wins, then the longest prefix, then the later
remapping). The same remappings go to solc in ``settings.remappings``, so solc
asks for exactly the units this module supplies.

The unit name is then looked up on disk: ``@smartdev/…`` in the library dir;
otherwise ``<root>/<unit>``, then ``node_modules/<unit>`` in the root and each
directory above it (and, for a unit that itself starts with ``node_modules/``
because a remapping target said so, ``<dir>/<unit>`` above the root).

Pure standard library and cheap to import: ``hashlib`` is loaded only when files
are read, so the no-op check (:func:`fingerprint`) pays for nothing else.
"""

from __future__ import annotations

import os
import re
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from smartdev.errors import NotFoundError, UsageError

LIBRARY_PREFIX = "@smartdev/"

# -- parsing ---------------------------------------------------------------------------
_STRING = r""""(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'"""
_COMMENT = r"//[^\n]*|/\*.*?(?:\*/|\Z)"
# Top level: skip comments and string literals whole; stop at the keywords.
_SCAN = re.compile(rf"{_COMMENT}|{_STRING}|[\"']|(?<![\w$])(import|pragma)(?![\w$])", re.DOTALL)
# Inside a statement: whitespace and comments (no group), a string (1), ";" (2), other (3).
_TOKEN = re.compile(
    rf"\s+|{_COMMENT}|({_STRING})|(;)|([A-Za-z_$][\w$]*|[^\s;\"'/A-Za-z_$]+|/|[\"'])", re.DOTALL
)
_ESCAPE = re.compile(r"\\(?:x([0-9A-Fa-f]{2})|u([0-9A-Fa-f]{4})|\n|\r\n?|(.))", re.DOTALL)
_SIMPLE_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "\\": "\\", "'": "'", '"': '"'}


def _line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of ``offset`` in ``text``."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - text.rfind("\n", 0, offset)


def _unquote(literal: str) -> str:
    """The value of a Solidity string literal (quotes included in ``literal``)."""
    body = literal[1:-1]
    if "\\" not in body:
        return body

    def escape(m: re.Match[str]) -> str:
        if m.group(1):
            return chr(int(m.group(1), 16))
        if m.group(2):
            return chr(int(m.group(2), 16))
        if m.group(3) is None:  # backslash-newline: a line continuation
            return ""
        return _SIMPLE_ESCAPES.get(m.group(3), m.group(3))

    return _ESCAPE.sub(escape, body)


def _statement(text: str, pos: int) -> tuple[list[tuple[str, str, int, int]], bool]:
    """The tokens from ``pos`` to the next ``;`` (comments skipped) and whether a ``;`` came."""
    tokens: list[tuple[str, str, int, int]] = []
    n = len(text)
    while pos < n:
        m = _TOKEN.match(text, pos)
        if m is None:  # cannot happen: every character starts some token
            break
        pos = m.end()
        if m.group(1) is not None:
            tokens.append(("str", m.group(1), m.start(), pos))
        elif m.group(2) is not None:
            tokens.append((";", ";", m.start(), pos))
            return tokens, True
        elif m.group(3) is not None:
            tokens.append(("other", m.group(3), m.start(), pos))
    return tokens, False


def parse_source(text: str, name: str = "<source>") -> tuple[list[str], list[tuple[str, int, int]]]:
    """The ``pragma solidity`` expressions of ``text`` and its imports as (path, line, column).

    Comments and string literals are skipped, so an import in a comment or a ``//``
    inside a string changes nothing. Line and column (1-based, in characters) are
    those of the ``import`` keyword in ``text``. Whitespace inside a pragma
    expression is collapsed to single spaces. An import without a path or ``;``
    is a :class:`UsageError` located as ``name:line:col``.
    """
    pragmas: list[str] = []
    imports: list[tuple[str, int, int]] = []
    # Imports and pragmas come first in a file: scan no further than the line of the last
    # occurrence of either word (a string or line comment never spans lines, and a block
    # comment cut at the limit still swallows everything up to it).
    last = max(text.rfind("import"), text.rfind("pragma"))
    if last < 0:
        return pragmas, imports
    limit = text.find("\n", last)
    if limit < 0:
        limit = len(text)
    pos = 0
    while True:
        m = _SCAN.search(text, pos, limit)
        if m is None:
            break
        pos = m.end()
        keyword = m.group(1)
        if keyword is None:
            continue
        tokens, terminated = _statement(text, pos)
        if tokens:
            pos = tokens[-1][3]
        if keyword == "import":
            path = next((t for t in tokens if t[0] == "str"), None)
            if path is None or not terminated:
                line, col = _line_col(text, m.start())
                raise UsageError(
                    f"{name}:{line}:{col}: malformed import statement (no quoted path before ';')",
                    hint='Write it as import "path.sol"; or import {A} from "path.sol";',
                )
            line, col = _line_col(text, m.start())
            imports.append((_unquote(path[1]), line, col))
        elif tokens and tokens[0][1] == "solidity":
            parts: list[str] = []
            prev_end = tokens[0][3]
            for kind, value, start, end in tokens[1:]:
                if kind == ";":
                    break
                if parts and start > prev_end:
                    parts.append(" ")
                parts.append(value)
                prev_end = end
            expression = "".join(parts)
            if expression:
                pragmas.append(expression)
    return pragmas, imports


# -- remappings ------------------------------------------------------------------------
def _parse_remapping(text: str) -> tuple[str, str, str] | None:
    """``[context:]prefix=target`` split as solc does; None when malformed (no ``=``, empty prefix)."""
    prefix_part, eq, target = text.partition("=")
    if not eq:
        return None
    context, colon, prefix = prefix_part.partition(":")
    if not colon:
        context, prefix = "", prefix_part
    context, prefix, target = context.strip(), prefix.strip(), target.strip()
    if not prefix:
        return None
    return context, prefix, target


def _format_remapping(context: str, prefix: str, target: str) -> str:
    return f"{context}:{prefix}={target}" if context else f"{prefix}={target}"


_REMAPPING_HINT = "A remapping is [context:]prefix=target, e.g. @openzeppelin/=node_modules/@openzeppelin/"


def load_remappings(root: Path, config_remappings: Sequence[str]) -> list[str]:
    """The remappings of the project: ``<root>/remappings.txt``, then the config's.

    ``remappings.txt`` has one ``[context:]prefix=target`` per line; blank lines and
    lines starting with ``#`` are ignored. Where two remappings share context and
    prefix the later one is kept (so the config's win over the file's), as solc
    would pick it anyway. The result is in canonical form (spaces around ``:`` and
    ``=`` removed), ready for ``settings.remappings``.
    """
    parsed: list[tuple[str, str, str]] = []
    path = Path(root) / "remappings.txt"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise UsageError(f"cannot read {path}: {reason}", hint="Fix or remove remappings.txt.") from exc
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        remapping = _parse_remapping(line)
        if remapping is None:
            raise UsageError(f"{path}:{number}: malformed remapping {line!r}", hint=_REMAPPING_HINT)
        parsed.append(remapping)
    for number, item in enumerate(config_remappings, 1):
        remapping = _parse_remapping(str(item))
        if remapping is None:
            raise UsageError(
                f"malformed remapping {item!r} (item {number} of [compiler] remappings in the config)",
                hint=_REMAPPING_HINT,
            )
        parsed.append(remapping)
    last = {(c, p): i for i, (c, p, _t) in enumerate(parsed)}
    return [_format_remapping(*r) for i, r in enumerate(parsed) if last[(r[0], r[1])] == i]


def _parse_all(remappings: Iterable[str]) -> list[tuple[str, str, str]]:
    parsed = []
    for item in remappings:
        remapping = _parse_remapping(item)
        if remapping is None:
            raise UsageError(f"malformed remapping {item!r}", hint=_REMAPPING_HINT)
        parsed.append(remapping)
    return parsed


def apply_remappings(path: str, importer: str, remappings: Sequence[tuple[str, str, str]]) -> str:
    """solc's ``ImportRemapper::apply``: among remappings whose context prefixes ``importer``
    and whose prefix prefixes ``path``, the longest context wins, then the longest prefix,
    then the later one; its prefix is replaced by its target."""
    best_context = best_prefix = -1
    target = ""
    for context, prefix, to in remappings:
        if len(context) < best_context or not importer.startswith(context):
            continue
        if len(context) == best_context and len(prefix) < best_prefix:
            continue
        if not path.startswith(prefix):
            continue
        best_context, best_prefix, target = len(context), len(prefix), to
    if best_prefix < 0:
        return path
    return target + path[best_prefix:]


def _is_relative(written: str) -> bool:
    first = written.split("/", 1)[0]
    return first in (".", "..")


def resolve_import(written: str, importer: str, remappings: Sequence[str | tuple[str, str, str]]) -> str:
    """The source unit name solc looks up for ``import "<written>"`` in unit ``importer``.

    Raises :class:`UsageError` (without a location) for a relative path that climbs
    above the top of the unit namespace, and for a resulting unit name solc would
    accept but that would name a file twice or not portably: absolute, with
    backslashes, or with empty, ``.`` or ``..`` segments.
    """
    parsed = [r if isinstance(r, tuple) else _parse_all([r])[0] for r in remappings]
    return _resolve(written, importer, parsed)


def _join(written: str, importer: str) -> str:
    """solc's ``absolutePath``: a ``./``/``../`` path joined to the importer's directory."""
    if _is_relative(written):
        segments = importer.split("/")[:-1]
        for segment in written.split("/"):
            if segment == "..":
                if not segments:
                    raise UsageError(
                        f'import "{written}" climbs above the top of the source tree '
                        f'(relative to "{importer}")',
                        hint="Relative imports are resolved against the importing file's source unit name; "
                        "use fewer '..', a path from the project root, or a package name.",
                    )
                segments.pop()
            elif segment not in ("", "."):
                segments.append(segment)
        return "/".join(segments)
    return written


def _resolve(written: str, importer: str, remappings: Sequence[tuple[str, str, str]]) -> str:
    if not written:
        raise UsageError("empty import path", hint="Name the file to import.")
    path = _join(written, importer)
    unit = apply_remappings(path, importer, remappings) if remappings else path
    problem = None
    if unit.startswith("/") or re.match(r"[A-Za-z]:[/\\]", unit):
        problem = "is an absolute path"
    elif "\\" in unit:
        problem = "contains a backslash"
    elif any(s in ("", ".", "..") for s in unit.split("/")):
        problem = "is not normalised (empty, '.' or '..' segments)"
    if problem:
        shown = f'"{written}"' if unit == written else f'"{written}" (source unit "{unit}")'
        raise UsageError(
            f"import {shown} {problem}",
            hint="Import by a path relative to the importing file (./, ../), from the project root, "
            "or by package name; a remapping target must be a relative path such as lib/pkg/src/.",
        )
    return unit


# -- the graph -------------------------------------------------------------------------
@dataclass(frozen=True)
class Import:
    written: str  # as in the source
    unit: str  # the unit name solc will look up
    line: int  # 1-based, of the `import` keyword
    column: int  # 1-based, in characters


@dataclass
class SourceFile:
    unit: str
    path: Path
    content: str
    sha256: str  # of the bytes on disk
    pragmas: list[str]  # version expressions of `pragma solidity`, in order; [] when none
    imports: list[Import]
    origin: str  # "project", "npm" or "library"


@dataclass
class SourceGraph:
    root: Path
    remappings: list[str]
    sources: dict[str, SourceFile] = field(default_factory=dict)  # every unit reachable from the entries
    entries: list[str] = field(default_factory=list)  # the units asked for, in order, no repeats

    def _require(self, unit: str) -> SourceFile:
        try:
            return self.sources[unit]
        except KeyError:
            raise NotFoundError(f"{unit} is not among the sources being compiled") from None

    def closure(self, unit: str) -> list[str]:
        """``unit`` and everything it imports, transitively: depth-first, imports in source
        order, each unit once (cycles are fine)."""
        self._require(unit)
        order: list[str] = []
        seen: set[str] = set()
        stack = [unit]
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            order.append(current)
            sources = self.sources
            stack.extend(i.unit for i in reversed(sources[current].imports) if i.unit not in seen and i.unit in sources)
        return order

    def dependents(self, unit: str) -> set[str]:
        """The units that import ``unit``, directly or transitively (never ``unit`` itself,
        even in a cycle)."""
        self._require(unit)
        importers: dict[str, set[str]] = {}
        for source in self.sources.values():
            for imp in source.imports:
                importers.setdefault(imp.unit, set()).add(source.unit)
        found: set[str] = set()
        queue = deque([unit])
        while queue:
            for importer in importers.get(queue.popleft(), ()):
                if importer not in found:
                    found.add(importer)
                    queue.append(importer)
        found.discard(unit)
        return found

    def pragmas_of(self, unit: str) -> dict[str, list[str]]:
        """``{unit: pragmas}`` for every unit in ``closure(unit)`` (``[]`` for a file without one)."""
        return {u: list(self.sources[u].pragmas) for u in self.closure(unit)}


def _absolute(path: Path) -> Path:
    return Path(os.path.abspath(path))


def unit_name(root: Path, path: Path) -> str:
    """The source unit name of a project file: its POSIX path relative to ``root``.

    A relative ``path`` is taken relative to ``root`` (not the process's working
    directory). Symlinks are resolved only when the plain paths disagree.
    """
    root = _absolute(root)
    path = _absolute(root / path)
    try:
        rel = path.relative_to(root)
    except ValueError:
        try:
            rel = path.resolve().relative_to(root.resolve())
        except ValueError:
            raise UsageError(
                f"{path} is outside the project root {root}",
                hint="Compile files inside the project, or import them through a remapping or node_modules.",
            ) from None
    if not rel.parts:
        raise UsageError(f"{path} is the project root, not a Solidity file")
    return rel.as_posix()


def project_sources(root: Path, contracts_dir: Path) -> list[Path]:
    """Every ``*.sol`` under ``contracts_dir`` (relative to ``root`` unless absolute), sorted.

    ``node_modules`` and hidden directories are not entered; hidden files (such as
    macOS ``._X.sol``) are skipped. A missing directory gives ``[]``.
    """
    top = _absolute(Path(root) / contracts_dir)
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames[:] = [d for d in dirnames if d != "node_modules" and not d.startswith(".")]
        for name in filenames:
            if name.endswith(".sol") and not name.startswith("."):
                found.append(Path(dirpath, name))
    return sorted(found)


def fingerprint(paths: Iterable[Path]) -> dict[str, tuple[int, int]]:
    """``{str(path): (mtime_ns, size)}`` from ``os.stat``; a file that cannot be stat'ed is left out."""
    result: dict[str, tuple[int, int]] = {}
    for path in paths:
        try:
            st = os.stat(path)
        except OSError:
            continue
        result[str(path)] = (st.st_mtime_ns, st.st_size)
    return result


class _Collector:
    def __init__(self, root: Path, remappings: list[str], library_dir: Path) -> None:
        self.root = root
        self.library_dir = library_dir
        self.parsed = _parse_all(remappings)
        self.graph = SourceGraph(root=root, remappings=list(remappings))
        self.queue: deque[str] = deque()
        self.raw: dict[str, list[tuple[str, int, int]]] = {}  # unit -> parsed, not yet resolved imports
        # unit -> (importer unit, Import, searched paths), the first place each missing unit was wanted
        self.missing: dict[str, tuple[str, Import, list[Path]]] = {}

    def candidates(self, unit: str) -> list[tuple[Path, str]]:
        if unit.startswith(LIBRARY_PREFIX):
            return [(self.library_dir / unit[len(LIBRARY_PREFIX):], "library")]
        first = unit.split("/", 1)[0]
        found = [(self.root / unit, "npm" if first == "node_modules" else "project")]
        for directory in (self.root, *self.root.parents):
            found.append((directory / "node_modules" / unit, "npm"))
        if first == "node_modules":
            found.extend((directory / unit, "npm") for directory in self.root.parents)
        return found

    def add(self, unit: str, path: Path, origin: str) -> None:
        self.graph.sources[unit], self.raw[unit] = _read(unit, path, origin)
        self.queue.append(unit)

    def follow(self) -> None:
        sources = self.graph.sources
        while self.queue:
            source = sources[self.queue.popleft()]
            for written, line, col in self.raw.pop(source.unit):
                try:
                    unit = _resolve(written, source.unit, self.parsed)
                except UsageError as exc:
                    raise UsageError(f"{source.unit}:{line}:{col}: {exc.message}", hint=exc.hint) from None
                imp = Import(written, unit, line, col)
                source.imports.append(imp)
                if unit in sources or unit in self.missing:
                    continue
                searched = self.candidates(unit)
                for path, origin in searched:
                    if path.is_file():
                        self.add(unit, path, origin)
                        break
                else:
                    self.missing[unit] = (source.unit, imp, [p for p, _o in searched])

    def raise_missing(self) -> None:
        if not self.missing:
            return
        (unit, (importer, imp, searched)), *others = self.missing.items()
        remapped = unit != _join(imp.written, importer)
        shown = f'"{imp.written}" (source unit "{unit}")' if remapped else f'"{imp.written}"'
        message = (
            f"{importer}:{imp.line}:{imp.column}: import {shown} not found "
            f"(looked for {', '.join(str(p) for p in searched)})"
        )
        if others:
            names = ", ".join(f'"{u}"' for u, _ in others[:5]) + (", …" if len(others) > 5 else "")
            message += f"; {len(others)} more missing: {names}"
        if unit.startswith(LIBRARY_PREFIX):
            hint = f"Check the path: the bundled smartdev library ({self.library_dir}) has no such file."
        elif remapped:
            hint = (
                f'Check the remapping that turned "{imp.written}" into "{unit}", and that what it points to '
                "is installed (npm install, forge install), or check the path."
            )
        elif _is_relative(imp.written):
            hint = "Check the path: relative imports are resolved against the importing file's directory."
        else:
            parts = unit.split("/")
            package = "/".join(parts[:2]) if parts[0].startswith("@") and len(parts) > 2 else parts[0]
            hint = (
                f"Install the npm package (npm install {package}), add a remapping to remappings.txt "
                "or [compiler] remappings, or check the path."
            )
        raise NotFoundError(message, hint=hint)


def _read(unit: str, path: Path, origin: str) -> tuple[SourceFile, list[tuple[str, int, int]]]:
    """Read and parse one file: the SourceFile (``imports`` still empty) and its raw imports."""
    shown = unit if origin == "project" else str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise NotFoundError(f"{shown} does not exist", hint="Check the path.") from None
    except OSError as exc:
        raise NotFoundError(
            f"cannot read {shown}: {exc.strerror or exc}", hint="Check the file and its permissions."
        ) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise UsageError(
            f"{shown} is not valid UTF-8 (line {line}, byte {exc.start})",
            hint="Solidity sources must be UTF-8; save the file as UTF-8.",
        ) from None
    import hashlib

    pragmas, raw = parse_source(text, shown)
    return SourceFile(unit, path, text, hashlib.sha256(data).hexdigest(), pragmas, [], origin), raw


def collect(
    root: Path, entries: Sequence[Path], *, remappings: Sequence[str], library_dir: Path | None = None
) -> SourceGraph:
    """Read ``entries`` and, recursively, everything they import; each file once.

    ``entries`` are project files (relative paths are relative to ``root``).
    ``library_dir`` defaults to the bundled contract library. Every missing import
    is gathered before raising one :class:`NotFoundError` that locates the first
    (``importer:line:col``), lists every path searched for it and names the others.
    """
    root = _absolute(Path(root))
    if library_dir is None:
        from smartdev.resources import contract_library_dir

        library_dir = contract_library_dir()
    collector = _Collector(root, list(remappings), _absolute(Path(library_dir)))
    graph = collector.graph
    for entry in entries:
        path = _absolute(root / entry)
        unit = unit_name(root, path)
        if unit not in graph.entries:
            graph.entries.append(unit)
        if unit in graph.sources:
            continue
        if not path.is_file():
            raise NotFoundError(f"{path} does not exist", hint="Check the path.")
        collector.add(unit, path, "npm" if unit.startswith("node_modules/") else "project")
        collector.follow()
    collector.raise_missing()
    return graph
