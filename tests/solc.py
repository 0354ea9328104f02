"""Compile Solidity with solc-js for the tests (until ``smartdev compile`` exists).

solc-js is installed by ``make solcjs`` into
``$SMARTDEV_CACHE_DIR/solcjs/<version>/node_modules/solc`` (the cache dir
defaults to ``~/.cache/smartdev``). Compilation runs ``node`` on a tiny inline
script that feeds standard-JSON input on stdin to ``solc.compile``; results are
memoised per source set, so tests may compile the same sources repeatedly.

Run as a script, ``python tests/solc.py SRC_DIR BUILD_DIR`` compiles every
``.sol`` file under SRC_DIR into ``BUILD_DIR/contracts/<Name>.json``.
"""

from __future__ import annotations

import copy
import functools
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

SOLC_VERSION = "0.8.28"

_NODE_SCRIPT = (
    "const solc = require(process.argv[1]);"
    "let input = '';"
    "process.stdin.setEncoding('utf8');"
    "process.stdin.on('data', (chunk) => { input += chunk; });"
    "process.stdin.on('end', () => { process.stdout.write(solc.compile(input)); });"
)

_OUTPUTS = [
    "abi",
    "evm.bytecode.object",
    "evm.bytecode.linkReferences",
    "evm.deployedBytecode.object",
    "evm.deployedBytecode.linkReferences",
]


def solcjs_dir() -> Path:
    """The installed solc-js package directory; RuntimeError if it is missing."""
    cache = Path(os.environ.get("SMARTDEV_CACHE_DIR") or Path.home() / ".cache" / "smartdev")
    path = cache / "solcjs" / SOLC_VERSION / "node_modules" / "solc"
    if not (path / "package.json").is_file():
        raise RuntimeError(f"solc-js {SOLC_VERSION} is not installed at {path}: run `make solcjs`")
    return path


def compile_sources(sources: dict[str, str]) -> dict[str, dict]:
    """Compile ``{sourceName: text}`` and return ``{contractName: artifact}``.

    Compile errors raise RuntimeError carrying solc's formatted messages.
    """
    key = json.dumps(sources, sort_keys=True)
    return copy.deepcopy(_compile_cached(key))


@functools.cache
def _compile_cached(key: str) -> dict[str, dict]:
    """Compile the JSON-encoded source set ``key`` once per process."""
    sources: dict[str, str] = json.loads(key)
    output = _run_solcjs(_standard_json_input(sources))
    errors = [e for e in output.get("errors", []) if e.get("severity") == "error"]
    if errors:
        raise RuntimeError("solc failed:\n" + "\n".join(e["formattedMessage"] for e in errors))
    return _artifacts(output)


def _standard_json_input(sources: dict[str, str]) -> dict:
    """The solc standard-JSON input for ``sources``."""
    return {
        "language": "Solidity",
        "sources": {name: {"content": text} for name, text in sources.items()},
        "settings": {
            "optimizer": {"enabled": False, "runs": 200},
            "outputSelection": {"*": {"*": _OUTPUTS}},
        },
    }


def _run_solcjs(standard_input: dict) -> dict:
    """Run solc-js under node on ``standard_input``; return its parsed JSON output."""
    proc = subprocess.run(
        ["node", "-e", _NODE_SCRIPT, str(solcjs_dir())],
        input=json.dumps(standard_input),
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"solc-js exited with {proc.returncode}: {proc.stderr.strip()}")
    return json.loads(proc.stdout)


def _artifacts(output: dict) -> dict[str, dict]:
    """Turn solc's standard-JSON output into smartdev artifacts keyed by contract name."""
    artifacts: dict[str, dict] = {}
    for source_name, contracts in output.get("contracts", {}).items():
        for name, contract in contracts.items():
            evm = contract["evm"]
            artifacts[name] = {
                "contractName": name,
                "sourceName": source_name,
                "abi": contract["abi"],
                "bytecode": "0x" + evm["bytecode"]["object"],
                "deployedBytecode": "0x" + evm["deployedBytecode"]["object"],
                "linkReferences": evm["bytecode"]["linkReferences"],
                "deployedLinkReferences": evm["deployedBytecode"]["linkReferences"],
                "compiler": {"name": "solc", "version": SOLC_VERSION},
            }
    return artifacts


def write_artifacts(artifacts: dict[str, dict], build_dir: Path) -> None:
    """Write each artifact atomically to ``build_dir/contracts/<Name>.json``."""
    out_dir = Path(build_dir) / "contracts"
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, artifact in artifacts.items():
        _write_atomic(out_dir / f"{name}.json", json.dumps(artifact, indent=2) + "\n")


def _write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` via a temporary file in the same directory."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def main(argv: list[str] | None = None) -> int:
    """``python tests/solc.py SRC_DIR BUILD_DIR``: compile every .sol under SRC_DIR."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python tests/solc.py SRC_DIR BUILD_DIR", file=sys.stderr)
        return 2
    src_dir, build_dir = Path(args[0]), Path(args[1])
    sources = {
        path.relative_to(src_dir).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(src_dir.rglob("*.sol"))
    }
    if not sources:
        print(f"error: no .sol files under {src_dir}", file=sys.stderr)
        return 1
    try:
        artifacts = compile_sources(sources)
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    write_artifacts(artifacts, build_dir)
    print(f"compiled {len(artifacts)} contract(s) into {build_dir / 'contracts'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
