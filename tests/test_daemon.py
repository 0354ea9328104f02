"""solc-js daemons: ``Compiler.start(daemon=True)``, ``solcjs_driver.js --daemon``,
``stop_daemons`` and ``smartdev compilers stop``.

Real node and the real solc-js 0.8.28 from the user's cache (``make solcjs``); every test
keeps its daemons in its own ``SMARTDEV_DAEMON_DIR`` and stops them afterwards.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import stat
import threading
import time
from pathlib import Path

import pytest

from clitools import run_cli
from smartdev.compile.compilers import (
    Compiler,
    CompilerError,
    _SolcjsDaemonClient,
    daemon_socket_path,
    stop_daemons,
)
from smartdev.errors import SmartdevError

REAL_CACHE = Path(os.environ.get("SMARTDEV_CACHE_DIR") or Path.home() / ".cache" / "smartdev")
SOLC_0828 = REAL_CACHE / "solcjs" / "0.8.28" / "node_modules" / "solc"
NODE = shutil.which("node")

pytestmark = pytest.mark.skipif(
    NODE is None or not (SOLC_0828 / "soljson.js").is_file(),
    reason="needs node and solc-js 0.8.28 in the cache (make solcjs)",
)


def source(name: str, value: int = 1) -> dict:
    text = (f"// SPDX-License-Identifier: MIT\npragma solidity ^0.8.0;\n"
            f"contract {name} {{ function f() external pure returns (uint256) {{ return {value}; }} }}\n")
    return {
        "language": "Solidity",
        "sources": {f"{name}.sol": {"content": text}},
        "settings": {"outputSelection": {"*": {"*": ["abi", "evm.bytecode.object"]}}},
    }


def assert_compiled(output: dict, name: str) -> None:
    assert not [e for e in output.get("errors", []) if e["severity"] == "error"], output["errors"]
    assert list(output["contracts"]) == [f"{name}.sol"]
    contract = output["contracts"][f"{name}.sol"][name]
    assert [item["name"] for item in contract["abi"]] == ["f"]
    assert len(contract["evm"]["bytecode"]["object"]) > 100


def alive(pid: int) -> bool:
    """A live process (a zombie counts as gone)."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes() != b""
    except OSError:
        return False


