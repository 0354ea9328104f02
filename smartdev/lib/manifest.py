"""The contract library's manifest, the API of its sources, and copying entries into a project.

The library (``smartdev.resources.contract_library_dir()``) has one folder per
category; every ``<category>/<File>.sol`` is an *entry* named ``File``, documented by
``<category>/<File>.md`` next to it. An entry's summary is the ``@notice`` (else the
``@title``) of the NatSpec on its main contract. Library files import each other as
``@smartdev/<category>/<File>.sol`` or relatively.

The manifest (``manifest.json`` at the library root) is derived from the sources,
never edited by hand: ``smartdev lib manifest`` writes it, ``--check`` compares.

Pure standard library, plus the import parser of ``smartdev compile``.
"""

from __future__ import annotations

import difflib
import json
import posixpath
import re
from collections import deque
from pathlib import Path
from typing import Any

from smartdev.compile.sources import _COMMENT, _STRING, LIBRARY_PREFIX, parse_source
from smartdev.errors import NotFoundError, UsageError

FORMAT = 1
MANIFEST_NAME = "manifest.json"
CATEGORIES = ("base", "structures", "access", "governance", "tokens", "crypto", "patterns", "business")
ENTRY_FIELDS = ("name", "category", "summary", "path", "doc", "contracts", "dependencies", "pragma")

_IDENT = r"[A-Za-z_$][\w$]*"
_IDENT_RE = re.compile(_IDENT)
# A comment (group 1) or a string literal (group 2), in source order, so a comment
# marker inside a string and a quote inside a comment are each taken for what they are.
_LEXEME = re.compile(rf"({_COMMENT})|({_STRING})", re.DOTALL)
_DECLARATION = re.compile(
    rf"(?<![\w$])(?:(abstract)\s+)?(contract|library|interface)\s+({_IDENT})\s*(?=(?:is(?![\w$])|\{{))"
)
_MEMBER = re.compile(
    rf"(?<![\w$])(?:(function)\s+({_IDENT})\s*\(|(constructor|receive|fallback)\s*\("
    rf"|(event)\s+({_IDENT})\s*\(|(error)\s+({_IDENT})\s*\()"
)
_VISIBILITY = ("external", "public", "internal", "private")
_MUTABILITY = ("pure", "view", "payable")
_LOCATIONS = ("memory", "storage", "calldata")
_NOT_A_NAME = {*_LOCATIONS, "indexed", "payable"}


# -- lexing -------------------------------------------------------------------------------
def blank_source(text: str) -> str:
    """``text`` with comments and the contents of string literals replaced by spaces.

    Offsets and line breaks are kept, so positions found in the result are positions
    in ``text``; keywords in comments or strings are gone."""

    def blank(m: re.Match[str]) -> str:
        if m.group(1) is not None:
            return re.sub(r"[^\n]", " ", m.group(1))
        literal = m.group(2)
        return literal[0] + re.sub(r"[^\n]", " ", literal[1:-1]) + literal[-1]

    return _LEXEME.sub(blank, text)


def _matching(text: str, start: int, open_: str, close: str) -> int:
    """The offset just past the bracket that closes the one at ``start`` (or len(text))."""
    depth = 0
    for i in range(start, len(text)):
        c = text[i]
        if c == open_:
            depth += 1
        elif c == close:
            depth -= 1
            if depth == 0:
                return i + 1
    return len(text)


def _flatten(text: str) -> str:
    """``text`` (blanked) with everything inside braces replaced by spaces; braces kept."""
    out = []
    depth = 0
    for c in text:
        if c == "{":
            out.append(c if depth == 0 else " ")
            depth += 1
        elif c == "}":
            depth = max(depth - 1, 0)
            out.append(c if depth == 0 else " ")
        else:
            out.append(c if depth == 0 or c == "\n" else " ")
    return "".join(out)


def _split_top(text: str, sep: str | None) -> list[str]:
    """Split at ``sep`` (None: whitespace) outside parentheses and brackets; drop empties."""
    parts, current, depth = [], [], 0
    for c in text:
        if c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        if depth == 0 and (c == sep if sep is not None else c.isspace()):
            parts.append("".join(current))
            current = []
        else:
            current.append(c)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


