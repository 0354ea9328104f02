"""Run the smartdev CLI in-process with its own environment and captured output."""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path

from smartdev.cli import main
from smartdev.console import Output
from smartdev.context import Environment

REPO = Path(__file__).resolve().parents[1]
TOKEN_SOURCE = REPO / "examples" / "token" / "contracts" / "Token.sol"

# SMARTDEV_* variables a test run keeps (the rest of the caller's SMARTDEV_* are dropped).
KEPT_ENV = ("SMARTDEV_CACHE_DIR", "SMARTDEV_OFFLINE", "SMARTDEV_DAEMON_DIR", "SMARTDEV_DAEMON_IDLE",
            "SMARTDEV_DATA_DIR")


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run_cli(*args: str, cwd: Path, env_vars: dict[str, str] | None = None) -> Result:
    """Run `smartdev ARGS` in-process, in ``cwd``, with captured output."""
    out, err = io.StringIO(), io.StringIO()
    environ = {k: v for k, v in os.environ.items()
               if not k.startswith("SMARTDEV_") or k in KEPT_ENV}
    environ.update(env_vars or {})
    env = Environment(cwd=cwd, environ=environ, output=Output(out, err))
    code = main(list(args), env=env)
    return Result(int(code), out.getvalue(), err.getvalue())