def wait_until(condition, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


class Daemons:
    def __init__(self, directory: Path, env: dict[str, str]) -> None:
        self.dir = directory
        self.env = env

    def compiler(self, package: Path = SOLC_0828, **env: str) -> Compiler:
        return Compiler("0.8.28", "solcjs", package, "cache", node=NODE, environ={**self.env, **env})

    def files(self) -> list[str]:
        """The daemons' sockets and pid files."""
        return sorted(p.name for p in [*self.dir.glob("*.sock"), *self.dir.glob("*.sock.pid")])


@pytest.fixture
def daemons(tmp_path: Path):
    directory = tmp_path / "d"
    env = {k: v for k, v in os.environ.items() if k not in ("SMARTDEV_COMPILER_DAEMON", "SMARTDEV_DAEMON_IDLE")}
    env["SMARTDEV_DAEMON_DIR"] = str(directory)
    yield Daemons(directory, env)
    stop_daemons(env)
    # Whatever is left (a daemon that lost its pid file): every driver serving this directory.
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            cmdline = (proc / "cmdline").read_bytes()
        except OSError:
            continue
        if b"--daemon" in cmdline and str(directory).encode() in cmdline:
            try:
                os.kill(int(proc.name), signal.SIGKILL)
            except OSError:
                pass


def test_first_start_spawns_a_daemon_and_later_starts_reuse_it(daemons: Daemons) -> None:
    compiler = daemons.compiler()
    started = time.perf_counter()
    first = compiler.start(daemon=True)
    assert isinstance(first, _SolcjsDaemonClient)
    assert time.perf_counter() - started < 0.1  # returns at once; connecting goes on meanwhile
    assert_compiled(first.compile(source("First")), "First")
    cold = time.perf_counter() - started
    assert first.spawned and first.uses_daemon
    pid = first.daemon_pid
    assert pid is not None and alive(pid)
    sock = daemon_socket_path(compiler)
    assert sock is not None and stat.S_ISSOCK(sock.stat().st_mode)
    assert Path(f"{sock}.pid").read_text().strip() == str(pid)
    first.close()
    time.sleep(0.1)
    assert alive(pid)  # closing a connection leaves the daemon running

    started = time.perf_counter()
    with compiler.start(daemon=True) as second:
        assert_compiled(second.compile(source("Second", 2)), "Second")
        warm = time.perf_counter() - started
        assert not second.spawned and second.daemon_pid == pid
    assert warm < 0.5 * cold, (warm, cold)
    with pytest.raises(CompilerError, match="closed"):
        second.compile(source("Second"))


def test_idle_daemon_exits_and_removes_its_files(daemons: Daemons) -> None:
    compiler = daemons.compiler(SMARTDEV_DAEMON_IDLE="1")
    process = compiler.start(daemon=True)
    assert_compiled(process.compile(source("Idle")), "Idle")
    pid = process.daemon_pid
    assert pid is not None
    time.sleep(1.6)  # an open connection keeps it alive, however long
    assert alive(pid) and daemons.files() == [f"{daemon_socket_path(compiler).name}", f"{daemon_socket_path(compiler).name}.pid"]
    process.close()
    assert wait_until(lambda: not alive(pid), timeout=6), "the idle daemon did not exit"
    assert daemons.files() == []


@pytest.mark.parametrize("kind", ["regular file", "dead socket"])
def test_stale_socket_path_is_replaced(daemons: Daemons, kind: str) -> None:
    compiler = daemons.compiler()
    path = daemon_socket_path(compiler)
    assert path is not None
    path.parent.mkdir(parents=True)
    if kind == "regular file":
        path.write_text("not a socket\n")
    else:  # bound, never listening, closed without unlinking: what a killed daemon leaves
        dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        dead.bind(str(path))
        dead.close()
    Path(f"{path}.pid").write_text("999999999\n")
    with compiler.start(daemon=True) as process:
        assert_compiled(process.compile(source("Stale")), "Stale")
        assert process.uses_daemon and process.spawned
        assert stat.S_ISSOCK(path.stat().st_mode)
        assert Path(f"{path}.pid").read_text().strip() == str(process.daemon_pid)


def test_killed_daemon_is_replaced_and_death_mid_request_is_a_clean_error(daemons: Daemons) -> None:
    compiler = daemons.compiler()
    with compiler.start(daemon=True) as process:
        assert_compiled(process.compile(source("Before")), "Before")
        old = process.daemon_pid
        assert old is not None
        # Killed while this connection is open: its next compile fails cleanly.
        os.kill(old, signal.SIGKILL)
        assert wait_until(lambda: not alive(old))
        with pytest.raises(CompilerError, match="daemon.*stopped in the middle of a compile") as info:
            process.compile(source("Lost"))
        assert isinstance(info.value, SmartdevError)
        assert process.closed

    with compiler.start(daemon=True) as process:  # a new daemon, over the dead one's socket file
        assert_compiled(process.compile(source("After")), "After")
        assert process.spawned and process.daemon_pid not in (None, old)
        new = process.daemon_pid

    # Large messages both ways (~1 MB in, ~3 MB out), then a death in the middle of one.
    padding = "/*" + "x" * 500_000 + "*/\n"
    big = {
        "language": "Solidity",
        "sources": {
            f"S{k}.sol": {"content": "// SPDX-License-Identifier: MIT\npragma solidity ^0.8.0;\n" + padding
                          + "".join(f"contract C{k}x{i} {{ function f() external pure returns (uint256) "
                                    f"{{ return {i}; }} }}\n" for i in range(3))}
            for k in range(2)
        },
        "settings": {"metadata": {"useLiteralContent": True},
                     "outputSelection": {"*": {"*": ["metadata", "evm.bytecode.object"]}}},
    }
    assert len(json.dumps(big)) > 1_000_000
    with compiler.start(daemon=True) as process:
        output = process.compile(big)
        assert not process.spawned and process.daemon_pid == new
        assert len(json.dumps(output)) > 2_500_000
        assert sorted(output["contracts"]["S1.sol"]) == ["C1x0", "C1x1", "C1x2"]
        assert padding[:-1] in json.loads(output["contracts"]["S0.sol"]["C0x2"]["metadata"])["sources"]["S0.sol"]["content"]

        failure: list[BaseException] = []

        def compile_big() -> None:
            try:
                process.compile(big)
            except BaseException as exc:  # noqa: BLE001 - checked below
                failure.append(exc)

        worker = threading.Thread(target=compile_big)
        worker.start()
        time.sleep(0.05)  # the request is on its way or being compiled (~0.9 s): either way, no answer
        os.kill(new, signal.SIGKILL)
        worker.join(30)
        assert len(failure) == 1 and isinstance(failure[0], CompilerError), failure
        assert "stopped in the middle of a compile" in str(failure[0])

    with compiler.start(daemon=True) as process:
        assert_compiled(process.compile(source("Again")), "Again")
        assert process.spawned and process.daemon_pid not in (None, old, new)


def test_daemons_disabled_or_impossible(daemons: Daemons, project: Path, tmp_path: Path) -> None:
    compiler = daemons.compiler(SMARTDEV_COMPILER_DAEMON="0")
    with compiler.start(daemon=True) as process:
        assert not isinstance(process, _SolcjsDaemonClient)
        assert process._proc.poll() is None  # a private `--server` process, as without daemons
        assert_compiled(process.compile(source("Private")), "Private")
    assert process._proc.poll() is not None
    with daemons.compiler().start() as process:  # the default: no daemon either
        assert not isinstance(process, _SolcjsDaemonClient)
    # A socket path longer than AF_UNIX allows: no daemon.
    long_dir = tmp_path / ("x" * 110)
    assert daemon_socket_path(daemons.compiler(SMARTDEV_DAEMON_DIR=str(long_dir))) is None
    with daemons.compiler(SMARTDEV_DAEMON_DIR=str(long_dir)).start(daemon=True) as process:
        assert not isinstance(process, _SolcjsDaemonClient)
    # `smartdev compile` with SMARTDEV_COMPILER_DAEMON=0.
    (project / "contracts").mkdir()
    (project / "contracts" / "Plain.sol").write_text(source("Plain")["sources"]["Plain.sol"]["content"])
    result = run_cli("compile", cwd=project, env_vars={"SMARTDEV_DAEMON_DIR": str(daemons.dir),
                                                       "SMARTDEV_COMPILER_DAEMON": "0"})
    assert result.code == 0, result.output
    assert (project / "build" / "contracts").is_dir()
    assert not daemons.dir.exists()


def test_removed_package_stops_its_daemon(daemons: Daemons, tmp_path: Path) -> None:
    package = tmp_path / "solc"
    package.mkdir()
    for entry in SOLC_0828.iterdir():
        (package / entry.name).symlink_to(entry)
    compiler = daemons.compiler(package)
    with compiler.start(daemon=True) as process:
        assert_compiled(process.compile(source("Here")), "Here")
        pid = process.daemon_pid
        shutil.rmtree(package)
        assert_compiled(process.compile(source("Gone")), "Gone")  # solc is still in memory
        assert wait_until(lambda: not alive(pid)), "the daemon outlived its package"
    assert daemons.files() == []


def test_two_threads_share_one_daemon(daemons: Daemons) -> None:
    compiler = daemons.compiler()
    processes = [compiler.start(daemon=True), compiler.start(daemon=True)]  # no daemon yet
    try:
        assert_compiled(processes[0].compile(source("Warm")), "Warm")
        barrier = threading.Barrier(2)
        results: dict[int, list[dict]] = {0: [], 1: []}
        errors: list[BaseException] = []

        def work(i: int) -> None:
            try:
                barrier.wait(10)
                for round_ in range(5):
                    results[i].append(processes[i].compile(source(f"T{i}r{round_}", 10 * i + round_)))
            except BaseException as exc:  # noqa: BLE001 - checked below
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(i,)) for i in (0, 1)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert not errors, errors
        for i in (0, 1):
            assert len(results[i]) == 5
            for round_, output in enumerate(results[i]):
                assert_compiled(output, f"T{i}r{round_}")
        assert processes[0].daemon_pid == processes[1].daemon_pid is not None
        assert [p.spawned for p in processes].count(True) == 1  # started at once: one spawns
        assert len(list(daemons.dir.glob("*.sock.pid"))) == 1
    finally:
        for process in processes:
            process.close()


