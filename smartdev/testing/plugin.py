"""smartdev's pytest plugin: chain, accounts and deploy fixtures, one snapshot per test.

pytest loads it in every project (entry point ``pytest11``), so importing it
costs nothing: no web3, no config, no pydantic. It does work only in a smartdev
project (a ``smartdev.toml``, or ``[tool.smartdev]`` in ``pyproject.toml``, at
or above pytest's rootdir), under ``smartdev test``, or when a test asks for
one of its fixtures:

- ``smartdev_env`` (session): the :class:`smartdev.context.Environment` of the project.
- ``smartdev_network`` (session): the network tests run on: ``--smartdev-network
  NAME``, else ``[test] network`` in smartdev.toml, else ``embedded``.
- ``chain``: a :class:`smartdev.testing.Chain` on that network, connected once
  per session; ``evm_snapshot`` before each test that uses it, ``evm_revert`` after.
- ``accounts``: the dev accounts as :class:`smartdev.accounts.Signer` objects
  (``accounts[0]``, ``accounts["bob"]``).
- ``deploy``: ``deploy("Token", 1000, sender=accounts[1])`` returns the contract's
  typed binding from ``build/bindings``.

The project's build folder goes on ``sys.path``, so tests may ``from bindings
import Token``. A smartdev error raised in a test that uses these fixtures is
shown with its message and hint and without smartdev's own frames.
"""

from __future__ import annotations

import contextlib
import os
import types
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

import pytest

if TYPE_CHECKING:  # pragma: no cover
    from smartdev.context import Environment
    from smartdev.testing.chain import Accounts, Chain

DEFAULT_NETWORK = "embedded"
_PACKAGE_DIR = str(Path(__file__).resolve().parents[1]) + os.sep  # smartdev/
_CONTEXTLIB = contextlib.__file__


class CliSession:
    """Handed to ``pytest.main(plugins=[...])`` by ``smartdev test``: the command's Environment."""

    def __init__(self, env: Environment) -> None:
        self.env = env


@dataclass
class _State:
    """What the plugin knows about this pytest run (kept in ``config.stash``)."""

    project: Path | None  # folder of the smartdev config found, None outside a project
    cwd: Path
    env: Environment | None = None
    network: str | None = None

    @property
    def active(self) -> bool:
        return self.env is not None or self.project is not None

    def environment(self) -> Environment:
        if self.env is None:
            from smartdev.context import Environment

            self.env = Environment(cwd=self.project or self.cwd)
        return self.env


_STATE = pytest.StashKey[_State]()
_USES_CHAIN = pytest.StashKey[bool]()


def _find_project(start: Path) -> Path | None:
    """The folder of the nearest smartdev.toml or pyproject.toml with [tool.smartdev] (cheap)."""
    if os.environ.get("SMARTDEV_CONFIG"):
        return start
    for folder in (start, *start.parents):
        if (folder / "smartdev.toml").is_file():
            return folder
        pyproject = folder / "pyproject.toml"
        try:
            if pyproject.is_file() and "[tool.smartdev" in pyproject.read_text(encoding="utf-8"):
                return folder
        except OSError:
            pass
    return None


def _state(config: pytest.Config) -> _State:
    state = config.stash.get(_STATE, None)
    if state is None:
        cwd = config.invocation_params.dir
        state = _State(project=_find_project(config.rootpath) or _find_project(cwd), cwd=cwd)
        config.stash[_STATE] = state
    return state


def _fail(exc: Any) -> None:
    """End a fixture with a smartdev error's one line, without a traceback."""
    __tracebackhide__ = True
    raise pytest.fail.Exception(f"smartdev: {_for_pytest(exc.one_line())}", pytrace=False) from None


def _for_pytest(message: str) -> str:
    """A smartdev message with the command's --network spelt as pytest's option."""
    return message.replace("as --network", "as --smartdev-network")


def _network_name(config: pytest.Config, env: Environment) -> str:
    """--smartdev-network, else [test] network, else embedded."""
    from smartdev.testing.config import TestingConfig

    return (config.getoption("smartdev_network", None)
            or env.config.section("test", TestingConfig).network
            or DEFAULT_NETWORK)


# --------------------------------------------------------------------- pytest hooks


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("smartdev", "smartdev (contracts testing)")
    group.addoption(
        "--smartdev-network", dest="smartdev_network", default=None, metavar="NAME",
        help="Network the chain fixture runs on: a name from smartdev.toml or an RPC URL "
        "(default: [test] network, else embedded).",
    )


