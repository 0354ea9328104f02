"""The root command: help, version, suggestions, error format, exit codes, start-up."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from smartdev.errors import ExitStatus

BUILTIN = ["call", "chain", "deploy", "networks", "plugins", "send"]


def smartdev(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
             pythonpath: Path | None = None) -> subprocess.CompletedProcess:
    environ = {**os.environ, **(env or {})}
    if pythonpath is not None:
        environ["PYTHONPATH"] = str(pythonpath)
    return subprocess.run([sys.executable, "-m", "smartdev", *args], capture_output=True, text=True,
                          cwd=cwd, env=environ, timeout=120)


def test_help_lists_every_builtin_command(tmp_path: Path) -> None:
    result = smartdev("--help", env={"SMARTDEV_CACHE_DIR": str(tmp_path)})
    assert result.returncode == 0
    commands = result.stdout.split("Commands:")[1]
    for name in BUILTIN:
        assert f"\n  {name} " in commands
    assert "warning" not in result.stderr


def test_help_imports_no_heavy_module(tmp_path: Path) -> None:
    probe = ("import sys, io, contextlib\nfrom smartdev.cli import main\n"
             "with contextlib.redirect_stdout(io.StringIO()): code = main(['--help'])\n"
             "heavy = [m for m in ('web3', 'eth_account', 'eth_tester', 'eth', 'solcx', 'pydantic', 'requests')"
             " if m in sys.modules]\nprint(code, heavy)")
    env = {**os.environ, "SMARTDEV_CACHE_DIR": str(tmp_path)}
    for _ in range(2):  # first run builds the plugin index, second reads it
        out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env)
        assert out.stdout.strip() == "0 []", out.stderr


def test_version(run) -> None:
    result = subprocess.run([sys.executable, "-m", "smartdev", "--version"], capture_output=True, text=True)
    assert result.returncode == 0
    assert result.stdout.startswith("smartdev 0.1.0")


def test_unknown_command_suggests_closest(run) -> None:
    result = smartdev("chian")
    assert result.returncode == ExitStatus.USAGE
    assert "No such command 'chian'. Did you mean 'chain'" in result.stderr


def test_unknown_command_without_close_match(run) -> None:
    result = smartdev("zzzzzz")
    assert result.returncode == ExitStatus.USAGE
    assert "Run 'smartdev --help'" in result.stderr


def test_user_error_is_one_line_and_debug_shows_traceback(tmp_path: Path) -> None:
    (tmp_path / "smartdev.toml").write_text('[networks.x]\nkind = "rpc"\n')
    plain = smartdev("networks", cwd=tmp_path)
    assert plain.returncode == ExitStatus.CONFIG
    assert plain.stderr.strip().count("\n") == 0
    assert "Traceback" not in plain.stderr
    assert plain.stderr.startswith("error: ")
    debug = smartdev("networks", "--debug", cwd=tmp_path)  # --debug accepted anywhere
    assert debug.returncode == ExitStatus.CONFIG
    assert "Traceback" in debug.stderr
    assert "ConfigError" in debug.stderr


def test_bad_option_is_usage_error(run) -> None:
    result = run("chain", "start", "--port", "notaport")
    assert result.code == ExitStatus.USAGE


def test_json_output_is_clean_json(run) -> None:
    result = run("networks", "--json", "--timeout", "0.5")
    assert result.code == 0
    rows = json.loads(result.stdout)
    assert {r["name"] for r in rows} >= {"embedded", "local"}
    embedded = next(r for r in rows if r["name"] == "embedded")
    assert embedded["reachable"] is True and embedded["default"] is True


def test_option_help_keeps_bracketed_text(tmp_path: Path) -> None:
    """rich markup must not eat literal [brackets] in option help (it once dropped [accounts.NAME])."""
    result = smartdev("send", "--help", env={"SMARTDEV_CACHE_DIR": str(tmp_path), "COLUMNS": "200"})
    assert result.returncode == 0
    assert "[accounts.NAME]" in result.stdout