def test_compile_uses_a_daemon_and_compilers_stop_stops_it(daemons: Daemons, project: Path, monkeypatch) -> None:
    env_vars = {"SMARTDEV_DAEMON_DIR": str(daemons.dir)}
    calls: list[bool] = []
    original_start = Compiler.start

    def spy(self: Compiler, *, daemon: bool = False):
        calls.append(daemon)
        return original_start(self, daemon=daemon)

    monkeypatch.setattr(Compiler, "start", spy)
    contracts = project / "contracts"
    contracts.mkdir()
    for i in range(8):  # enough dirty sources for build to split the job in two
        (contracts / f"C{i}.sol").write_text(source(f"C{i}", i)["sources"][f"C{i}.sol"]["content"])
    result = run_cli("compile", "--json", cwd=project, env_vars=env_vars)
    assert result.code == 0, result.output
    jobs = json.loads(result.stdout)["jobs"]
    if len(jobs) == 2:  # split: the warm daemon connection takes one half, a private process the other
        assert calls == [True, False]
    else:  # one core: no split
        assert calls == [True]
    pid_files = list(daemons.dir.glob("*.sock.pid"))
    assert len(pid_files) == 1
    pid = int(pid_files[0].read_text())
    assert alive(pid)

    # A leaf edit: the build connects to that daemon.
    (contracts / "C3.sol").write_text(source("C3", 33)["sources"]["C3.sol"]["content"])
    stamp = time.time_ns() + 1_000_000
    os.utime(contracts / "C3.sol", ns=(stamp, stamp))
    calls.clear()
    result = run_cli("compile", "--json", cwd=project, env_vars=env_vars)
    assert result.code == 0, result.output
    assert json.loads(result.stdout)["compiled"] == ["contracts/C3.sol"]
    assert calls == [True]
    assert [int(p.read_text()) for p in daemons.dir.glob("*.sock.pid")] == [pid]

    # Stale entries are cleaned up, not signalled: a pid file naming a live non-daemon
    # process (this test) and a socket file nothing listens on.
    (daemons.dir / "solcjs-0.0.1-stale.sock.pid").write_text(f"{os.getpid()}\n")
    (daemons.dir / "solcjs-0.0.2-stale.sock").write_text("")
    stopped = run_cli("compilers", "stop", cwd=project, env_vars=env_vars)
    assert stopped.code == 0, stopped.output
    assert "stopped 1 compiler daemon" in stopped.output
    assert not alive(pid)
    assert daemons.files() == []
    again = run_cli("compilers", "stop", "--json", cwd=project, env_vars=env_vars)
    assert again.code == 0 and json.loads(again.stdout) == {"stopped": []}

    # stop_daemons() itself.
    monkeypatch.undo()
    process = daemons.compiler().start(daemon=True)
    assert_compiled(process.compile(source("Stop")), "Stop")
    process.close()
    assert stop_daemons(daemons.env) == [process.daemon_pid]
    assert not alive(process.daemon_pid) and daemons.files() == []
