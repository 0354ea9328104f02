"""Solidity compilers: find the installed ones, install more, run them.

Two kinds of :class:`Compiler`:

* ``native``: a solc executable, run as ``solc --standard-json``;
* ``solcjs``: the npm ``solc`` package (``…/node_modules/solc``), run under Node.js by
  ``solcjs_driver.js`` next to this file, either once per compile or as a long-lived
  server process (:meth:`Compiler.start`) that keeps solc loaded.

:class:`CompilerResolver` finds compilers offline first, in this order of precedence: the
explicit one (``solc`` in the config or ``--solc``), ``$SOLC``, ``solc`` on ``PATH``,
py-solc-x's store (``$SOLCX_BINARY_PATH`` or ``~/.solcx``), then smartdev's solc-js cache
(``<cache>/solcjs/<version>/node_modules/solc``). It picks the newest version that
satisfies every ``pragma solidity`` of a compile (on equal versions the earlier source
wins) and installs the newest satisfying release when none is installed: a native
binary through py-solc-x, else solc-js from npm.

Environment variables (read from the resolver's ``environ``):

``SOLC``
    a solc executable (or a solc-js package directory) to consider after the explicit one.
``SOLCX_BINARY_PATH``
    py-solc-x's store of native binaries (default ``~/.solcx``).
``SMARTDEV_SOLC_INSTALLER``
    ``auto`` (default: py-solc-x, then npm), ``solcx`` or ``npm``.
``SMARTDEV_SOLCJS_PACKAGE``
    what ``npm install`` installs for solc-js version ``{version}``: default
    ``solc@{version}``; a tarball path or another registry spec also works (the tests
    point it at a local tarball). ``{version}`` is substituted when present.
``SMARTDEV_OFFLINE``
    ``1``: no network use of smartdev's own: the released-versions list is not refreshed,
    py-solc-x is not tried, npm installs with ``--offline``.
``SMARTDEV_SOLCJS_V8_FLAGS``
    V8 flags for the solc-js driver, replacing its tuned defaults (empty: none).
``SMARTDEV_COMPILER_DAEMON``
    ``0`` (or ``false``/``no``/``off``): no solc-js daemons; ``start(daemon=True)`` then
    starts a private server process as ``start()`` does.
``SMARTDEV_DAEMON_DIR``
    where the daemons' sockets, pid files and logs live (default ``<cache>/daemons``).
``SMARTDEV_DAEMON_IDLE``
    seconds a newly spawned daemon waits without a connection or a request before it
    exits (default 600).

Speed of solc-js 0.8.28 (2-core machine, one small contract, medians of 5-11 runs that
varied by ~±100 ms between sessions): ``node -e "require('solc').compile(…)"`` takes
0.78-1.06 s; ``solcjs_driver.js`` takes 0.41-0.57 s. The driver decodes the base64 wasm
embedded in soljson.js once per installed version into ``soljson.wasm`` + ``soljson-fast.js``
(byte-identical output; saves ~0.2 s a load) and sets V8 flags (lazy wasm validation, a
higher tier-up budget; another ~0.15-0.2 s). A server from :meth:`Compiler.start` answers
further requests for that contract in ~15-25 ms; spawned early, it warms up while idle
(a tiny compile) so its first request also takes ~30 ms instead of ~200 ms.

Daemons. Like Gradle's, a solc-js daemon keeps solc loaded between invocations of smartdev:
``start(daemon=True)`` (what ``smartdev compile`` uses) connects to the version's daemon, a
``solcjs_driver.js --daemon`` process listening on ``<daemon dir>/solcjs-<version>-<hash>.sock``,
spawning it (detached) if none listens, so only the first compile after a quiet spell pays
for loading solc. A daemon serves its connections one request at a time and exits after
``SMARTDEV_DAEMON_IDLE`` seconds without use, when its solc package is removed, or on
:func:`stop_daemons` (``smartdev compilers stop``). If a daemon cannot be used (no socket
path short enough, it does not come up), a private server process is used instead.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from smartdev.errors import CompileError, NotFoundError

if TYPE_CHECKING:  # pragma: no cover
    from semantic_version import NpmSpec

DRIVER = Path(__file__).with_name("solcjs_driver.js")
BUNDLED_VERSIONS = Path(__file__).with_name("solc_versions.txt")
SOLCJS_DIR = "solcjs"  # <cache>/solcjs/<version>/node_modules/solc
KNOWN_VERSIONS_CACHE = "solc-versions.json"  # <cache>/solc-versions.json
NATIVE_VERSIONS_CACHE = "solc-native-versions.json"  # `solc --version` of executables
REFRESH_INTERVAL = 24 * 3600  # seconds between `npm view solc versions` refreshes
NPM_PACKAGE_ENV = "SMARTDEV_SOLCJS_PACKAGE"
INSTALLER_ENV = "SMARTDEV_SOLC_INSTALLER"
OFFLINE_ENV = "SMARTDEV_OFFLINE"
DAEMON_ENV = "SMARTDEV_COMPILER_DAEMON"  # 0: no solc-js daemons
DAEMON_DIR_ENV = "SMARTDEV_DAEMON_DIR"  # default <cache>/daemons
DAEMON_IDLE_ENV = "SMARTDEV_DAEMON_IDLE"  # seconds; default DAEMON_IDLE_SECONDS
DAEMON_IDLE_SECONDS = 600
DAEMON_START_TIMEOUT = 20.0  # seconds for a spawned daemon to listen, else a private process
DAEMONS_DIR = "daemons"  # <cache>/daemons
_SOCKET_PATH_MAX = 107  # bytes of an AF_UNIX path (sun_path less its NUL; 103 on macOS)
DEFAULT_NPM_PACKAGE = "solc@{version}"
# npm versions of solc-js that were broken and republished as "<version>-fixed".
NPM_REPUBLISHED = frozenset({"0.8.7", "0.8.14", "0.8.23"})

KINDS = ("native", "solcjs")
SOURCES = ("config", "env", "path", "solcx", "cache")

_VERSION_RE = re.compile(r"^v?(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$")
_SOLC_VERSION_LINE = re.compile(r"Version:\s*v?(\d+\.\d+\.\d+)")
_PRAGMA_CHARS = re.compile(r"^[0-9xX*.<>=^~|\s-]*$")
_BINARY_MAGIC = (b"\x7fELF", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"MZ")


# -- errors -----------------------------------------------------------------
class CompilerError(CompileError):
    """A compiler could not be found, installed or run, or it crashed (exit status COMPILE)."""


class CompilerNotFoundError(CompilerError, NotFoundError):
    """No installed (or released) compiler satisfies the version requirements, or the
    configured one does not exist. Also a NotFoundError; the exit status stays COMPILE."""


class PragmaError(CompilerError, ValueError):
    """A malformed ``pragma solidity`` version expression (also a ValueError)."""


# -- versions and pragmas ---------------------------------------------------
def version_sort_key(version: str) -> tuple[int, int, int]:
    """``"0.8.28"`` (or ``"0.8.28+commit.…"``, ``"v0.8.28"``) -> ``(0, 8, 28)``."""
    match = _VERSION_RE.match(version.strip())
    if match is None:
        raise ValueError(f"{version!r} is not a solc version (expected MAJOR.MINOR.PATCH)")
    return int(match[1]), int(match[2]), int(match[3])


def _base_version(version: str) -> str:
    major, minor, patch = version_sort_key(version)
    return f"{major}.{minor}.{patch}"


def parse_pragma_spec(text: str) -> NpmSpec:
    """A ``pragma solidity`` version expression as a ``semantic_version.NpmSpec``.

    Accepts what solc accepts: ``^0.8.0``, ``>=0.6.0 <0.9.0``, ``>= 0.6.0``, ``0.8.28``,
    ``=0.8.28``, ``~0.8.1``, ``^0.6.0 || ^0.8.0``, ``0.6.0 - 0.8.0``, ``0.8.x``, ``0.8``,
    ``*`` (a leading ``pragma solidity`` and a trailing ``;`` are ignored). Malformed
    input raises :class:`PragmaError`, a ValueError."""
    return _parse_spec(_normalize_pragma(text))


def _normalize_pragma(text: str) -> str:
    if not isinstance(text, str):
        raise PragmaError(f"a version pragma must be text, not {type(text).__name__}")
    spec = text.strip()
    if spec.startswith("pragma"):
        spec = re.sub(r"^pragma\s+solidity\b", "", spec).strip()
    spec = spec.rstrip(";").strip()
    if not spec:
        raise PragmaError("empty version pragma")
    if not _PRAGMA_CHARS.match(spec):
        raise PragmaError(f"invalid version pragma {text.strip()!r}: unexpected characters")
    spec = re.sub(r"([<>=^~]+)\s+", r"\1", spec)  # ">= 0.6.0" -> ">=0.6.0"
    spec = re.sub(r"(?<=[0-9xX*])(?=[<>=^~])", " ", spec)  # ">=0.6.0<0.9.0" -> two comparators
    spec = " ".join(spec.split())
    if re.search(r"(?<! )-|-(?! )", spec):
        raise PragmaError(f"invalid version pragma {text.strip()!r}: '-' only separates a range (a - b)")
    if any(not part.strip() for part in spec.split("||")):
        raise PragmaError(f"invalid version pragma {text.strip()!r}: empty alternative around ||")
    return spec


@functools.lru_cache(maxsize=512)
def _parse_spec(spec: str) -> NpmSpec:
    from semantic_version import NpmSpec

    try:
        return NpmSpec(spec)
    except ValueError as exc:
        raise PragmaError(f"invalid version pragma {spec!r}: {exc}") from None


@functools.lru_cache(maxsize=2048)
def _semver(version: str):
    from semantic_version import Version

    return Version(_base_version(version))


def satisfies(version: str, specs: list[str]) -> bool:
    """Whether ``version`` satisfies every pragma expression in ``specs`` (none: True)."""
    parsed = [parse_pragma_spec(spec) for spec in specs]
    candidate = _semver(version)
    return all(candidate in spec for spec in parsed)


def newest_satisfying(versions: list[str], specs: list[str]) -> str | None:
    """The newest of ``versions`` that satisfies all ``specs``, or None."""
    parsed = [parse_pragma_spec(spec) for spec in specs]
    best: str | None = None
    for version in versions:
        try:
            candidate = _semver(version)
        except ValueError:
            continue
        if all(candidate in spec for spec in parsed) and (
            best is None or version_sort_key(version) > version_sort_key(best)
        ):
            best = version
    return best


def _describe_specs(specs: list[str]) -> str:
    return " and ".join(f"`{s}`" for s in specs) if specs else "any version"


# -- compilers --------------------------------------------------------------
@dataclass(frozen=True)
class Compiler:
    """One installed compiler. ``path`` is the executable (``native``) or the solc-js
    package directory ``…/node_modules/solc`` (``solcjs``); ``source`` says where it was
    found: ``config``, ``env``, ``path``, ``solcx`` or ``cache``."""

    version: str
    kind: str
    path: Path
    source: str
    node: str | None = field(default=None, compare=False, repr=False)  # for solcjs; else PATH's
    # The resolver's environment (daemon settings); None: os.environ.
    environ: Mapping[str, str] | None = field(default=None, compare=False, repr=False)

    def __str__(self) -> str:
        kind = "solc-js" if self.kind == "solcjs" else "native"
        return f"solc {self.version} ({kind}, {self.source}: {self.path})"

    def command(self, *, server: bool = False) -> list[str]:
        """The command line that runs this compiler on standard-JSON input (stdin)."""
        if self.kind == "native":
            return [str(self.path), "--standard-json"]
        cmd = [self._node(), str(DRIVER), str(self.path)]
        return cmd + ["--server"] if server else cmd

    def _node(self) -> str:
        node = self.node or shutil.which("node")
        if node is None:
            raise CompilerError(
                f"solc {self.version} is solc-js, which needs Node.js, and `node` is not on PATH",
                hint="Install Node.js (https://nodejs.org), or a native solc (put it on PATH or set SOLC).",
            )
        return node

    def compile(self, standard_input: dict | str, *, timeout: float | None = None) -> dict:
        """Run the compiler once on standard-JSON input; return its parsed output.

        Compile errors are in the output's ``errors``; a crash, a timeout or output that
        is not JSON raises :class:`CompilerError` quoting the compiler's stderr."""
        data = standard_input if isinstance(standard_input, str) else json.dumps(standard_input)
        cmd = self.command()
        try:
            done = subprocess.run(cmd, input=data.encode("utf-8"), capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            raise CompilerError(
                f"{self} did not finish within {timeout:g} s" + _tail(exc.stderr),
                hint="Raise the timeout, or compile fewer files at once.",
            ) from None
        except OSError as exc:
            raise CompilerError(f"{self} could not be started: {exc}",
                                hint="Check that the compiler (and Node.js for solc-js) is installed.") from None
        return _parse_output(self, done.stdout, done.stderr, done.returncode)

    def start(self, *, daemon: bool = False) -> CompilerProcess:
        """A warm compiler. For solc-js the node process is spawned at once and starts
        loading solc (then warms up) while the caller prepares its input; close it (or use
        it as a context manager) when done. For native solc, a thin object that runs one
        process per compile (solc starts in milliseconds).

        ``daemon=True`` (solc-js; unless ``SMARTDEV_COMPILER_DAEMON=0``): talk to this
        version's long-lived daemon instead, spawning it if none runs, so that solc is
        loaded once for many invocations of smartdev. This returns at once too (connecting
        or spawning goes on in the background; the first :meth:`CompilerProcess.compile`
        waits for it), and closing it only closes the connection. The daemon serves one
        request at a time: parallel jobs of one compiler want ``daemon=False``."""
        if self.kind != "solcjs":
            return CompilerProcess(self)
        if daemon and daemons_enabled(self.environ):
            socket_path = daemon_socket_path(self)
            if socket_path is not None:
                return _SolcjsDaemonClient(self, socket_path)
        return _SolcjsServer(self)


def _tail(stderr: bytes | str | None, lines: int = 8, limit: int = 1500) -> str:
    if not stderr:
        return ""
    text = stderr.decode("utf-8", "replace") if isinstance(stderr, bytes) else stderr
    kept = [line for line in text.strip().splitlines() if line.strip()][-lines:]
    tail = " | ".join(kept)
    if len(tail) > limit:
        tail = "…" + tail[-limit:]
    return f": {tail}" if tail else ""


def _parse_output(compiler: Compiler, stdout: bytes, stderr: bytes, returncode: int) -> dict:
    try:
        output = json.loads(stdout) if stdout.strip() else None
    except ValueError:
        output = None
    if isinstance(output, dict):
        return output
    if returncode != 0:
        problem = f"{compiler} failed with exit code {returncode}"
    elif not stdout.strip():
        problem = f"{compiler} produced no output"
    else:
        problem = f"{compiler} printed output that is not standard JSON ({stdout[:80]!r}…)"
    raise CompilerError(problem + _tail(stderr),
                        hint="Reinstall the compiler (`smartdev compilers install VERSION`), or report a bug.")


class CompilerProcess:
    """A compiler ready to take standard-JSON inputs; a context manager.

    This base class runs one process per compile (native solc)."""

    def __init__(self, compiler: Compiler) -> None:
        self.compiler = compiler
        self.closed = False

    def compile(self, standard_input: dict | str, *, timeout: float | None = None) -> dict:
        if self.closed:
            raise CompilerError(f"{self.compiler}: the compiler process is closed")
        return self.compiler.compile(standard_input, timeout=timeout)

    def close(self) -> None:
        self.closed = True

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _SolcjsServer(CompilerProcess):
    """``node solcjs_driver.js DIR --server``: one JSON line per request and per answer."""

    def __init__(self, compiler: Compiler) -> None:
        super().__init__(compiler)
        try:
            self._proc = subprocess.Popen(
                compiler.command(server=True),
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            )
        except OSError as exc:
            raise CompilerError(f"{compiler} could not be started: {exc}",
                                hint="Check that Node.js is installed.") from None
        self._lock = threading.Lock()
        self._next_id = 0
        self._lines: deque[bytes | None] = deque()
        self._ready = threading.Condition()
        self._stderr: deque[bytes] = deque(maxlen=40)
        threading.Thread(target=self._read_stdout, daemon=True, name="solcjs-stdout").start()
        threading.Thread(target=self._read_stderr, daemon=True, name="solcjs-stderr").start()

    def _read_stdout(self) -> None:
        stream = self._proc.stdout
        assert stream is not None
        try:
            for line in stream:
                with self._ready:
                    self._lines.append(line)
                    self._ready.notify_all()
        except (OSError, ValueError):
            pass
        finally:
            with self._ready:
                self._lines.append(None)  # end of output: the process is gone
                self._ready.notify_all()
            stream.close()

    def _read_stderr(self) -> None:
        stream = self._proc.stderr
        assert stream is not None
        try:
            for line in stream:
                self._stderr.append(line)
        except (OSError, ValueError):
            pass
        finally:
            stream.close()

    def _stderr_tail(self) -> str:
        time.sleep(0.05)  # let the reader catch the last words of a dying process
        return _tail(b"".join(self._stderr))

    def _send(self, data: bytes) -> None:
        stdin = self._proc.stdin
        try:
            assert stdin is not None
            stdin.write(data)
            stdin.flush()
        except (OSError, ValueError):
            pass  # the process died; the reader reports it

    def compile(self, standard_input: dict | str, *, timeout: float | None = None) -> dict:
        with self._lock:
            if self.closed:
                raise CompilerError(f"{self.compiler}: the compiler process is closed")
            self._next_id += 1
            request_id = self._next_id
            request = json.dumps({"id": request_id, "input": standard_input}, separators=(",", ":"))
            # Written from a helper thread: a big input to a busy process may block, and the
            # timeout must still hold.
            threading.Thread(target=self._send, args=(request.encode("utf-8") + b"\n",), daemon=True).start()
            deadline = None if timeout is None else time.monotonic() + timeout
            with self._ready:
                while not self._lines:
                    remaining = None if deadline is None else deadline - time.monotonic()
                    if remaining is not None and remaining <= 0:
                        break
                    self._ready.wait(remaining)
                line = self._lines.popleft() if self._lines else False
            if line is False:
                self._kill()
                raise CompilerError(f"{self.compiler} did not finish within {timeout:g} s" + self._stderr_tail(),
                                    hint="Raise the timeout, or compile fewer files at once.")
            if line is None:
                code = self._proc.wait()
                self._kill()
                raise CompilerError(f"{self.compiler} exited with code {code}" + self._stderr_tail(),
                                    hint="Reinstall the compiler (`smartdev compilers install VERSION`), or report a bug.")
            try:
                reply = json.loads(line)
            except ValueError:
                self._kill()
                raise CompilerError(f"{self.compiler} answered with something that is not JSON ({line[:80]!r}…)"
                                    + self._stderr_tail()) from None
            if not isinstance(reply, dict) or reply.get("id") != request_id:
                self._kill()
                raise CompilerError(f"{self.compiler} answered out of turn: {str(reply)[:200]}")
            if "error" in reply and self._proc.poll() is not None:
                self._kill()
            return _reply_output(self.compiler, reply)

    def _kill(self) -> None:
        self.closed = True
        if self._proc.poll() is None:
            self._proc.kill()
        self._proc.wait()
        try:  # stdout and stderr are closed by their readers at EOF
            if self._proc.stdin is not None:
                self._proc.stdin.close()
        except OSError:
            pass

    def close(self) -> None:
        """Kill the node process (it holds no state worth a graceful exit)."""
        self._kill()

    def __del__(self) -> None:  # a forgotten process must not outlive its owner
        try:
            if self._proc.poll() is None:
                self._proc.kill()
                self._proc.wait(timeout=1)
        except Exception:  # noqa: BLE001, S110 - interpreter shutdown
            pass


def _reply_output(compiler: Compiler, reply: dict) -> dict:
    """The output of a well-formed ``{"id": …, "output"|"error": …}`` answer of the driver."""
    if "error" in reply:
        first = (str(reply["error"]).strip().splitlines() or ["no message"])[0]
        raise CompilerError(f"{compiler} crashed: {first}",
                            hint="This is a compiler bug or an input solc-js cannot handle; try a native solc.")
    output = reply.get("output")
    if not isinstance(output, dict):
        raise CompilerError(f"{compiler} answered without an output object")
    return output


# -- solc-js daemons ----------------------------------------------------------
def daemons_enabled(environ: Mapping[str, str] | None = None) -> bool:
    """Whether ``start(daemon=True)`` may use daemons: not ``SMARTDEV_COMPILER_DAEMON=0``."""
    environ = os.environ if environ is None else environ
    return (environ.get(DAEMON_ENV) or "").strip().lower() not in ("0", "false", "no", "off")


def daemon_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Where daemons keep their sockets, pid files and logs: ``$SMARTDEV_DAEMON_DIR`` or
    ``<cache>/daemons``."""
    from smartdev.context import user_dir

    environ = os.environ if environ is None else environ
    explicit = environ.get(DAEMON_DIR_ENV)
    directory = Path(explicit).expanduser() if explicit else user_dir("cache", environ) / DAEMONS_DIR
    return directory.absolute()  # the daemon runs elsewhere


def _idle_seconds(environ: Mapping[str, str]) -> str:
    try:
        value = float(environ.get(DAEMON_IDLE_ENV) or DAEMON_IDLE_SECONDS)
    except ValueError:
        value = DAEMON_IDLE_SECONDS
    return f"{value if 0 < value < 1e9 else DAEMON_IDLE_SECONDS:g}"


def daemon_socket_path(compiler: Compiler) -> Path | None:
    """The socket of ``compiler``'s daemon: one per solc-js package, node, driver (its
    version) and V8 flags, ``<daemon dir>/solcjs-<version>-<hash>.sock``; None when no
    daemon can be used (native solc, no node, no Unix sockets, a path too long for one)."""
    import socket

    if compiler.kind != "solcjs" or not hasattr(socket, "AF_UNIX"):
        return None
    node = compiler.node or shutil.which("node")
    if node is None:
        return None
    try:
        driver = DRIVER.stat()
        package = compiler.path.resolve()
    except OSError:
        return None
    key = "\0".join([str(package), node, str(DRIVER), f"{driver.st_mtime_ns}:{driver.st_size}",
                     os.environ.get("SMARTDEV_SOLCJS_V8_FLAGS", "\1")])
    digest = hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:10]
    path = daemon_dir(compiler.environ) / f"solcjs-{compiler.version}-{digest}.sock"
    limit = 103 if sys.platform == "darwin" else _SOCKET_PATH_MAX
    if len(os.fsencode(str(path))) > limit:
        return None
    return path


def _connect_unix(path: Path):
    """A socket connected to ``path``, or None if nothing listens there."""
    import socket

    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(str(path))
    except OSError:
        sock.close()
        return None
    return sock


def _peer_pid(sock, socket_path: Path) -> int | None:
    import socket
    import struct

    if hasattr(socket, "SO_PEERCRED"):  # Linux: the pid of the process that listens
        try:
            pid = struct.unpack("3i", sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i")))[0]
            return pid or None
        except OSError:
            pass
    try:
        return int(Path(f"{socket_path}.pid").read_text().strip())
    except (OSError, ValueError):
        return None


class _SolcjsDaemonClient(CompilerProcess):
    """A connection to the compiler's solc-js daemon (``solcjs_driver.js --daemon``), made
    in the background: connect, else spawn the daemon (detached: it outlives us) and connect
    once it listens. If no daemon comes up, a private :class:`_SolcjsServer` is used instead,
    so the daemon never makes a compile fail that would otherwise work."""

    def __init__(self, compiler: Compiler, socket_path: Path) -> None:
        super().__init__(compiler)
        self.socket_path = socket_path
        self.spawned = False  # whether this connection spawned the daemon
        self.daemon_pid: int | None = None
        self._sock: Any = None
        self._fallback: CompilerProcess | None = None
        self._failure: CompilerError | None = None
        self._lock = threading.Lock()  # one request at a time
        self._state = threading.Lock()  # closed, _sock, _fallback
        self._ready = threading.Event()
        self._next_id = 0
        threading.Thread(target=self._open, daemon=True, name="solcjs-daemon-connect").start()

    @property
    def log_path(self) -> Path:
        return self.socket_path.with_suffix(".log")

    @property
    def uses_daemon(self) -> bool:
        """Whether compiles go to the daemon (False: to a private process); waits for the
        connection."""
        self._ready.wait()
        return self._sock is not None

    def _open(self) -> None:
        sock = None
        try:
            sock = _connect_unix(self.socket_path) or self._spawn_and_connect()
        except Exception:  # noqa: BLE001 - never let the daemon break a compile
            sock = None
        with self._state:
            if sock is not None:
                if self.closed:
                    sock.close()
                else:
                    self._sock = sock
                    self.daemon_pid = _peer_pid(sock, self.socket_path)
            elif not self.closed:
                try:
                    self._fallback = _SolcjsServer(self.compiler)
                except CompilerError as exc:
                    self._failure = exc
        self._ready.set()

    def _spawn_and_connect(self) -> Any:
        """Spawn the daemon and connect once it listens; None if it does not come up. One
        caller at a time spawns (a lock file): the others connect once it listens."""
        try:
            import fcntl
        except ImportError:  # pragma: no cover - no flock: the driver sorts out duplicates
            fcntl = None  # type: ignore[assignment]
        deadline = time.monotonic() + DAEMON_START_TIMEOUT
        self.socket_path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        lock = os.open(self.socket_path.with_suffix(".lock"), os.O_RDWR | os.O_CREAT, 0o600) if fcntl else None
        try:
            delay = 0.004
            while lock is not None:
                try:
                    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:  # another caller is spawning it
                    sock = _connect_unix(self.socket_path)
                    if sock is not None:
                        return sock
                    if time.monotonic() > deadline:
                        return None
                    time.sleep(delay)
                    delay = min(delay * 1.5, 0.02)
            return _connect_unix(self.socket_path) or self._spawn(deadline)
        finally:
            if lock is not None:
                os.close(lock)  # and so unlock

    def _spawn(self, deadline: float) -> Any:
        directory = self.socket_path.parent
        environ = os.environ if self.compiler.environ is None else self.compiler.environ
        cmd = [self.compiler._node(), str(DRIVER), str(self.compiler.path),
               "--daemon", str(self.socket_path), "--idle-seconds", _idle_seconds(environ)]
        try:
            mode = "wb" if self.log_path.stat().st_size > 1 << 20 else "ab"
        except OSError:
            mode = "ab"
        with open(self.log_path, mode) as log:
            child = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log,
                                     start_new_session=True, cwd=str(directory))
        self.spawned = True
        try:
            exited: float | None = None
            delay = 0.004
            while True:
                sock = _connect_unix(self.socket_path)
                if sock is not None:
                    return sock
                now = time.monotonic()
                code = child.poll()
                if code is not None:
                    if code != 0:
                        return None  # it could not load solc or listen (its log says why)
                    # 0: another daemon was listening already; it should answer at once.
                    exited = exited or now
                    if now - exited > 1.0:
                        return None
                if now > deadline:
                    return None  # left alone: it may still come up, for the next compile
                time.sleep(delay)
                delay = min(delay * 1.5, 0.02)
        finally:  # reaped whenever it exits, as long as we live
            threading.Thread(target=child.wait, daemon=True, name="solcjs-daemon-reaper").start()

    def compile(self, standard_input: dict | str, *, timeout: float | None = None) -> dict:
        deadline = None if timeout is None else time.monotonic() + timeout

        def remaining() -> float | None:
            return None if deadline is None else max(deadline - time.monotonic(), 0.001)

        with self._lock:
            if self.closed:
                raise CompilerError(f"{self.compiler}: the compiler process is closed")
            if not self._ready.wait(remaining()):
                raise CompilerError(f"{self.compiler} did not finish within {timeout:g} s (it was still starting)",
                                    hint="Raise the timeout, or compile fewer files at once.")
            with self._state:
                sock, fallback, failure = self._sock, self._fallback, self._failure
            if failure is not None:
                raise failure
            if fallback is not None:
                return fallback.compile(standard_input, timeout=remaining())
            if sock is None:
                raise CompilerError(f"{self.compiler}: the compiler process is closed")
            self._next_id += 1
            request_id = self._next_id
            request = json.dumps({"id": request_id, "input": standard_input}, separators=(",", ":"))
            try:
                sock.settimeout(remaining())
                sock.sendall(request.encode("utf-8") + b"\n")
                line = self._receive_line(sock, remaining)
            except TimeoutError:
                self._drop()  # the daemon finishes that compile for nobody, then serves others
                raise CompilerError(f"{self.compiler} did not finish within {timeout:g} s",
                                    hint="Raise the timeout, or compile fewer files at once.") from None
            except OSError as exc:
                self._drop()
                raise self._died(f"the connection broke ({exc.strerror or exc})") from None
            if line is None:
                self._drop()
                raise self._died("it closed the connection without answering")
            try:
                reply = json.loads(line)
            except ValueError:
                self._drop()
                raise CompilerError(f"{self.compiler}'s daemon answered with something that is not JSON "
                                    f"({line[:80]!r}…)") from None
            if not isinstance(reply, dict) or reply.get("id") != request_id:
                self._drop()
                raise CompilerError(f"{self.compiler}'s daemon answered out of turn: {str(reply)[:200]}")
            return _reply_output(self.compiler, reply)

    @staticmethod
    def _receive_line(sock: Any, remaining: Callable[[], float | None]) -> bytes | None:
        """One answer line (without its newline); None at the end of the stream."""
        chunks: list[bytes] = []
        while True:
            sock.settimeout(remaining())
            chunk = sock.recv(1 << 18)
            if not chunk:
                return None
            newline = chunk.find(b"\n")  # only the new chunk is scanned
            if newline >= 0:
                chunks.append(chunk[:newline])
                return b"".join(chunks)
            chunks.append(chunk)

    def _died(self, what: str) -> CompilerError:
        pid = f" (pid {self.daemon_pid})" if self.daemon_pid else ""
        try:
            with open(self.log_path, "rb") as log:
                log.seek(max(0, log.seek(0, os.SEEK_END) - 4096))
                tail = _tail(log.read(), lines=4, limit=600)
        except OSError:
            tail = ""
        return CompilerError(
            f"{self.compiler}: its daemon{pid} stopped in the middle of a compile: {what}{tail}",
            hint=f"Compile again (a new daemon is started). Its log: {self.log_path}; "
            f"{DAEMON_ENV}=0 runs solc-js without daemons.",
        )

    def _drop(self) -> None:
        with self._state:
            self.closed = True
            sock, self._sock = self._sock, None
        if sock is not None:
            sock.close()

    def close(self) -> None:
        """Close the connection (or the private process); the daemon stays for later."""
        with self._state:
            self.closed = True
            sock, self._sock = self._sock, None
            fallback, self._fallback = self._fallback, None
        if sock is not None:
            sock.close()
        if fallback is not None:
            fallback.close()

    def __del__(self) -> None:
        try:
            if self._sock is not None:
                self._sock.close()
        except Exception:  # noqa: BLE001, S110 - interpreter shutdown
            pass


def _is_daemon_process(pid: int) -> bool:
    """Whether ``pid`` is a live ``solcjs_driver.js --daemon`` (not a zombie, not a pid reused
    by something else)."""
    if Path("/proc/self").exists():
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            return False
    else:  # e.g. macOS
        try:
            cmdline = subprocess.run(["ps", "-o", "command=", "-p", str(pid)], capture_output=True,
                                     timeout=10, check=False).stdout
        except (OSError, subprocess.TimeoutExpired):
            return False
    return DRIVER.name.encode() in cmdline and b"--daemon" in cmdline


def stop_daemons(environ: Mapping[str, str] | None = None, *, wait: float = 3.0) -> list[int]:
    """SIGTERM every solc-js daemon with a pid file in :func:`daemon_dir`; return their pids
    (after waiting up to ``wait`` seconds for them to exit). Pid files of processes that are
    gone or are not daemons, and socket files nothing listens on, are removed."""
    directory = daemon_dir(environ)
    try:
        pid_files = sorted(directory.glob("*.sock.pid"))
    except OSError:
        return []
    stopped: list[int] = []
    for pid_file in pid_files:
        socket_path = pid_file.with_name(pid_file.name[: -len(".pid")])
        try:
            pid = int(pid_file.read_text().strip())
        except (OSError, ValueError):
            pid = 0
        if pid > 0 and _is_daemon_process(pid):
            try:
                os.kill(pid, signal.SIGTERM)
                stopped.append(pid)
                continue
            except ProcessLookupError:
                pass
            except PermissionError:
                continue
        _remove_if_stale(socket_path)
        try:
            pid_file.unlink()
        except OSError:
            pass
    for socket_path in directory.glob("*.sock"):  # left by a daemon killed before its pid file
        if not Path(f"{socket_path}.pid").exists():
            _remove_if_stale(socket_path)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline and any(_is_daemon_process(pid) for pid in stopped):
        time.sleep(0.02)
    return stopped


def _remove_if_stale(socket_path: Path) -> None:
    sock = _connect_unix(socket_path)
    if sock is not None:
        sock.close()
        return
    try:
        socket_path.unlink()
    except OSError:
        pass


# -- finding compilers --------------------------------------------------------
_native_versions: dict[tuple[str, int, int], str] = {}  # (path, mtime_ns, size) -> version
_native_versions_loaded: set[str] = set()
_native_lock = threading.Lock()


def _solc_version_of(path: Path, cache_file: Path | None) -> str:
    """``solc --version`` of an executable, cached by path, mtime and size (real binaries
    in ``cache_file`` too; scripts such as solc-select shims only for this process)."""
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    with _native_lock:
        if cache_file is not None and str(cache_file) not in _native_versions_loaded:
            _native_versions_loaded.add(str(cache_file))
            try:
                for entry in json.loads(cache_file.read_text()).get("binaries", []):
                    _native_versions[(entry["path"], entry["mtime_ns"], entry["size"])] = entry["version"]
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                pass
        if key in _native_versions:
            return _native_versions[key]
    try:
        done = subprocess.run([str(path), "--version"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise CompilerError(f"{path} is not a working solc: {exc}") from None
    match = _SOLC_VERSION_LINE.search(done.stdout)
    if done.returncode != 0 or match is None:
        raise CompilerError(f"{path} is not a working solc: `--version` printed "
                            f"{(done.stdout or done.stderr).strip()[:200]!r}")
    version = match[1]
    with _native_lock:
        _native_versions[key] = version
        if cache_file is not None and _is_binary(path):
            _save_native_versions(cache_file)
    return version


def _is_binary(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            head = fh.read(4)
    except OSError:
        return False
    return head.startswith(_BINARY_MAGIC)


def _save_native_versions(cache_file: Path) -> None:
    from smartdev.files import atomic_write_json

    entries = [
        {"path": p, "mtime_ns": m, "size": s, "version": v}
        for (p, m, s), v in _native_versions.items()
        if _is_binary(Path(p))
    ]
    try:
        atomic_write_json(cache_file, {"binaries": entries})
    except OSError:
        pass  # a cache only


def _solcjs_package_version(package: Path) -> str | None:
    try:
        version = json.loads((package / "package.json").read_text()).get("version", "")
        return _base_version(str(version))
    except (OSError, ValueError, AttributeError):
        return None


def _is_solcjs_package(path: Path) -> bool:
    return (path / "soljson.js").is_file() and (path / "wrapper.js").is_file() and (path / "package.json").is_file()


class CompilerResolver:
    """Finds, chooses and installs compilers; see the module docstring for the order.

    ``solc`` is an explicit compiler from the config or ``--solc``: a path to a solc
    executable (or a name on PATH), or a solc-js package directory. When given it is
    always the one used, and its version must satisfy the pragmas."""

    def __init__(self, environ: Mapping[str, str] | None = None, *, solc: str | None = None) -> None:
        from smartdev.context import user_dir

        self.environ: Mapping[str, str] = os.environ if environ is None else environ
        self.explicit = str(solc) if solc else None
        self.cache_dir = user_dir("cache", self.environ)
        self.warnings: list[str] = []  # compilers that were skipped, for the CLI to show
        self._explicit: Compiler | None = None
        self._install_lock = threading.Lock()

    @property
    def offline(self) -> bool:
        """``SMARTDEV_OFFLINE=1``: no network use of our own (no version-list refresh, no
        py-solc-x download; npm installs run with --offline: npm's cache or a local tarball)."""
        return (self.environ.get(OFFLINE_ENV) or "").strip().lower() not in ("", "0", "false", "no")

    # paths ------------------------------------------------------------------
    @property
    def solcjs_root(self) -> Path:
        return self.cache_dir / SOLCJS_DIR

    def solcx_store(self) -> Path:
        explicit = self.environ.get("SOLCX_BINARY_PATH")
        if explicit:
            return Path(explicit).expanduser()
        home = self.environ.get("HOME") or self.environ.get("USERPROFILE") or str(Path.home())
        return Path(home) / ".solcx"

    def _which(self, name: str) -> str | None:
        return shutil.which(name, path=self.environ.get("PATH", os.defpath))

    def _node(self) -> str | None:
        return self._which("node")

    # discovery --------------------------------------------------------------
    def _from_path(self, raw: str, source: str) -> Compiler:
        path = Path(raw).expanduser()
        if not path.exists() and "/" not in raw and os.sep not in raw:
            found = self._which(raw)
            if found:
                path = Path(found)
        if path.is_dir():
            for package in (path, path / "node_modules" / "solc"):
                if _is_solcjs_package(package):
                    version = _solcjs_package_version(package)
                    if version is None:
                        raise CompilerError(f"{package} has no readable package.json version")
                    return Compiler(version, "solcjs", package.resolve(), source, node=self._node(),
                                    environ=self.environ)
            raise CompilerNotFoundError(f"{path} is a directory but not a solc-js package (no soljson.js)")
        if not path.is_file():
            raise CompilerNotFoundError(f"the compiler {raw!r} does not exist")
        path = path.resolve()
        version = _solc_version_of(path, self.cache_dir / NATIVE_VERSIONS_CACHE)
        return Compiler(version, "native", path, source)

    def explicit_compiler(self) -> Compiler | None:
        """The compiler given as ``solc=`` (config or --solc), checked; None if not given."""
        if self.explicit is None:
            return None
        if self._explicit is None:
            try:
                self._explicit = self._from_path(self.explicit, "config")
            except CompilerError as exc:
                raise type(exc)(exc.message, hint="Fix `solc` in the configuration (or --solc), or remove it "
                                "to let smartdev choose a compiler from the pragmas.") from None
        return self._explicit

    def installed(self) -> list[Compiler]:
        """Every compiler found, in order of precedence: explicit, $SOLC, PATH, py-solc-x's
        store (newest first), smartdev's solc-js cache (newest first)."""
        found: list[Compiler] = []
        seen: set[str] = set()

        def add(compiler: Compiler | None) -> None:
            if compiler is not None and str(compiler.path) not in seen:
                seen.add(str(compiler.path))
                found.append(compiler)

        add(self.explicit_compiler())
        env_solc = self.environ.get("SOLC")
        if env_solc:
            try:
                add(self._from_path(env_solc, "env"))
            except CompilerError as exc:
                self._warn(f"ignoring SOLC={env_solc}: {exc.message}")
        on_path = self._which("solc")
        if on_path:
            try:
                add(self._from_path(on_path, "path"))
            except CompilerError as exc:
                self._warn(f"ignoring `solc` on PATH: {exc.message}")
        for compiler in self._solcx_compilers():
            add(compiler)
        for compiler in self._cached_solcjs():
            add(compiler)
        return found

    def _warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def _solcx_compilers(self) -> list[Compiler]:
        store = self.solcx_store()
        try:
            entries = list(store.iterdir())
        except OSError:
            return []
        found = []
        for entry in entries:
            if not entry.name.startswith("solc-v"):
                continue
            try:
                version = _base_version(entry.name[len("solc-v"):])
            except ValueError:
                continue
            binary = entry / "solc.exe" if entry.is_dir() else entry
            if binary.is_file() and os.access(binary, os.X_OK):
                found.append(Compiler(version, "native", binary, "solcx"))
        return sorted(found, key=lambda c: version_sort_key(c.version), reverse=True)

    def _cached_solcjs(self) -> list[Compiler]:
        try:
            entries = list(self.solcjs_root.iterdir())
        except OSError:
            return []
        node = self._node()
        found = []
        for entry in entries:
            if entry.name.startswith(".") or not _VERSION_RE.match(entry.name):
                continue  # temp dirs of installs in progress
            package = entry / "node_modules" / "solc"
            if _is_solcjs_package(package):
                found.append(Compiler(_base_version(entry.name), "solcjs", package, "cache", node=node,
                                      environ=self.environ))
        return sorted(found, key=lambda c: version_sort_key(c.version), reverse=True)

    # choosing ---------------------------------------------------------------
    def find(self, specs: list[str]) -> Compiler | None:
        """The newest installed compiler satisfying all ``specs`` (on equal versions the
        earlier source wins), or None. An explicit compiler is always the answer, and a
        :class:`CompilerError` if its version does not satisfy."""
        specs = list(specs)
        for spec in specs:
            parse_pragma_spec(spec)
        explicit = self.explicit_compiler()
        if explicit is not None:
            if not satisfies(explicit.version, specs):
                raise CompilerError(
                    f"the configured compiler {explicit.path} is solc {explicit.version}, "
                    f"which does not satisfy {_describe_specs(specs)}",
                    hint="Change `solc` in the configuration (or --solc), or remove it to let smartdev "
                    "choose a compiler from the pragmas.",
                )
            return explicit
        best: Compiler | None = None
        for compiler in self.installed():
            if satisfies(compiler.version, specs) and (
                best is None or version_sort_key(compiler.version) > version_sort_key(best.version)
            ):
                best = compiler
        return best

    def which(self, spec: str) -> Compiler | None:
        """The compiler a version or range picks (``0.8.x``, ``0.8``, ``^0.8.0``, ``0.8.28``):
        what :meth:`find` returns for it."""
        return self.find([spec])

    def resolve(self, specs: list[str], *, install: bool = True) -> Compiler:
        """:meth:`find`, else install the newest released version satisfying all ``specs``.

        Raises :class:`CompilerNotFoundError` when no release satisfies them (the caller
        names the files) or, with ``install=False``, when none is installed."""
        specs = list(specs)
        found = self.find(specs)
        if found is not None:
            return found
        version = newest_satisfying(self.known_versions(), specs)
        if version is None:  # maybe released since the list was refreshed
            version = newest_satisfying(self.known_versions(refresh=True), specs)
        if version is None:
            raise CompilerNotFoundError(
                f"no released solc version satisfies {_describe_specs(specs)}",
                hint="Check the `pragma solidity` lines (see `smartdev compilers list --known`).",
            )
        if not install:
            raise CompilerNotFoundError(
                f"no installed compiler satisfies {_describe_specs(specs)} (the newest release that does is {version})",
                hint=f"Install it with `smartdev compilers install {version}`.",
            )
        return self.install(version)

    # released versions ------------------------------------------------------
    def known_versions(self, *, refresh: bool | None = None) -> list[str]:
        """Every released solc version, newest first: the bundled list plus what
        ``npm view solc versions`` last said. ``refresh=None`` refreshes in a detached
        background process at most once a day (never blocking); ``True`` refreshes now
        (still never raising); ``False`` not at all, nor does ``SMARTDEV_OFFLINE=1``.
        Offline, or without npm: the bundled list (plus the last refresh)."""
        versions = set(_bundled_versions())
        cache_file = self.cache_dir / KNOWN_VERSIONS_CACHE
        cached = _read_json(cache_file)
        versions.update(v for v in cached.get("versions", []) if isinstance(v, str) and _VERSION_RE.match(v))
        if refresh is not False and not self.offline:
            checked = cached.get("checked", 0)
            due = not isinstance(checked, (int, float)) or time.time() - checked > REFRESH_INTERVAL
            npm = self._which("npm")
            if npm and (refresh or due):
                if refresh:
                    fresh = _refresh_known_versions(npm, cache_file, self.environ)
                    versions.update(fresh or [])
                else:
                    self._refresh_in_background(npm, cache_file, cached)
        return sorted(versions, key=version_sort_key, reverse=True)

    def _refresh_in_background(self, npm: str, cache_file: Path, cached: dict) -> None:
        from smartdev.files import atomic_write_json

        try:  # mark the attempt first: at most one refresh a day, even offline
            atomic_write_json(cache_file, {**cached, "checked": time.time()})
            child = subprocess.Popen(
                [sys.executable, "-c", "from smartdev.compile.compilers import _refresh_main; _refresh_main()",
                 npm, str(cache_file)],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                env={**_child_env(self.environ), "PYTHONPATH": _package_root()},
                start_new_session=True, cwd=str(cache_file.parent),
            )
            # Reaped by a daemon thread if we live long enough; else it simply outlives us.
            threading.Thread(target=child.wait, daemon=True, name="solc-versions-refresh").start()
        except OSError:
            pass

    # installing -------------------------------------------------------------
    def install(self, version: str) -> Compiler:
        """Install solc ``version`` (exact) and return it: a native binary with py-solc-x
        into its store, else solc-js with npm into smartdev's cache. Already installed
        there: returned as is. Installs go to a temp dir renamed into place, so a failed or
        interrupted install leaves nothing half-done behind."""
        if not re.fullmatch(r"\d+\.\d+\.\d+", version or ""):
            raise CompilerError(f"{version!r} is not an exact solc version",
                                hint="Give one such as 0.8.28 (`smartdev compilers install` also takes ranges).")
        with self._install_lock:
            for compiler in self._solcx_compilers() + self._cached_solcjs():
                if compiler.version == version:
                    return compiler
            method = (self.environ.get(INSTALLER_ENV) or "auto").strip().lower()
            if method not in ("auto", "solcx", "npm"):
                raise CompilerError(f"{INSTALLER_ENV}={method!r} is not one of auto, solcx, npm")
            failures: list[str] = []
            if method == "solcx" or (method == "auto" and not self.offline):
                try:
                    return self._install_solcx(version)
                except CompilerError as exc:
                    if method == "solcx":
                        raise
                    failures.append(f"native solc via py-solc-x: {exc.message}")
            try:
                return self._install_solcjs(version)
            except CompilerError as exc:
                if not failures:
                    raise
                raise CompilerError(
                    f"installing solc {version} failed; {'; '.join(failures)}; solc-js via npm: {exc.message}",
                    hint=exc.hint,
                ) from None

    def _install_solcx(self, version: str) -> Compiler:
        import tempfile

        store = self.solcx_store()
        try:
            store.mkdir(parents=True, exist_ok=True)
            tmp = Path(tempfile.mkdtemp(prefix=".smartdev-install-", dir=store))
        except OSError as exc:
            raise CompilerError(f"cannot write to py-solc-x's store {store}: {exc}") from None
        try:
            env = _child_env(self.environ)
            env.pop("SOLCX_BINARY_PATH", None)  # else py-solc-x ignores the temp dir
            try:
                done = subprocess.run([sys.executable, "-c", _SOLCX_INSTALL, version, str(tmp)],
                                      capture_output=True, text=True, env=env, timeout=900, check=False)
            except subprocess.TimeoutExpired:
                raise CompilerError(f"py-solc-x did not install solc {version} within 15 minutes") from None
            name = f"solc-v{version}"
            if done.returncode != 0 or not (tmp / name).exists():
                detail = [line for line in (done.stderr or done.stdout).strip().splitlines() if line.strip()]
                raise CompilerError(f"py-solc-x could not install solc {version}: "
                                    f"{(detail[-1] if detail else 'no output')[:300]}")
            target = store / name
            try:
                os.replace(tmp / name, target)
            except OSError:
                if not target.exists():
                    raise
            binary = target / "solc.exe" if target.is_dir() else target
            return Compiler(version, "native", binary, "solcx")
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def _install_solcjs(self, version: str) -> Compiler:
        import tempfile

        npm, node = self._which("npm"), self._node()
        if npm is None or node is None:
            missing = "npm" if node else "Node.js"
            raise CompilerError(
                f"solc {version} can only be installed as solc-js here, which needs {missing}",
                hint="Install Node.js with npm (https://nodejs.org), or a native solc "
                "(put it on PATH, set SOLC, or `solc` in the config).",
            )
        root = self.solcjs_root
        target = root / version
        try:
            root.mkdir(parents=True, exist_ok=True)
            tmp = Path(tempfile.mkdtemp(prefix=f".{version}-", dir=root))
        except OSError as exc:
            raise CompilerError(f"cannot write to smartdev's compiler cache {root}: {exc}") from None
        try:
            spec = solcjs_npm_spec(version, self.environ)
            try:
                done = subprocess.run(
                    [npm, "install", "--no-audit", "--no-fund", "--no-save", "--ignore-scripts",
                     "--loglevel=error", *(["--offline"] if self.offline else []),
                     "--prefix", str(tmp), spec],
                    capture_output=True, text=True, env=_child_env(self.environ), timeout=900,
                    cwd=str(tmp), check=False,
                )
            except subprocess.TimeoutExpired:
                raise CompilerError(f"`npm install {spec}` did not finish within 15 minutes") from None
            package = tmp / "node_modules" / "solc"
            if done.returncode != 0 or not _is_solcjs_package(package):
                detail = [line for line in (done.stderr or done.stdout).strip().splitlines()
                          if line.strip() and "npm warn" not in line.lower()]
                raise CompilerError(
                    f"`npm install {spec}` failed: {(detail[-1] if detail else 'no solc package installed')[:300]}",
                    hint="Check npm's access to its registry (npm config get registry), or install a native solc.",
                )
            got = _solcjs_package_version(package)
            if got != version:
                raise CompilerError(f"`npm install {spec}` installed solc-js {got}, not {version}",
                                    hint=f"Check {NPM_PACKAGE_ENV}.")
            # Load it once (this also writes the fast variant of soljson.js).
            try:
                check = subprocess.run([node, str(DRIVER), str(package), "--prepare"],
                                       capture_output=True, text=True, timeout=300, check=False)
            except subprocess.TimeoutExpired:
                raise CompilerError(f"the installed solc-js {version} did not load within 5 minutes") from None
            if check.returncode != 0 or f'"{version}' not in check.stdout:
                raise CompilerError(f"the installed solc-js {version} does not load" + _tail(check.stderr))
            try:
                os.rename(tmp, target)
            except OSError:
                if not _is_solcjs_package(target / "node_modules" / "solc"):
                    raise CompilerError(f"cannot move the installed solc-js into {target}") from None
                # installed meanwhile by another process: use that one
            return Compiler(version, "solcjs", target / "node_modules" / "solc", "cache", node=node,
                            environ=self.environ)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


def solcjs_npm_spec(version: str, environ: Mapping[str, str] | None = None) -> str:
    """What ``npm install`` installs for solc-js ``version``: ``$SMARTDEV_SOLCJS_PACKAGE``
    (``{version}`` substituted; e.g. a tarball path) or ``solc@<version>``."""
    environ = os.environ if environ is None else environ
    template = environ.get(NPM_PACKAGE_ENV)
    if not template:
        return f"solc@{version}-fixed" if version in NPM_REPUBLISHED else DEFAULT_NPM_PACKAGE.format(version=version)
    return template.replace("{version}", version)


def _package_root() -> str:
    return str(Path(__file__).resolve().parents[2])


def _child_env(environ: Mapping[str, str]) -> dict[str, str]:
    return {str(k): str(v) for k, v in environ.items()}


# py-solc-x in a child process: a timeout on every request (py-solc-x sets none), and the
# process environment (SOLCX_BINARY_PATH) cannot redirect the install away from the temp dir.
_SOLCX_INSTALL = """
import sys
import requests
_request = requests.Session.request
def request(self, *args, **kwargs):
    kwargs.setdefault("timeout", (10, 120))
    return _request(self, *args, **kwargs)
requests.Session.request = request
import solcx
solcx.install_solc(sys.argv[1], show_progress=False, solcx_binary_path=sys.argv[2])
"""


# -- released versions ------------------------------------------------------
@functools.lru_cache(maxsize=1)
def _bundled_versions() -> tuple[str, ...]:
    try:
        lines = BUNDLED_VERSIONS.read_text().splitlines()
    except OSError:
        return ()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _releases(names: list[Any]) -> list[str]:
    return [n for n in names if isinstance(n, str) and re.fullmatch(r"\d+\.\d+\.\d+", n)]


def _refresh_known_versions(npm: str, cache_file: Path, environ: Mapping[str, str] | None = None,
                            timeout: float = 20) -> list[str] | None:
    """Ask npm for the released versions and cache them; None (and nothing raised) if npm fails."""
    from smartdev.files import atomic_write_json

    cmd = [npm, "view", "solc", "versions", "--json", "--fetch-retries=0", "--fetch-timeout=10000",
           "--loglevel=error"]
    versions = None
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                              env=_child_env(environ) if environ is not None else None, check=False)
        if done.returncode == 0:
            versions = _releases(json.loads(done.stdout))
    except (OSError, subprocess.TimeoutExpired, ValueError):
        versions = None
    cached = _read_json(cache_file)
    data = {**cached, "checked": time.time()}
    if versions:
        data["versions"] = sorted(versions, key=version_sort_key, reverse=True)
        data["fetched"] = time.time()
    try:
        atomic_write_json(cache_file, data)
    except OSError:
        pass
    return versions or None


def _refresh_main() -> None:  # pragma: no cover - runs detached
    """Entry point of the background refresh: ``python -c … NPM CACHE_FILE``."""
    npm, cache_file = sys.argv[1], Path(sys.argv[2])
    _refresh_known_versions(npm, cache_file)