# -- NatSpec ------------------------------------------------------------------------------
def natspec_blocks(text: str) -> list[tuple[int, int, dict[str, str]]]:
    """The NatSpec comments of ``text`` as (start, end, tags): runs of ``///`` lines and
    ``/** */`` blocks. Untagged leading text counts as ``notice``; a tag's lines are
    joined with single spaces."""
    raw: list[list[Any]] = []  # [start, end, lines, kind]
    for m in _LEXEME.finditer(text):
        comment = m.group(1)
        if comment is None:
            continue
        if comment.startswith("///") and not comment.startswith("////"):
            line = comment[3:]
            if raw and raw[-1][3] == "///" and not text[raw[-1][1]:m.start()].strip():
                raw[-1][1] = m.end()
                raw[-1][2].append(line)
            else:
                raw.append([m.start(), m.end(), [line], "///"])
        elif comment.startswith("/**") and comment != "/**/" and not comment.startswith("/***"):
            body = comment[3:]
            if body.endswith("*/"):
                body = body[:-2]
            lines = [re.sub(r"^\s*\*(?!/)", "", line) for line in body.split("\n")]
            raw.append([m.start(), m.end(), lines, "/**"])
    blocks = []
    for start, end, lines, _kind in raw:
        tags: dict[str, list[str]] = {}
        current = "notice"
        for line in lines:
            line = line.strip()
            tag = re.match(r"@([\w:-]+)\s*(.*)", line)
            if tag:
                current, line = tag.group(1), tag.group(2).strip()
                tags.setdefault(current, [])
            if line:
                tags.setdefault(current, []).append(line)
        blocks.append((start, end, {k: " ".join(v) for k, v in tags.items()}))
    return blocks


def summary_of(text: str, main: str | None = None) -> str:
    """The one-line summary of a source: the ``@notice`` (else ``@title``) of the NatSpec
    right before the declaration of ``main``, else of the first NatSpec block that has one."""
    blocks = natspec_blocks(text)
    candidates = []
    if main:
        blanked = blank_source(text)
        for _kind, name, start, _body, _end in declarations(blanked):
            if name == main:
                candidates += [tags for _s, end, tags in blocks if end <= start and not blanked[end:start].strip()]
                break
    candidates += [tags for _s, _e, tags in blocks]
    for tags in candidates:
        summary = tags.get("notice") or tags.get("title")
        if summary:
            return summary
    return ""


# -- declarations and API -----------------------------------------------------------------
def declarations(blanked: str) -> list[tuple[str, str, int, int, int]]:
    """The contracts, libraries and interfaces of a blanked source as
    (kind, name, start, body start, body end); kind is e.g. ``abstract contract``."""
    found = []
    flat = _flatten(blanked)  # only top-level declarations
    for m in _DECLARATION.finditer(flat):
        brace = flat.find("{", m.end())
        if brace < 0:
            continue
        end = _matching(blanked, brace, "{", "}")
        kind = f"abstract {m.group(2)}" if m.group(1) else m.group(2)
        found.append((kind, m.group(3), m.start(), brace + 1, end - 1))
    return found


def _param(text: str) -> dict[str, Any]:
    words = _split_top(text, None)
    name = ""
    if len(words) > 1 and _IDENT_RE.fullmatch(words[-1]) and words[-1] not in _NOT_A_NAME:
        name = words.pop()
    indexed = "indexed" in words
    type_ = " ".join(w for w in words if w not in _LOCATIONS and w != "indexed")
    type_ = re.sub(r"\s+", " ", type_)
    type_ = re.sub(r"\s*=>\s*", " => ", re.sub(r"\s*([()\[\],])\s*", r"\1", type_))
    param: dict[str, Any] = {"name": name, "type": type_}
    if indexed:
        param["indexed"] = True
    return param


def _params(text: str) -> list[dict[str, Any]]:
    return [_param(p) for p in _split_top(text, ",")]


def _types(params: list[dict[str, Any]], *, indexed: bool = False) -> str:
    return ",".join(p["type"] + (" indexed" if indexed and p.get("indexed") else "") for p in params)


