"""`smartdev test`: compile (incrementally), then run the project's tests with pytest in-process.

Everything the command does not know is handed to pytest, so ``smartdev test
-k transfer -x`` and ``smartdev test -- -k transfer -x`` both work (after
``--`` nothing is read by smartdev). The exit code is pytest's.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Iterator, Optional

import typer

from smartdev.context import current

if TYPE_CHECKING:  # pragma: no cover
    from smartdev.context import Environment

app = typer.Typer(add_completion=False)

_ALREADY_IMPORTED = "Module already imported so cannot be rewritten; smartdev"


@app.command(
    "test",
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
)
def command(
    pytest_args: Annotated[Optional[list[str]], typer.Argument(
        help="Arguments for pytest: test files, -k EXPR, -x, ... (put them after `--` to be sure "
        "smartdev reads none of them).", show_default=False, metavar="PYTEST_ARGS")] = None,
    network: Annotated[Optional[str], typer.Option(
        "--network", help="Network the tests run on (default: \\[test] network, else embedded).",
        show_default=False)] = None,
    no_compile: Annotated[bool, typer.Option(
        "--no-compile", help="Do not run `smartdev compile` first.")] = False,
) -> None:
    """Compile, then run the project's tests with pytest and smartdev's fixtures (chain, accounts, deploy)."""
    env = current()
    if network is not None:
        from smartdev.network import resolve_network

        resolve_network(env, network)  # an unknown network is reported before anything runs
    if not no_compile:
        compile_project(env)
    raise typer.Exit(run_pytest(env, list(pytest_args or []), network=network))


def compile_project(env: Environment) -> None:
    """`smartdev compile` (incremental, then `smartdev gen` if [gen] auto); compiler errors are printed and raised."""
    from smartdev.compile.build import BuildFailed, build

    contracts = env.config.path("contracts")
    if not contracts.is_dir() or next(contracts.rglob("*.sol"), None) is None:
        env.output.info(f"no Solidity sources in {contracts}: nothing to compile")
        return
    try:
        result = build(env, progress=env.output.info)
    except BuildFailed as failed:
        for diag in failed.result.diagnostics:
            env.output.stderr.write(diag.render() + "\n")
        raise
    for diag in result.diagnostics:
        env.output.stderr.write(diag.render() + "\n")
    if result.compiled:
        env.output.success(f"Compiled {len(result.compiled)} source(s) in {result.seconds:.2f} s")
    else:
        env.output.info(f"Nothing to compile: {result.unchanged} source(s) up to date")
    from smartdev.gen.generate import after_build  # what `smartdev compile` runs after a build ([gen] auto)

    after_build(env, result)


def pytest_arguments(env: Environment, args: list[str], *, network: str | None) -> list[str]:
    """pytest's command line: the plugin, the rootdir, the network, the tests folder unless paths are given."""
    from importlib.metadata import entry_points

    config = env.config
    # By its entry-point name, so it is loaded once whether or not pytest autoloads plugins.
    listed = any(ep.name == "smartdev" for ep in entry_points(group="pytest11"))
    full = ["-p", "smartdev" if listed else "smartdev.testing.plugin",
            # smartdev itself is running, so pytest cannot assertion-rewrite the plugin's package
            "-W", f"ignore:{_ALREADY_IMPORTED}:pytest.PytestAssertRewriteWarning"]
    if not any(a == "--rootdir" or a.startswith("--rootdir=") for a in args):
        full.append(f"--rootdir={config.root}")
    if network is not None:
        full += ["--smartdev-network", network]
    if not any(_is_path(env.cwd, a) for a in args):
        tests = config.path("tests")
        if not tests.is_dir():
            from smartdev.errors import NotFoundError

            raise NotFoundError(f"no tests folder {tests}",
                                hint="Create it, set [paths] tests in smartdev.toml, or name test files.")
        full.append(str(tests))
    return full + args


def run_pytest(env: Environment, args: list[str], *, network: str | None = None) -> int:
    """Run pytest in this process with smartdev's plugin; return its exit code."""
    import pytest

    from smartdev.testing.plugin import CliSession

    full = pytest_arguments(env, args, network=network)
    with _working_directory(env.cwd):
        return int(pytest.main(full, plugins=[CliSession(env)]))


def _is_path(cwd: Path, arg: str) -> bool:
    """Whether a pytest argument names a test file or folder (``path`` or ``path::test``)."""
    if arg.startswith("-"):
        return False
    return (cwd / arg.split("::", 1)[0]).exists()


@contextmanager
def _working_directory(path: Path) -> Iterator[None]:
    """pytest resolves relative paths against the process's working directory: the command's."""
    before = Path.cwd()
    if before == path:
        yield
        return
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)
