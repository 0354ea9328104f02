"""Projects from templates: cookiecutter templates shipped in ``templates/``.

A template is a real cookiecutter template (``cookiecutter.json``, a
``{{cookiecutter.project_name}}/`` folder, ``hooks/``), usable with plain
``cookiecutter`` too. smartdev adds two private keys to ``cookiecutter.json``:
``_description`` (shown by ``smartdev new --list-templates``) and ``_sample``
(the files that ``--from-contracts`` replaces with the user's contracts).

The project is rendered into a temporary folder next to the target and moved in
place in one rename, so a failure (a bad ``--set`` value, a failing hook) leaves
nothing half-written. ``--force`` merges into an existing folder without losing
anything: files it would change are written next to the original as ``NAME.new``.
"""

from __future__ import annotations

import json
import keyword
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from smartdev.errors import NotFoundError, UsageError
from smartdev.resources import templates_dir

if TYPE_CHECKING:  # pragma: no cover
    from smartdev.context import Environment

DEFAULT_TEMPLATE = "basic"
EXTRAS = Path(__file__).with_name("extras")


@dataclass
class Template:
    name: str
    path: Path
    description: str
    variables: dict[str, Any]  # prompted variables and their defaults (a list: choices, first is default)
    sample: list[str] = field(default_factory=list)


@dataclass
class Created:
    path: Path
    template: str
    files: list[str]  # relative paths written
    kept: list[str] = field(default_factory=list)  # existing files left alone; the template's version is NAME.new
    contracts: list[str] = field(default_factory=list)  # copied by --from-contracts


def templates(root: Path | None = None) -> list[Template]:
    """Every template in ``templates/``, by name."""
    root = root or templates_dir()
    found = []
    for folder in sorted(p for p in root.iterdir() if (p / "cookiecutter.json").is_file()):
        found.append(_read_template(folder))
    return found


def _read_template(folder: Path) -> Template:
    try:
        data = json.loads((folder / "cookiecutter.json").read_text(encoding="utf-8"))
    except ValueError as exc:  # pragma: no cover - a broken shipped template
        raise UsageError(f"template {folder.name}: cookiecutter.json is not valid JSON: {exc}") from None
    return Template(
        name=folder.name, path=folder, description=str(data.get("_description", "")),
        variables={k: v for k, v in data.items() if not k.startswith("_")},
        sample=list(data.get("_sample", [])))


def find_template(name: str) -> Template:
    known = templates()
    for template in known:
        if template.name == name:
            return template
    import difflib

    names = [t.name for t in known]
    close = difflib.get_close_matches(name, names, n=1)
    raise NotFoundError(f"unknown template '{name}' (known: {', '.join(names)})",
                        hint=(f"Did you mean '{close[0]}'? " if close else "") + "See `smartdev new --list-templates`.")


def suggest_name(name: str) -> str:
    """A valid Python package name close to ``name``."""
    text = re.sub(r"[^0-9A-Za-z_]+", "_", name.strip()).strip("_").lower() or "project"
    if text[0].isdigit():
        text = "p_" + text
    if keyword.iskeyword(text):
        text += "_"
    return text


def check_name(name: str) -> str:
    """A project name must be a Python package name: it names the project's package too."""
    if not name.isidentifier() or keyword.iskeyword(name) or name != name.strip():
        raise UsageError(f"'{name}' is not a valid project name: it must be a Python package name "
                         "(letters, digits and _, not starting with a digit)",
                         hint=f"Try '{suggest_name(name)}'.")
    return name


def parse_sets(pairs: list[str], template: Template) -> dict[str, str]:
    """``--set key=value`` pairs, checked against the template's variables."""
    values: dict[str, str] = {}
    for pair in pairs:
        key, eq, value = pair.partition("=")
        key = key.strip()
        if not eq or not key:
            raise UsageError(f"--set {pair!r} is not KEY=VALUE", hint="For example: --set author=Ann")
        if key not in template.variables:
            raise UsageError(f"template '{template.name}' has no variable '{key}' "
                             f"(it has: {', '.join(template.variables)})")
        if key == "project_name":
            raise UsageError("the project name is the NAME argument, not a --set value")
        choices = template.variables[key]
        if isinstance(choices, list) and value not in [str(c) for c in choices]:
            raise UsageError(f"--set {key}={value}: choose one of {', '.join(map(str, choices))}")
        values[key] = value
    return values