def _members(flat: str, blanked: str) -> dict[str, list[dict[str, Any]]]:
    """Functions, events and errors declared at the top level of ``flat`` (a flattened
    body; ``blanked`` is the same text unflattened, for parameter lists)."""
    functions: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    pos = 0
    while True:
        m = _MEMBER.search(flat, pos)
        if m is None:
            break
        paren = m.end() - 1
        close = _matching(blanked, paren, "(", ")")
        inputs = _params(blanked[paren + 1 : close - 1])
        # Attributes run to the body or the ';' (outside parentheses).
        i, depth = close, 0
        while i < len(flat) and not (depth == 0 and flat[i] in "{;"):
            depth += {"(": 1, ")": -1}.get(flat[i], 0)
            i += 1
        attributes = re.sub(r"(?<![\w$])returns\s*\(", "returns (", blanked[close:i])
        pos = i + 1
        if m.group(1) or m.group(3):
            name = m.group(2) or m.group(3)
            words = _split_top(attributes, None)
            visibility = next((w for w in words if w in _VISIBILITY), None)
            mutability = next((w for w in words if w in _MUTABILITY), None)
            outputs: list[dict[str, Any]] = []
            for k, word in enumerate(words[:-1]):
                if word == "returns":
                    group = words[k + 1]
                    outputs = _params(group[1:-1] if group.startswith("(") else group)
            signature = f"{name}({_types(inputs)})"
            shown = " ".join([signature] + [w for w in (visibility, mutability) if w])
            if outputs:
                shown += f" returns ({_types(outputs)})"
            functions.append({"name": name, "signature": signature, "inputs": inputs, "outputs": outputs,
                              "visibility": visibility, "mutability": mutability or "nonpayable",
                              "text": shown})
        elif m.group(4):
            anonymous = "anonymous" in attributes.split()
            signature = f"{m.group(5)}({_types(inputs)})"
            shown = f"{m.group(5)}({_types(inputs, indexed=True)})" + (" anonymous" if anonymous else "")
            events.append({"name": m.group(5), "signature": signature, "inputs": inputs,
                           "anonymous": anonymous, "text": shown})
        else:
            signature = f"{m.group(7)}({_types(inputs)})"
            errors.append({"name": m.group(7), "signature": signature, "inputs": inputs, "text": signature})
    return {"functions": functions, "events": events, "errors": errors}


def source_api(text: str) -> list[dict[str, Any]]:
    """The API of a Solidity source, read with regular expressions after blanking comments
    and strings: for each contract/library/interface its functions (with visibility,
    mutability and return types), events and custom errors — declared in it, not
    inherited — in source order. Free functions, events and errors come last under
    kind ``file``. Public state variables' getters are not listed."""
    blanked = blank_source(text)
    api = []
    for kind, name, _start, body_start, body_end in declarations(blanked):
        body = blanked[body_start:body_end]
        api.append({"kind": kind, "name": name, **_members(_flatten(body), body)})
    top = _flatten(blanked)
    free = _members(top, blanked)
    if any(free.values()):
        api.append({"kind": "file", "name": "", **free})
    return api


# -- the manifest -------------------------------------------------------------------------
def _library_sources(library_dir: Path) -> list[str]:
    """Library entry paths (POSIX, relative): ``*.sol`` inside a folder, hidden folders
    and ``node_modules`` skipped."""
    if not library_dir.is_dir():
        return []
    rels = []
    for path in library_dir.rglob("*.sol"):
        parts = path.relative_to(library_dir).parts
        if len(parts) < 2 or any(p.startswith(".") or p == "node_modules" for p in parts):
            continue
        if path.is_file():
            rels.append("/".join(parts))
    return sorted(rels)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {path}: {exc}") from exc


def _resolve(written: str, importer: str) -> str | None:
    """The library path an import of ``importer`` names, or None when it is outside the
    library (an npm package, say). A path that leaves the library starts with ``../``."""
    if written.startswith(LIBRARY_PREFIX):
        return posixpath.normpath(written[len(LIBRARY_PREFIX):])
    if written.split("/", 1)[0] in (".", ".."):
        return posixpath.normpath(posixpath.join(posixpath.dirname(importer), written))
    return None


