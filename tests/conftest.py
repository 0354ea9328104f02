"""Shared fixtures: run the CLI in-process with its own environment, compiled
demo contracts, and a real background node started by `smartdev chain start`."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# No background `npm view solc versions` refreshes from the test suite, and the
# warm compiler daemons it starts live in a folder of its own, stopped at the end.
os.environ.setdefault("SMARTDEV_OFFLINE", "1")
_DAEMONS = tempfile.mkdtemp(prefix="smartdev-test-daemons-")
os.environ["SMARTDEV_DAEMON_DIR"] = _DAEMONS
os.environ.setdefault("SMARTDEV_DAEMON_IDLE", "120")
# Keys and other long-lived data go to a throwaway folder, never the user's own.
_DATA = tempfile.mkdtemp(prefix="smartdev-test-data-")
os.environ["SMARTDEV_DATA_DIR"] = _DATA
sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests/solc.py

from clitools import TOKEN_SOURCE, Result, run_cli  # noqa: E402



@pytest.fixture(scope="session", autouse=True)
def _stop_compiler_daemons():
    yield
    from smartdev.compile.compilers import stop_daemons

    stop_daemons()
    shutil.rmtree(_DAEMONS, ignore_errors=True)
    shutil.rmtree(_DATA, ignore_errors=True)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """An empty project: a directory with a smartdev.toml."""
    (tmp_path / "smartdev.toml").write_text("")
    return tmp_path


@pytest.fixture
def run(project: Path):
    def _run(*args: str, cwd: Path | None = None, env_vars: dict[str, str] | None = None) -> Result:
        return run_cli(*args, cwd=cwd or project, env_vars=env_vars)

    return _run


@pytest.fixture(scope="session")
def token_build(tmp_path_factory) -> Path:
    """The demo Token compiled once by `smartdev compile`; its build/ folder."""
    root = tmp_path_factory.mktemp("tokenbuild")
    (root / "smartdev.toml").write_text("")
    (root / "contracts").mkdir()
    shutil.copy(TOKEN_SOURCE, root / "contracts" / "Token.sol")
    result = run_cli("compile", cwd=root)
    assert result.code == 0, result.output
    return root / "build"


@pytest.fixture
def token_project(project: Path, token_build: Path) -> Path:
    """A project with the demo Token compiled into build/contracts."""
    (project / "contracts").mkdir()
    shutil.copy(TOKEN_SOURCE, project / "contracts" / "Token.sol")
    shutil.copytree(token_build, project / "build")
    return project


@pytest.fixture(scope="module")
def local_node(tmp_path_factory, token_build: Path):
    """A project with a real `smartdev chain start` node (embedded engine) running."""
    from smartdev.localnode import free_port

    root = tmp_path_factory.mktemp("nodeproj")
    (root / "smartdev.toml").write_text('default_network = "local"\n')
    shutil.copytree(token_build, root / "build")
    port = free_port()
    started = run_cli("chain", "start", "--port", str(port), cwd=root)
    assert started.code == 0, started.output
    yield root
    stopped = run_cli("chain", "stop", cwd=root)
    assert stopped.code == 0, stopped.output