def create(env: Environment, name: str, *, template: str = DEFAULT_TEMPLATE, output_dir: Path | None = None,
           no_input: bool = True, settings: list[str] | None = None, force: bool = False,
           from_contracts: Path | None = None) -> Created:
    """Render ``template`` as project ``name`` in ``output_dir`` (default: the working directory)."""
    check_name(name)
    chosen = find_template(template)
    extra = parse_sets(settings or [], chosen)
    extra["project_name"] = name
    parent = (env.cwd / output_dir.expanduser() if output_dir else env.cwd).resolve()
    if from_contracts is not None:
        from_contracts = (env.cwd / from_contracts.expanduser()).resolve()
    target = parent / name
    if target.exists() and not target.is_dir():
        raise UsageError(f"{target} exists and is not a folder")
    if target.exists() and not force and any(target.iterdir()):
        raise UsageError(f"{target} already exists and is not empty",
                         hint="Pick another name, or pass --force to add the template's files to it "
                         "(existing files are never overwritten: changed ones are written as NAME.new).")
    sources = _contract_sources(from_contracts, chosen) if from_contracts is not None else []
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".smartdev-new-", dir=parent))
    try:
        rendered = _render(env, chosen, extra, staging, no_input=no_input)
        copied = _adopt_contracts(rendered, chosen, from_contracts, sources) if sources else []
        files = sorted(p.relative_to(rendered).as_posix() for p in rendered.rglob("*")
                       if p.is_file() and ".git" not in p.relative_to(rendered).parts)
        if target.exists():
            kept = _merge(rendered, target)
        else:
            os.rename(rendered, target)
            kept = []
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Created(path=target, template=chosen.name, files=files, kept=kept, contracts=copied)


def _render(env: Environment, template: Template, extra: dict[str, Any], staging: Path, *, no_input: bool) -> Path:
    from cookiecutter import exceptions as cc
    from cookiecutter.main import cookiecutter

    config = staging / ".cookiecutterrc"
    replay = env.user_dir("data") / "new" / "replay"  # what `cookiecutter --replay` reads; ours, not ~/
    config.write_text(f"replay_dir: {json.dumps(str(replay))}\n"
                      f"cookiecutters_dir: {json.dumps(str(staging / '.cookiecutters'))}\n", encoding="utf-8")
    out = staging / "out"
    try:
        result = cookiecutter(str(template.path), no_input=no_input, extra_context=extra, output_dir=str(out),
                              config_file=str(config))
    except cc.FailedHookException as exc:
        raise UsageError(f"template '{template.name}': a post-generation hook failed: {exc}",
                         hint="Nothing was written. Run with --debug for the hook's output.") from None
    except cc.UndefinedVariableInTemplate as exc:  # pragma: no cover - a broken shipped template
        raise UsageError(f"template '{template.name}' uses an undefined variable: {exc.message}") from None
    except cc.CookiecutterException as exc:  # pragma: no cover - anything else cookiecutter refuses
        raise UsageError(f"template '{template.name}': {exc}") from None
    return Path(result)


def _merge(rendered: Path, target: Path) -> list[str]:
    """Copy the rendered files into ``target``; never replace a file that differs."""
    kept = []
    for source in sorted(rendered.rglob("*")):
        rel = source.relative_to(rendered)
        if ".git" in rel.parts and (target / ".git").exists():
            continue  # the folder already is a repository
        dest = target / rel
        if source.is_dir():
            dest.mkdir(parents=True, exist_ok=True)
            continue
        if dest.exists():
            if dest.read_bytes() != source.read_bytes():
                shutil.copy2(source, dest.with_name(dest.name + ".new"))
                kept.append(rel.as_posix())
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, dest)
    return kept


# -- --from-contracts ---------------------------------------------------------------------
def _contract_sources(folder: Path, template: Template) -> list[Path]:
    if not template.sample:
        raise UsageError(f"template '{template.name}' cannot be built around existing contracts",
                         hint=f"Use --template {DEFAULT_TEMPLATE} with --from-contracts.")
    if not folder.is_dir():
        raise NotFoundError(f"--from-contracts {folder}: no such folder")
    sources = sorted(p for p in folder.rglob("*.sol") if "node_modules" not in p.parts)
    if not sources:
        raise NotFoundError(f"--from-contracts {folder}: no .sol files in it")
    return sources


def _adopt_contracts(project: Path, template: Template, folder: Path | None, sources: list[Path]) -> list[str]:
    """Replace the template's sample files with the user's contracts, a smoke test and a deploy script."""
    assert folder is not None
    for rel in template.sample:
        (project / rel).unlink(missing_ok=True)
    copied = []
    for source in sources:
        rel = source.relative_to(folder)
        dest = project / "contracts" / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, dest)
        copied.append(("contracts" / rel).as_posix())
    for extra, dest in (("test_contracts.py", "tests/test_contracts.py"), ("deploy.py", "scripts/deploy.py")):
        (project / dest).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(EXTRAS / extra, project / dest)
    return copied