def build_manifest(library_dir: Path) -> dict[str, Any]:
    """The manifest of the library in ``library_dir``, read from its sources.

    Raises :class:`UsageError` for two entries with one name and :class:`NotFoundError`
    for an import of a library path that does not exist."""
    library_dir = Path(library_dir)
    rels = _library_sources(library_dir)
    by_rel: dict[str, str] = {}
    seen: dict[str, str] = {}
    for rel in rels:
        name = posixpath.splitext(posixpath.basename(rel))[0]
        if name in seen:
            raise UsageError(f"two library entries are named {name}: {seen[name]} and {rel}",
                             hint="Library file names must be unique across categories.")
        seen[name] = rel
        by_rel[rel] = name
    entries = []
    for rel in rels:
        name = by_rel[rel]
        text = _read(library_dir / rel)
        pragmas, imports = parse_source(text, rel)
        dependencies = set()
        for written, line, col in imports:
            target = _resolve(written, rel)
            if target is None:
                continue
            if target not in by_rel:
                raise NotFoundError(f"{rel}:{line}:{col}: imports {written!r}, which is not in the contract library",
                                    hint=f"Library files import each other as {LIBRARY_PREFIX}<category>/<File>.sol.")
            if by_rel[target] != name:
                dependencies.add(by_rel[target])
        doc = posixpath.splitext(rel)[0] + ".md"
        entries.append({
            "name": name,
            "category": rel.split("/", 1)[0],
            "summary": summary_of(text, name),
            "path": rel,
            "doc": doc if (library_dir / doc).is_file() else None,
            "contracts": [d[1] for d in declarations(blank_source(text))],
            "dependencies": sorted(dependencies),
            "pragma": pragmas[0] if pragmas else None,
        })
    entries.sort(key=lambda e: (e["category"], e["name"]))
    return {"format": FORMAT, "entries": entries}


def manifest_text(manifest: dict[str, Any]) -> str:
    return json.dumps(manifest, indent=2) + "\n"


