"""smartdev.compile.compilers: version pragmas, finding/choosing/installing compilers,
and running them (solc-js one shot and as a server, native solc through a real process).

Real compilers, no mocks, no network: solc-js versions come from the user's cache
(``$SMARTDEV_CACHE_DIR/solcjs/<version>``, installed by ``make solcjs``); tests that need
one that is absent are skipped. Each test gets its own cache dir whose ``solcjs/<version>``
entries are symlinks to the real installs, its own HOME (so no ~/.solcx) and a PATH that
holds only ``node`` plus whatever fake executables the test writes.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import tarfile
import time
from pathlib import Path

import pytest

from smartdev.compile.compilers import (
    DRIVER,
    Compiler,
    CompilerError,
    CompilerNotFoundError,
    CompilerResolver,
    PragmaError,
    newest_satisfying,
    parse_pragma_spec,
    satisfies,
    solcjs_npm_spec,
    version_sort_key,
)
from smartdev.errors import CompileError, ExitStatus, NotFoundError, SmartdevError

REAL_CACHE = Path(os.environ.get("SMARTDEV_CACHE_DIR") or Path.home() / ".cache" / "smartdev")
NODE = shutil.which("node")
NPM = shutil.which("npm")


def real_solcjs(version: str) -> Path | None:
    package = REAL_CACHE / "solcjs" / version / "node_modules" / "solc"
    return package if (package / "soljson.js").is_file() else None


SOLC_0828 = real_solcjs("0.8.28")
needs_solcjs = pytest.mark.skipif(
    NODE is None or SOLC_0828 is None, reason="needs node and solc-js 0.8.28 in the cache (make solcjs)"
)
OLD_VERSIONS = [v for v in ("0.6.12", "0.7.6") if real_solcjs(v) is not None]

COUNTER = """// SPDX-License-Identifier: MIT
pragma solidity >=0.6.0 <0.9.0;

contract Counter {
    uint256 public count;
    event Incremented(uint256 value);
    function inc() external { count += 1; emit Incremented(count); }
}
"""

GREETER = """// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;