def pytest_configure(config: pytest.Config) -> None:
    state = _state(config)
    for plugin in config.pluginmanager.get_plugins():
        if isinstance(plugin, CliSession):
            state.env = plugin.env
    if not state.active and config.getoption("smartdev_network", None) is None:
        return  # not a smartdev project: nothing to do, nothing imported
    from smartdev.errors import SmartdevError
    from smartdev.network import resolve_network
    from smartdev.testing.chain import use_build_dir

    try:
        env = state.environment()
        state.network = _network_name(config, env)
        resolve_network(env, state.network)  # an unknown name fails here, before any test runs
        if state.project is not None or state.env is not None:
            use_build_dir(env.config.path("build"))
    except SmartdevError as exc:
        raise pytest.UsageError(f"smartdev: {_for_pytest(exc.one_line())}") from None


def pytest_report_header(config: pytest.Config) -> str | None:
    state = config.stash.get(_STATE, None)
    if state is None or not state.active or state.env is None:
        return None
    return f"smartdev: project {state.env.config.root}, network {state.network}"


def _tidying_wrapper() -> Any:
    """A hook wrapper that tidies smartdev errors raised in a test's setup or call."""

    @pytest.hookimpl(wrapper=True)
    def wrapper(item: pytest.Item) -> Iterator[None]:
        try:
            return (yield)
        except BaseException as exc:
            _tidy(item, exc)
            raise

    return wrapper


pytest_runtest_setup = _tidying_wrapper()
pytest_runtest_call = _tidying_wrapper()


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Iterator[Any]:
    report = yield
    if report.failed and _state(collector.config).active and "No module named 'bindings'" in str(report.longrepr):
        from smartdev.testing.chain import COMPILE_HINT

        report.longrepr = (f"{report.longrepr}\n\nsmartdev: the typed bindings (build/bindings) are "
                           f"missing. {COMPILE_HINT}")
    return report


def _tidy(item: pytest.Item, exc: BaseException) -> None:
    """A smartdev error in a test using the fixtures: its hint as a note, smartdev's frames dropped.

    What is left is the test's own frames and the generated binding's line, then the
    message: where the test went wrong, not how smartdev found out.
    """
    from smartdev.errors import SmartdevError

    if not isinstance(exc, SmartdevError) or not item.stash.get(_USES_CHAIN, False):
        return
    if getattr(exc, "_smartdev_tidied", False) or item.config.getoption("fulltrace", False):
        return
    exc._smartdev_tidied = True  # type: ignore[attr-defined]
    kept = []
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if not filename.startswith(_PACKAGE_DIR) and filename != _CONTEXTLIB:  # contextlib: re-raises
            kept.append(tb)
        tb = tb.tb_next
    tidy = None
    for entry in reversed(kept):
        tidy = types.TracebackType(tidy, entry.tb_frame, entry.tb_lasti, entry.tb_lineno)
    exc.__traceback__ = tidy
    if exc.hint:
        exc.add_note(f"hint: {exc.hint}")


# --------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def smartdev_env(pytestconfig: pytest.Config) -> Environment:
    """The smartdev Environment of the project under test (its config, paths, output)."""
    from smartdev.errors import SmartdevError

    try:
        env = _state(pytestconfig).environment()
        env.config  # noqa: B018 - load (and validate) the config now, failing here if it is broken
    except SmartdevError as exc:
        _fail(exc)
    return env


@pytest.fixture(scope="session")
def smartdev_network(pytestconfig: pytest.Config, smartdev_env: Environment) -> str:
    """The network the tests run on: --smartdev-network, else [test] network, else embedded."""
    from smartdev.errors import SmartdevError

    state = _state(pytestconfig)
    if state.network is None:
        try:
            state.network = _network_name(pytestconfig, smartdev_env)
        except SmartdevError as exc:
            _fail(exc)
    return state.network


@pytest.fixture(scope="session")
def _smartdev_session_chain(smartdev_env: Environment, smartdev_network: str) -> Iterator[Chain]:
    """The session's connection to the test network (opened on first use)."""
    from smartdev.errors import SmartdevError
    from smartdev.testing.chain import Chain

    try:
        chain = Chain.connect(smartdev_env, smartdev_network)
    except SmartdevError as exc:
        _fail(exc)
    try:
        yield chain
    finally:
        chain.close()


@pytest.fixture
def chain(request: pytest.FixtureRequest, _smartdev_session_chain: Chain) -> Iterator[Chain]:
    """The test network; everything a test does to it is reverted when the test ends."""
    from smartdev.errors import SmartdevError

    request.node.stash[_USES_CHAIN] = True
    try:
        snapshot = _smartdev_session_chain.snapshot()
    except SmartdevError as exc:
        _fail(exc)
    yield _smartdev_session_chain
    _smartdev_session_chain.revert(snapshot)


@pytest.fixture
def accounts(chain: Chain) -> Accounts:
    """The network's dev accounts as Signers: accounts[0] (default sender), accounts["bob"]."""
    return chain.accounts


@pytest.fixture
def deploy(chain: Chain) -> Any:
    """deploy("Token", 1000, sender=accounts[1], value=0) -> the typed binding of the new contract."""
    return chain.deploy