def read_committed(library_dir: Path) -> dict[str, Any] | None:
    """``manifest.json`` as committed, or None when it is missing or not valid JSON."""
    try:
        data = json.loads((Path(library_dir) / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def load_manifest(library_dir: Path) -> dict[str, Any]:
    """The manifest: the committed ``manifest.json`` when it matches the sources, else
    the one built from them (a stale or missing file never changes what is reported)."""
    built = build_manifest(library_dir)
    committed = read_committed(library_dir)
    return committed if committed == built else built


def write_manifest(library_dir: Path) -> tuple[Path, bool]:
    """Write ``manifest.json`` atomically (indent 2, trailing newline); returns its path
    and whether it changed (an up-to-date file is not rewritten)."""
    from smartdev.files import atomic_write_text

    path = Path(library_dir) / MANIFEST_NAME
    text = manifest_text(build_manifest(library_dir))
    try:
        if path.read_text(encoding="utf-8") == text:
            return path, False
    except (OSError, UnicodeDecodeError):
        pass
    atomic_write_text(path, text)
    return path, True


def diff_manifests(old: dict[str, Any] | None, new: dict[str, Any]) -> list[str]:
    """What differs between a committed manifest and the current one, one line each
    (empty when they are equal)."""
    if old is None:
        return [f"{MANIFEST_NAME} is missing or not valid JSON"]
    lines = []
    if old.get("format") != new.get("format"):
        lines.append(f"format: {old.get('format')!r} -> {new.get('format')!r}")
    old_entries = {e.get("name"): e for e in old.get("entries") or [] if isinstance(e, dict)}
    new_entries = {e["name"]: e for e in new["entries"]}
    for name, entry in new_entries.items():
        if name not in old_entries:
            lines.append(f"added: {name} ({entry['path']})")
            continue
        before = old_entries[name]
        for key in ENTRY_FIELDS:
            if before.get(key) != entry.get(key):
                lines.append(f"changed: {name}.{key}: {before.get(key)!r} -> {entry.get(key)!r}")
        for key in sorted(set(before) - set(ENTRY_FIELDS)):
            lines.append(f"changed: {name}.{key}: unknown field")
    for name in old_entries:
        if name not in new_entries:
            lines.append(f"removed: {name}")
    if not lines and old != new:
        lines.append("entries are out of order or duplicated")
    return lines


def categories(manifest: dict[str, Any]) -> list[str]:
    """The known categories: the standard ones, then any other present in the library."""
    present = [e["category"] for e in manifest["entries"]]
    return list(CATEGORIES) + sorted(set(present) - set(CATEGORIES))


def find(manifest: dict[str, Any], name: str) -> dict[str, Any]:
    """The entry called ``name`` (also ``category/Name`` or its path; case-insensitive
    when unambiguous). :class:`NotFoundError` suggests close names otherwise."""
    entries = manifest["entries"]
    for entry in entries:
        if name in (entry["name"], f"{entry['category']}/{entry['name']}", entry["path"]):
            return entry
    folded = [e for e in entries if e["name"].lower() == name.lower()]
    if len(folded) == 1:
        return folded[0]
    names = [e["name"] for e in entries]
    by_lower = {n.lower(): n for n in names}
    close = [by_lower[n] for n in difflib.get_close_matches(name.lower(), list(by_lower), n=3, cutoff=0.6)]
    present = sorted({e["category"] for e in entries})
    if not entries:
        hint = "The contract library is empty."
    else:
        hint = (f"Did you mean {' or '.join(close)}? " if close else "") + \
            f"Categories: {', '.join(present)}; see `smartdev lib list`."
    raise NotFoundError(f"no library entry named {name!r}", hint=hint)


def closure(manifest: dict[str, Any], name: str) -> list[dict[str, Any]]:
    """The entry ``name`` followed by all its library dependencies, transitively, each once."""
    by_name = {e["name"]: e for e in manifest["entries"]}
    first = find(manifest, name)
    order, queue, seen = [], deque([first["name"]]), {first["name"]}
    while queue:
        entry = by_name[queue.popleft()]
        order.append(entry)
        for dep in entry["dependencies"]:
            if dep not in seen and dep in by_name:
                seen.add(dep)
                queue.append(dep)
    return order


# -- copying into a project ----------------------------------------------------------------
def rewrite_imports(text: str, rel: str) -> tuple[str, list[str]]:
    """``text`` (the library file ``rel``) with every ``@smartdev/…`` import made relative
    to ``rel``, so a copy laid out as ``<category>/<File>.sol`` compiles on its own; and
    the imports that point outside the library (left as they are)."""
    _pragmas, imports = parse_source(text, rel)
    starts = [0]
    for line in text.split("\n"):
        starts.append(starts[-1] + len(line) + 1)
    replacements = []
    external = []
    for written, line, col in imports:
        if _resolve(written, rel) is None:
            external.append(written)
            continue
        if not written.startswith(LIBRARY_PREFIX):
            continue  # relative: still right, the layout is kept
        target = _resolve(written, rel)
        relative = posixpath.relpath(target, posixpath.dirname(rel) or ".")
        if not relative.startswith("../"):
            relative = "./" + relative
        for m in _LEXEME.finditer(text, starts[line - 1] + col - 1):
            if m.group(2) is not None:  # the first string of the statement is its path
                quote = m.group(2)[0]
                replacements.append((m.start(2), m.end(2), f"{quote}{relative}{quote}"))
                break
    for start, end, new in sorted(replacements, reverse=True):
        text = text[:start] + new + text[end:]
    return text, external


def plan_add(library_dir: Path, manifest: dict[str, Any], name: str) -> list[tuple[str, str, list[str]]]:
    """The files ``smartdev lib add NAME`` copies: (library path, rewritten text, external
    imports) for the entry and its transitive dependencies."""
    plan = []
    for entry in closure(manifest, name):
        text, external = rewrite_imports(_read(Path(library_dir) / entry["path"]), entry["path"])
        plan.append((entry["path"], text, external))
    return plan


def add_entry(library_dir: Path, manifest: dict[str, Any], name: str, dest: Path, *,
              force: bool = False) -> dict[str, list[Any]]:
    """Copy entry ``name`` and its dependencies under ``dest`` as ``<category>/<File>.sol``.

    Every destination is checked before anything is written: an existing file with other
    content is a :class:`UsageError` listing them all, unless ``force``. Returns the paths
    ``written`` (new or overwritten, ``conflicts`` those overwritten), ``unchanged``
    (already identical), and ``external``: ``(library path, import)`` for imports of
    files outside the library, which the project must provide."""
    from smartdev.files import atomic_write_text

    dest = Path(dest)
    plan = plan_add(library_dir, manifest, name)
    result: dict[str, list[Any]] = {"written": [], "unchanged": [], "conflicts": [], "external": []}
    todo = []
    for rel, text, external in plan:
        result["external"] += [(rel, path) for path in external]
        target = dest / rel
        if target.is_dir():
            raise UsageError(f"{target} is a directory", hint="Choose another --to folder.")
        try:
            existing = target.read_bytes()
        except FileNotFoundError:
            existing = None
        except OSError as exc:
            raise UsageError(f"cannot read {target}: {exc}") from exc
        if existing == text.encode("utf-8"):
            result["unchanged"].append(target)
            continue
        if existing is not None:
            result["conflicts"].append(target)
        todo.append((target, text))
    if result["conflicts"] and not force:
        listed = ", ".join(str(p) for p in result["conflicts"])
        raise UsageError(f"would overwrite {len(result['conflicts'])} changed file(s): {listed}",
                         hint="Nothing was written. Use --force to overwrite them.")
    for target, text in todo:
        atomic_write_text(target, text)
        result["written"].append(target)
    return result