contract Greeter {
    string public greeting = "hi";
    function set(string calldata g) external { greeting = g; }
}
"""


def standard_input(sources: dict[str, str]) -> dict:
    return {
        "language": "Solidity",
        "sources": {name: {"content": text} for name, text in sources.items()},
        "settings": {
            "optimizer": {"enabled": False, "runs": 200},
            "outputSelection": {"*": {"*": ["abi", "evm.bytecode.object", "evm.deployedBytecode.object"]}},
        },
    }


def assert_compiled(output: dict, unit: str, name: str, abi_names: set[str]) -> None:
    errors = [e for e in output.get("errors", []) if e.get("severity") == "error"]
    assert not errors, errors
    contract = output["contracts"][unit][name]
    assert len(contract["evm"]["bytecode"]["object"]) > 100
    assert len(contract["evm"]["deployedBytecode"]["object"]) > 100
    assert {item.get("name") for item in contract["abi"]} >= abi_names


def assert_counter(output: dict) -> None:
    assert_compiled(output, "Counter.sol", "Counter", {"count", "inc", "Incremented"})


def make_env(tmp_path: Path, versions: tuple[str, ...] = ("0.8.28",)) -> dict[str, str]:
    """An isolated environ: own cache (solc-js symlinked from the real one), HOME and PATH."""
    cache = tmp_path / "cache"
    (cache / "solcjs").mkdir(parents=True)
    for version in versions:
        package = real_solcjs(version)
        if package is not None:
            (cache / "solcjs" / version).symlink_to(package.parent.parent)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    if NODE:
        (bin_dir / "node").symlink_to(NODE)
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    return {"PATH": str(bin_dir), "HOME": str(home), "SMARTDEV_CACHE_DIR": str(cache)}


def fake_solc(directory: Path, version: str, *, name: str = "solc", log: Path | None = None,
              compile_script: str | None = None) -> Path:
    """A `solc` that answers --version like solc and runs --standard-json with solc-js."""
    directory.mkdir(parents=True, exist_ok=True)
    script = directory / name
    record = f'echo version >> "{log}"' if log else ":"
    run = compile_script or f'exec "{NODE}" "{DRIVER}" "{SOLC_0828}"'
    script.write_text(
        "#!/bin/sh\n"
        'case "$1" in\n'
        f"  --version) {record}\n"
        f"    printf 'solc, the solidity compiler commandline interface\\nVersion: {version}+commit.7893614a.Linux.g++\\n'\n"
        "    exit 0;;\n"
        f"  --standard-json) {run};;\n"
        "esac\n"
        'echo "unsupported: $*" >&2\nexit 2\n'
    )
    script.chmod(0o755)
    return script


# -- pragmas and versions ---------------------------------------------------
@pytest.mark.parametrize(
    ("spec", "version", "expected"),
    [
        ("^0.8.0", "0.8.0", True),
        ("^0.8.0", "0.8.28", True),
        ("^0.8.0", "0.9.0", False),
        ("^0.8.0", "0.7.6", False),
        (">=0.6.0 <0.9.0", "0.6.12", True),
        (">=0.6.0 <0.9.0", "0.9.0", False),
        (">= 0.6.0 < 0.9.0", "0.8.28", True),
        (">=0.6.0<0.9.0", "0.5.17", False),
        ("0.8.28", "0.8.28", True),
        ("0.8.28", "0.8.27", False),
        ("=0.8.28", "0.8.28", True),
        ("~0.8.1", "0.8.28", True),
        ("~0.8.1", "0.8.0", False),
        ("^0.6.0 || ^0.8.0", "0.7.6", False),
        ("^0.6.0 || ^0.8.0", "0.6.12", True),
        ("^0.6.0 || ^0.8.0", "0.8.1", True),
        ("0.8.x", "0.8.28", True),
        ("0.8.x", "0.7.6", False),
        ("0.8", "0.8.3", True),
        ("*", "0.4.26", True),
        ("0.6.0 - 0.8.0", "0.7.6", True),
        ("0.6.0 - 0.8.0", "0.8.1", False),
        (">0.8.0 <=0.8.20", "0.8.20", True),
        (">0.8.0 <=0.8.20", "0.8.0", False),
        ("pragma solidity ^0.8.0;", "0.8.5", True),
        ("^0.8.0", "0.8.28+commit.7893614a", True),
    ],
)
def test_pragma_specs(spec: str, version: str, expected: bool) -> None:
    parse_pragma_spec(spec)  # no error
    assert satisfies(version, [spec]) is expected


@pytest.mark.parametrize("spec", ["", "   ", "abc", "^", ">=", "1.2.3.4", "^0.8.0 ||", "||", "v0.8.0",
                                  "0.8.28-", "0.6.0-0.8.0", "0..1", "^0.8.0;;x"])
def test_malformed_pragmas(spec: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_pragma_spec(spec)
    assert isinstance(info.value, PragmaError) and isinstance(info.value, CompileError)
    assert isinstance(info.value, SmartdevError)
    assert str(info.value)


def test_satisfies_all_specs_and_newest() -> None:
    versions = ["0.7.6", "0.8.4", "0.8.28", "0.8.9", "0.6.12", "not-a-version"]
    assert satisfies("0.8.20", ["^0.8.0", ">=0.8.4 <0.9.0"])
    assert not satisfies("0.8.3", ["^0.8.0", ">=0.8.4 <0.9.0"])
    assert satisfies("0.8.3", [])
    assert newest_satisfying(versions, ["^0.8.0"]) == "0.8.28"
    assert newest_satisfying(versions, ["^0.8.0", "<0.8.10"]) == "0.8.9"
    assert newest_satisfying(versions, [">=0.6.0", "<0.8.0"]) == "0.7.6"
    assert newest_satisfying(versions, ["^0.8.0", "<0.8.0"]) is None
    assert newest_satisfying([], ["*"]) is None
    with pytest.raises(ValueError):
        newest_satisfying(versions, ["nope"])


def test_version_sort_key() -> None:
    assert version_sort_key("0.8.28") == (0, 8, 28)
    assert version_sort_key("v0.8.9+commit.e5eed63a") == (0, 8, 9)
    assert sorted(["0.8.9", "0.8.28", "0.10.0", "0.8.10"], key=version_sort_key) == [
        "0.8.9", "0.8.10", "0.8.28", "0.10.0"]
    for bad in ("0.8", "latest", ""):
        with pytest.raises(ValueError):
            version_sort_key(bad)


def test_npm_spec() -> None:
    assert solcjs_npm_spec("0.8.28", {}) == "solc@0.8.28"
    assert solcjs_npm_spec("0.8.7", {}) == "solc@0.8.7-fixed"  # npm republished it
    env = {"SMARTDEV_SOLCJS_PACKAGE": "/tmp/solc-{version}.tgz"}
    assert solcjs_npm_spec("0.8.28", env) == "/tmp/solc-0.8.28.tgz"


# -- the node driver ----------------------------------------------------------
def run_driver(package: Path, source: dict, *flags: str, env: dict | None = None) -> bytes:
    done = subprocess.run([NODE, str(DRIVER), str(package), *flags], input=json.dumps(source).encode(),
                          capture_output=True, timeout=120, env=env, check=False)
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout


def linked_package(tmp_path: Path, version: str) -> Path:
    """A solc-js package dir of symlinks to a real one, without its fast variant."""
    real = real_solcjs(version)
    assert real is not None
    package = tmp_path / version / "node_modules" / "solc"
    package.mkdir(parents=True)
    for entry in real.iterdir():
        if entry.name not in ("soljson-fast.js", "soljson.wasm") and not entry.name.endswith(".tmp"):
            (package / entry.name).symlink_to(entry)
    return package


@needs_solcjs
@pytest.mark.parametrize("version", ["0.8.28", *OLD_VERSIONS])
def test_fast_variant_is_written_once_and_compiles_identically(tmp_path: Path, version: str) -> None:
    package = linked_package(tmp_path, version)
    source = standard_input({"Counter.sol": COUNTER})
    original = run_driver(package, source, "--original")
    assert not (package / "soljson-fast.js").exists()
    fast = run_driver(package, source)  # prepares the fast variant, then uses it
    assert (package / "soljson.wasm").read_bytes()[:4] == b"\0asm"
    assert (package / "soljson-fast.js").stat().st_size < 200_000  # no embedded wasm left
    assert not list(package.glob("*.tmp"))
    assert fast == original
    assert_counter(json.loads(fast))
    mtime = (package / "soljson-fast.js").stat().st_mtime_ns
    assert run_driver(package, source) == original  # reuses it
    assert (package / "soljson-fast.js").stat().st_mtime_ns == mtime


@pytest.mark.skipif(NODE is None, reason="needs node")
def test_driver_with_asmjs_build_and_old_callback(tmp_path: Path) -> None:
    """A build without embedded wasm gets a re-exporting soljson-fast.js; solc-js < 0.5 gets
    its import callback as a function."""
    package = tmp_path / "solc"
    package.mkdir()
    (package / "soljson.js").write_text("module.exports = { kind: 'asm.js' };\n")
    (package / "wrapper.js").write_text(
        "module.exports = function (soljson) { return { version: () => '0.4.26+fake',"
        " compile: (input, cb) => JSON.stringify({ n: Object.keys(JSON.parse(input).sources).length,"
        " kind: soljson.kind, callback: typeof cb, answer: (typeof cb === 'function' ? cb : cb.import)('x.sol') }) }; };\n"
    )
    (package / "package.json").write_text('{"name": "solc", "version": "0.4.26"}\n')
    output = json.loads(run_driver(package, standard_input({"A.sol": "", "B.sol": ""})))
    assert output == {"n": 2, "kind": "asm.js", "callback": "function", "answer": {"error": "File not found: x.sol"}}
    assert "require(\"./soljson.js\")" in (package / "soljson-fast.js").read_text()


@needs_solcjs
def test_missing_import_is_a_compile_error(tmp_path: Path) -> None:
    env = make_env(tmp_path)
    compiler = CompilerResolver(env).find(["^0.8.0"])
    output = compiler.compile(standard_input({"A.sol": 'pragma solidity ^0.8.0; import "./Missing.sol"; contract A {}'}))
    messages = " ".join(e["message"] for e in output["errors"])
    assert "File not found: Missing.sol" in messages


# -- solc-js compilers ------------------------------------------------------
@needs_solcjs
def test_solcjs_one_shot(tmp_path: Path) -> None:
    env = make_env(tmp_path)
    compiler = CompilerResolver(env).find(["^0.8.0"])
    assert compiler == Compiler("0.8.28", "solcjs", tmp_path / "cache" / "solcjs" / "0.8.28" / "node_modules" / "solc",
                                "cache")
    assert_counter(compiler.compile(standard_input({"Counter.sol": COUNTER}), timeout=60))
    broken = compiler.compile(standard_input({"Bad.sol": "pragma solidity ^0.8.0; contract {"}))
    assert broken["errors"][0]["severity"] == "error"  # compile errors are output, not exceptions


@needs_solcjs
def test_solcjs_server_answers_many_requests_on_one_process(tmp_path: Path) -> None:
    compiler = CompilerResolver(make_env(tmp_path)).find(["^0.8.0"])
    with compiler.start() as process:
        pid = process._proc.pid
        assert_counter(process.compile(standard_input({"Counter.sol": COUNTER})))
        assert_compiled(process.compile(standard_input({"Greeter.sol": GREETER})), "Greeter.sol", "Greeter",
                        {"greeting", "set"})
        as_text = json.dumps(standard_input({"Counter.sol": COUNTER}))
        assert_counter(process.compile(as_text))
        bad = process.compile(standard_input({"Bad.sol": "contract {"}))
        assert any(e["severity"] == "error" for e in bad["errors"])
        assert_counter(process.compile(standard_input({"Counter.sol": COUNTER})))
        assert process._proc.pid == pid and process._proc.poll() is None
    assert process._proc.poll() is not None  # closing kills node
    with pytest.raises(CompilerError, match="closed"):
        process.compile(standard_input({"Counter.sol": COUNTER}))


@needs_solcjs
def test_solcjs_server_spawned_early_is_warm(tmp_path: Path) -> None:
    """start() spawns at once; while idle the driver warms up, so a late request is quick."""
    compiler = CompilerResolver(make_env(tmp_path)).find(["^0.8.0"])
    process = compiler.start()
    try:
        time.sleep(2.0)  # the caller doing its own work
        started = time.perf_counter()
        assert_counter(process.compile(standard_input({"Counter.sol": COUNTER}), timeout=60))
        assert time.perf_counter() - started < 0.25  # cold, the first compile alone takes ~0.2-0.4 s
    finally:
        process.close()


@needs_solcjs
def test_solcjs_server_timeout_and_death(tmp_path: Path) -> None:
    compiler = CompilerResolver(make_env(tmp_path)).find(["^0.8.0"])
    process = compiler.start()
    with pytest.raises(CompilerError, match="did not finish"):
        process.compile(standard_input({"Counter.sol": COUNTER}), timeout=0.01)
    assert process._proc.poll() is not None and process.closed
    process = compiler.start()
    process._proc.kill()
    with pytest.raises(CompilerError, match="exited with code"):
        process.compile(standard_input({"Counter.sol": COUNTER}), timeout=30)
    process.close()


@needs_solcjs
@pytest.mark.parametrize("version", OLD_VERSIONS)
def test_old_solcjs_versions(tmp_path: Path, version: str) -> None:
    resolver = CompilerResolver(make_env(tmp_path, ("0.8.28", *OLD_VERSIONS)))
    compiler = resolver.find([f"={version}"])
    assert compiler is not None and compiler.version == version and compiler.kind == "solcjs"
    with compiler.start() as process:
        assert_counter(process.compile(standard_input({"Counter.sol": COUNTER})))


# -- native compilers through real processes ------------------------------------
@needs_solcjs
def test_native_solc_on_path(tmp_path: Path) -> None:
    env = make_env(tmp_path)
    fake_solc(tmp_path / "bin", "0.8.28")
    resolver = CompilerResolver(env)
    found = resolver.installed()
    assert [(c.source, c.kind, c.version) for c in found] == [("path", "native", "0.8.28"),
                                                               ("cache", "solcjs", "0.8.28")]
    assert found[0].path == tmp_path / "bin" / "solc"
    chosen = resolver.find(["^0.8.0"])
    assert chosen == found[0]  # same version: the earlier source wins
    assert_counter(chosen.compile(standard_input({"Counter.sol": COUNTER}), timeout=60))
    with chosen.start() as process:
        assert_counter(process.compile(standard_input({"Counter.sol": COUNTER})))


@needs_solcjs
def test_precedence_explicit_env_path_cache(tmp_path: Path) -> None:
    env = make_env(tmp_path)
    explicit = fake_solc(tmp_path / "explicit", "0.8.26")
    env["SOLC"] = str(fake_solc(tmp_path / "envdir", "0.8.27"))
    fake_solc(tmp_path / "bin", "0.8.25")
    resolver = CompilerResolver(env, solc=str(explicit))
    assert [(c.source, c.version, c.kind) for c in resolver.installed()] == [
        ("config", "0.8.26", "native"), ("env", "0.8.27", "native"), ("path", "0.8.25", "native"),
        ("cache", "0.8.28", "solcjs")]
    chosen = resolver.find(["^0.8.0"])  # explicit: always, though 0.8.28 is newer
    assert (chosen.source, chosen.path) == ("config", explicit)
    assert_counter(chosen.compile(standard_input({"Counter.sol": COUNTER}), timeout=60))
    with pytest.raises(CompilerError, match="does not satisfy") as info:
        resolver.find(["^0.7.0"])
    assert "0.8.26" in str(info.value) and info.value.hint

    free = CompilerResolver(env)  # no explicit compiler: newest satisfying
    assert free.find(["^0.8.0"]).source == "cache"
    via_env = free.find(["<0.8.28"])
    assert (via_env.source, via_env.version) == ("env", "0.8.27")
    assert_counter(via_env.compile(standard_input({"Counter.sol": COUNTER}), timeout=60))
    assert free.find(["<0.8.27"]).source == "path"
    assert free.find(["^0.7.0"]) is None


@needs_solcjs
def test_explicit_compiler_forms_and_errors(tmp_path: Path) -> None:
    env = make_env(tmp_path)
    fake_solc(tmp_path / "bin", "0.8.24", name="solc-0.8.24")
    by_name = CompilerResolver(env, solc="solc-0.8.24").find(["^0.8.0"])
    assert (by_name.version, by_name.kind, by_name.source) == ("0.8.24", "native", "config")
    package = CompilerResolver(env, solc=str(SOLC_0828)).find(["^0.8.0"])
    assert (package.version, package.kind, package.source) == ("0.8.28", "solcjs", "config")
    missing = CompilerResolver(env, solc=str(tmp_path / "nope" / "solc"))
    with pytest.raises(CompilerNotFoundError) as info:
        missing.find(["^0.8.0"])
    assert isinstance(info.value, NotFoundError) and "configuration" in info.value.hint
    assert info.value.exit_status == ExitStatus.COMPILE
    not_solc = tmp_path / "not-solc"
    not_solc.write_text("#!/bin/sh\necho hello\n")
    not_solc.chmod(0o755)
    with pytest.raises(CompilerError, match="not a working solc"):
        CompilerResolver(env, solc=str(not_solc)).installed()


@needs_solcjs
def test_broken_env_solc_is_skipped_with_a_warning(tmp_path: Path) -> None:
    env = make_env(tmp_path)
    env["SOLC"] = str(tmp_path / "missing-solc")
    resolver = CompilerResolver(env)
    assert [c.source for c in resolver.installed()] == ["cache"]
    assert resolver.warnings and "SOLC" in resolver.warnings[0]


@needs_solcjs
def test_native_failures_quote_stderr(tmp_path: Path) -> None:
    env = make_env(tmp_path)
    crashing = fake_solc(tmp_path / "crash", "0.8.20", compile_script='echo "boom: internal error" >&2; exit 1')
    compiler = CompilerResolver(env, solc=str(crashing)).find(["^0.8.0"])
    with pytest.raises(CompilerError, match="boom: internal error"):
        compiler.compile(standard_input({"Counter.sol": COUNTER}))
    slow = fake_solc(tmp_path / "slow", "0.8.20", compile_script="exec sleep 10")
    compiler = CompilerResolver(env, solc=str(slow)).find(["^0.8.0"])
    started = time.monotonic()
    with pytest.raises(CompilerError, match="did not finish"):
        compiler.compile(standard_input({"Counter.sol": COUNTER}), timeout=0.5)
    assert time.monotonic() - started < 5


@needs_solcjs
def test_native_versions_are_cached(tmp_path: Path) -> None:
    env = make_env(tmp_path)
    log = tmp_path / "calls.log"
    fake_solc(tmp_path / "bin", "0.8.21", log=log)
    for _ in range(3):
        assert CompilerResolver(env).installed()[0].version == "0.8.21"
    assert log.read_text().count("version") == 1


# -- find / resolve / which ---------------------------------------------------
@needs_solcjs
def test_find_resolve_which(tmp_path: Path) -> None:
    resolver = CompilerResolver(make_env(tmp_path, ("0.8.28", *OLD_VERSIONS)))
    assert resolver.find(["^0.8.0", ">=0.8.4 <0.9.0"]).version == "0.8.28"
    assert resolver.find(["^0.5.0"]) is None
    assert resolver.resolve(["^0.8.0"]).version == "0.8.28"
    if OLD_VERSIONS:
        assert resolver.find([">=0.6.0 <0.8.0"]).version == OLD_VERSIONS[-1]
        assert resolver.find(["^0.6.0 || ^0.8.0"]).version == "0.8.28"
    for spec in ("0.8.x", "0.8", "^0.8.0", "0.8.28", "=0.8.28"):
        assert resolver.which(spec).version == "0.8.28", spec
    assert resolver.which("0.5.x") is None
    with pytest.raises(PragmaError):
        resolver.find(["latest"])


@needs_solcjs
def test_resolve_errors(tmp_path: Path) -> None:
    resolver = CompilerResolver(make_env(tmp_path))  # no npm on PATH: nothing refreshes or installs
    for specs in (["^0.9.0"], ["^0.8.0", "<0.8.0"]):
        with pytest.raises(CompilerNotFoundError, match="no released solc version satisfies"):
            resolver.resolve(specs)
    with pytest.raises(CompilerNotFoundError) as info:
        resolver.resolve(["0.8.20"], install=False)
    assert "0.8.20" in str(info.value) and "smartdev compilers install 0.8.20" in info.value.hint


# -- released versions --------------------------------------------------------
def _bundled() -> list[str]:
    from smartdev.compile.compilers import BUNDLED_VERSIONS

    return [v for v in BUNDLED_VERSIONS.read_text().split() if not v.startswith("#") and v[0].isdigit()]


def fake_npm(directory: Path, body: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    script = directory / "npm"
    script.write_text("#!/bin/sh\n" + body + "\n")
    script.chmod(0o755)
    return script


def test_known_versions_offline(tmp_path: Path) -> None:
    env = make_env(tmp_path, ())
    versions = CompilerResolver(env).known_versions()
    assert versions == sorted(_bundled(), key=version_sort_key, reverse=True)
    assert "0.8.28" in versions and "0.4.26" in versions
    assert all("-" not in v and "nightly" not in v for v in versions)


def test_known_versions_with_failing_npm(tmp_path: Path) -> None:
    env = make_env(tmp_path, ())
    log = tmp_path / "npm.log"
    fake_npm(tmp_path / "bin", f'echo "$@" >> "{log}"\necho "npm ERR! network" >&2\nexit 1')
    resolver = CompilerResolver(env)
    bundled = sorted(_bundled(), key=version_sort_key, reverse=True)
    assert resolver.known_versions(refresh=True) == bundled  # npm failed: no error
    assert log.read_text().count("view solc versions") == 1
    assert resolver.known_versions() == bundled  # refresh=None: the failed attempt counts, not due
    assert log.read_text().count("view solc versions") == 1
    assert json.loads((tmp_path / "cache" / "solc-versions.json").read_text())["checked"] > 0


def test_offline_means_no_refresh(tmp_path: Path) -> None:
    env = make_env(tmp_path, ())
    env["SMARTDEV_OFFLINE"] = "1"
    log = tmp_path / "npm.log"
    fake_npm(tmp_path / "bin", f'echo "$@" >> "{log}"\necho \'["0.8.99"]\'')
    resolver = CompilerResolver(env)
    assert resolver.offline
    assert "0.8.99" not in resolver.known_versions(refresh=True)
    assert "0.8.99" not in resolver.known_versions()
    assert not log.exists()


def test_known_versions_refresh(tmp_path: Path) -> None:
    env = make_env(tmp_path, ())
    listing = json.dumps(["0.8.27", "0.8.28", "0.8.99", "0.8.23-fixed", "0.9.0-nightly.2025.1.1"])
    fake_npm(tmp_path / "bin", f"echo '{listing}'")
    versions = CompilerResolver(env).known_versions(refresh=True)
    assert versions[0] == "0.8.99" and "0.8.23-fixed" not in versions
    assert not any("nightly" in v for v in versions)
    (tmp_path / "bin" / "npm").unlink()
    assert CompilerResolver(env).known_versions()[0] == "0.8.99"  # from the cache, offline


def test_known_versions_refresh_in_background(tmp_path: Path) -> None:
    env = make_env(tmp_path, ())
    fake_npm(tmp_path / "bin", """echo '["0.8.98", "0.8.28"]'""")
    started = time.perf_counter()
    assert "0.8.98" not in CompilerResolver(env).known_versions()  # due: refreshes detached
    assert time.perf_counter() - started < 0.5
    cache_file = tmp_path / "cache" / "solc-versions.json"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and "0.8.98" not in json.loads(cache_file.read_text()).get("versions", []):
        time.sleep(0.1)
    assert CompilerResolver(env).known_versions(refresh=False)[0] == "0.8.98"


# -- installing ----------------------------------------------------------------
@pytest.fixture(scope="module")
def solc_tarball(tmp_path_factory) -> Path:
    """An npm tarball of the cached solc-js 0.8.28 with its dependencies bundled, so
    `npm install <tarball>` works offline."""
    if SOLC_0828 is None:
        pytest.skip("needs solc-js 0.8.28 in the cache")
    modules = SOLC_0828.parent
    meta = json.loads((SOLC_0828 / "package.json").read_text())
    meta["bundleDependencies"] = sorted(meta.get("dependencies", {}))
    meta.pop("scripts", None)
    out = tmp_path_factory.mktemp("tarball") / "solc-0.8.28.tgz"
    with tarfile.open(out, "w:gz", compresslevel=1) as tar:
        for path in sorted(SOLC_0828.rglob("*")):
            if path.is_dir() or path.name in ("soljson.wasm", "soljson-fast.js", "package.json") \
                    or path.name.endswith(".tmp") or "node_modules" in path.relative_to(SOLC_0828).parts:
                continue
            tar.add(path, arcname=f"package/{path.relative_to(SOLC_0828).as_posix()}")
        data = json.dumps(meta).encode()
        info = tarfile.TarInfo("package/package.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
        for dep in modules.iterdir():
            if dep.name != "solc" and not dep.name.startswith("."):
                tar.add(dep, arcname=f"package/node_modules/{dep.name}")
    return out


def install_env(tmp_path: Path, package: Path) -> dict[str, str]:
    env = make_env(tmp_path, ())
    env["PATH"] += os.pathsep + str(Path(NPM).parent)
    not_a_dir = tmp_path / "solcx-store-is-a-file"
    not_a_dir.write_text("")
    env.update({
        "SOLCX_BINARY_PATH": str(not_a_dir),  # py-solc-x fails (before any download)
        "SMARTDEV_SOLCJS_PACKAGE": str(package),
        "npm_config_offline": "true",  # never the network, even by mistake
        "npm_config_cache": str(tmp_path / "npm-cache"),
        "npm_config_update_notifier": "false",
    })
    return env


needs_npm = pytest.mark.skipif(NPM is None or NODE is None, reason="needs node and npm")


@needs_npm
@needs_solcjs
def test_install_falls_back_to_npm(tmp_path: Path, solc_tarball: Path) -> None:
    env = install_env(tmp_path, solc_tarball.parent / "solc-{version}.tgz")
    resolver = CompilerResolver(env)
    compiler = resolver.install("0.8.28")
    root = tmp_path / "cache" / "solcjs"
    assert compiler == Compiler("0.8.28", "solcjs", root / "0.8.28" / "node_modules" / "solc", "cache")
    assert [p.name for p in root.iterdir()] == ["0.8.28"]  # no temp dir left
    assert (compiler.path / "soljson-fast.js").exists() and (compiler.path / "soljson.wasm").exists()
    assert_counter(compiler.compile(standard_input({"Counter.sol": COUNTER}), timeout=60))
    assert [c for c in resolver.installed() if c.source == "cache"] == [compiler]
    assert resolver.install("0.8.28") == compiler  # already there: no npm


@needs_npm
@needs_solcjs
def test_failed_installs_leave_nothing_behind(tmp_path: Path, solc_tarball: Path) -> None:
    bad = tmp_path / "bad" / "solc-0.8.28.tgz"
    bad.parent.mkdir()
    bad.write_bytes(b"this is not a tarball")
    env = install_env(tmp_path, bad)
    root = tmp_path / "cache" / "solcjs"
    with pytest.raises(CompilerError) as info:
        CompilerResolver(env).install("0.8.28")
    assert "py-solc-x" in str(info.value) and "npm" in str(info.value)
    assert list(root.iterdir()) == []

    env["SMARTDEV_SOLCJS_PACKAGE"] = str(solc_tarball)  # a package of another version
    with pytest.raises(CompilerError, match="installed solc-js 0.8.28, not 0.8.27"):
        CompilerResolver(env).install("0.8.27")
    assert list(root.iterdir()) == []


@pytest.mark.skipif(NODE is None, reason="needs node")
def test_install_without_npm_says_what_to_install(tmp_path: Path) -> None:
    env = make_env(tmp_path, ())
    env["SMARTDEV_SOLC_INSTALLER"] = "npm"
    with pytest.raises(CompilerError, match="needs npm") as info:
        CompilerResolver(env).install("0.8.27")
    assert "Node.js" in info.value.hint
    with pytest.raises(CompilerError, match="exact"):
        CompilerResolver(env).install("0.8")
