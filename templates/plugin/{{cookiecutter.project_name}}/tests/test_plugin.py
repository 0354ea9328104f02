"""The plugin's tests: its library function, its command (run the way smartdev runs it) and
its entry point. `smartdev test` compiles contracts/ first."""

import json
import tomllib
from importlib import import_module
from pathlib import Path

import pytest

from smartdev.context import Environment
from smartdev.errors import NotFoundError
from {{ cookiecutter.project_name }}.cli import app
from {{ cookiecutter.project_name }}.sizes import RUNTIME_LIMIT, Size, sizes

ROOT = Path(__file__).resolve().parents[1]


def test_sizes_of_the_compiled_sample():
    [sample] = sizes(ROOT / "build")  # the interface has no code and is left out
    assert sample.contract == "Sample"
    assert 0 < sample.runtime < sample.initcode < RUNTIME_LIMIT
    assert sample.status(0.8) == "ok"


def test_status_near_and_over_the_limits():
    assert Size("Big", RUNTIME_LIMIT - 100, 30_000).status(0.8) == "near the limit"
    assert Size("Huge", RUNTIME_LIMIT + 1, 30_000).status(0.8) == "too big"


def test_no_build_folder_is_a_clear_error(tmp_path):
    with pytest.raises(NotFoundError, match="no compiled contracts"):
        sizes(tmp_path / "build")


def test_the_command_prints_json(capsys):
    app(["--json"], obj=Environment(cwd=ROOT), standalone_mode=False)
    rows = json.loads(capsys.readouterr().out)
    assert [r["contract"] for r in rows] == ["Sample"] and rows[0]["status"] == "ok"


def test_the_entry_point_names_the_command():
    entry = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["entry-points"]["smartdev.plugins"]
    module, _, attr = entry["{{ cookiecutter.command }}"].partition(":")
    assert getattr(import_module(module), attr) is app
