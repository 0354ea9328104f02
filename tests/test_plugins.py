"""Third-party plugins through the `smartdev.plugins` entry-point group."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from smartdev.errors import ExitStatus


def make_dist(site: Path, dist: str, entry_points: dict[str, str], modules: dict[str, str]) -> None:
    """Simulate an installed distribution: a .dist-info directory and its modules on sys.path."""
    info = site / f"{dist.replace('-', '_')}-1.2.3.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.2.3\n")
    lines = ["[smartdev.plugins]"] + [f"{name} = {value}" for name, value in entry_points.items()]
    (info / "entry_points.txt").write_text("\n".join(lines) + "\n")
    for name, code in modules.items():
        (site / f"{name}.py").write_text(textwrap.dedent(code))


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    make_dist(site, "smartdev-hello", {"hello": "hello_plugin:app"}, {"hello_plugin": """
        import typer
        app = typer.Typer()

        @app.command()
        def hello(name: str = "world") -> None:
            '''Say hello from a third-party plugin.'''
            print(f"hello {name}")
        """})
    make_dist(site, "smartdev-broken", {"broken": "broken_plugin:app", "badref": "hello_plugin:nothing"},
              {"broken_plugin": "import a_module_that_does_not_exist\n"})
    make_dist(site, "smartdev-clicky", {"clicky": "clicky_plugin:cmd"}, {"clicky_plugin": """
        import click

        @click.command()
        @click.argument("n", type=int)
        def cmd(n):
            '''A plugin written with the click package.'''
            click.echo(n * 2)
        """})
    return site


def smartdev(site: Path, cache: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(site), "SMARTDEV_CACHE_DIR": str(cache)}
    return subprocess.run([sys.executable, "-m", "smartdev", *args], capture_output=True, text=True,
                          env=env, timeout=120)


def test_third_party_command_appears_and_runs(site: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    for _ in range(2):  # building the index, then reading it
        help_ = smartdev(site, cache, "--help")
        assert help_.returncode == 0
        plugins_section = help_.stdout.split("Plugins:")[1]
        assert "hello" in plugins_section and "Say hello from a third-party plugin." in plugins_section
        assert "deploy" in help_.stdout.split("Commands:")[1].split("Plugins:")[0]
    ran = smartdev(site, cache, "hello", "--name", "ann")
    assert ran.returncode == 0 and ran.stdout.strip() == "hello ann"


def test_broken_plugins_warn_once_and_others_work(site: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    help_ = smartdev(site, cache, "--help")
    assert help_.returncode == 0
    warnings = [line for line in help_.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 2
    assert any("broken" in w and "a_module_that_does_not_exist" in w for w in warnings)
    assert any("badref" in w for w in warnings)
    assert "broken" not in help_.stdout
    ok = smartdev(site, cache, "hello")
    assert ok.returncode == 0 and ok.stdout.strip() == "hello world"
    failed = smartdev(site, cache, "broken")
    assert failed.returncode == ExitStatus.PLUGIN
    assert "plugin 'broken' (smartdev-broken 1.2.3) failed to load" in failed.stderr
    assert "Traceback" not in failed.stderr


def test_click_package_command_runs(site: Path, tmp_path: Path) -> None:
    result = smartdev(site, tmp_path / "cache", "clicky", "21")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "42"


def test_plugins_command_reports_status(site: Path, tmp_path: Path) -> None:
    result = smartdev(site, tmp_path / "cache", "plugins", "--json")
    assert result.returncode == 0, result.stderr
    rows = {r["command"]: r for r in json.loads(result.stdout)}
    assert rows["deploy"]["kind"] == "built-in" and rows["deploy"]["package"] == "smartdev"
    assert rows["deploy"]["status"] == "ok"
    assert rows["hello"]["kind"] == "third-party"
    assert rows["hello"]["version"] == "1.2.3"
    assert rows["hello"]["module"] == "hello_plugin:app"
    assert rows["broken"]["status"] == "error"
    assert "a_module_that_does_not_exist" in rows["broken"]["error"]
    assert "is a NoneType" in rows["badref"]["error"] or "nothing" in rows["badref"]["error"]


def test_index_notices_a_new_plugin(site: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert "Installed after" not in smartdev(site, cache, "--help").stdout
    make_dist(site, "smartdev-later", {"later": "later_plugin:app"}, {"later_plugin": """
        import typer
        app = typer.Typer()

        @app.command()
        def later() -> None:
            '''Installed after the index was built.'''
        """})
    assert "Installed after the index was built." in smartdev(site, cache, "--help").stdout
