"""Compiled contract artifacts in the build folder (``build/contracts/**/<Name>.json``)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from smartdev.errors import NotFoundError, UsageError

_UNLINKED = re.compile(r"__\$[0-9a-fA-F]{34}\$__|__[A-Za-z0-9_./:]{36}__")


@dataclass
class Artifact:
    name: str
    source_name: str | None
    abi: list[dict[str, Any]]
    bytecode: str
    deployed_bytecode: str
    path: Path

    @property
    def qualified_name(self) -> str:
        return f"{self.source_name}:{self.name}" if self.source_name else self.name

    def deploy_code(self) -> str:
        """The creation bytecode, refusing code that still needs libraries linked."""
        code = self.bytecode if self.bytecode.startswith("0x") else "0x" + self.bytecode
        if code in ("0x", ""):
            raise UsageError(
                f"{self.name} has no creation bytecode (an interface or abstract contract?)",
                hint="Deploy a concrete contract.",
            )
        if _UNLINKED.search(code):
            raise UsageError(
                f"{self.name} uses libraries that are not linked yet",
                hint="Deploy the libraries and link them (library linking arrives with `smartdev compile`).",
            )
        return code


def contracts_dir(build_dir: Path) -> Path:
    return build_dir / "contracts"


def read_artifact(path: Path) -> Artifact:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot read artifact {path}: {exc}", hint="Recompile the contracts.") from None
    if not isinstance(data, dict) or not isinstance(data.get("abi"), list):
        raise UsageError(f"{path} is not a contract artifact (no 'abi' list)", hint="Recompile the contracts.")
    return Artifact(
        name=str(data.get("contractName") or path.stem),
        source_name=data.get("sourceName"),
        abi=data["abi"],
        bytecode=str(data.get("bytecode") or "0x"),
        deployed_bytecode=str(data.get("deployedBytecode") or "0x"),
        path=path,
    )


def list_artifacts(build_dir: Path) -> list[Path]:
    root = contracts_dir(build_dir)
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*.json") if not p.name.startswith("."))


def load_artifact(build_dir: Path, name: str) -> Artifact:
    """``Token`` or ``contracts/Token.sol:Token``; ambiguous names must be qualified."""
    source, _, contract = name.rpartition(":")
    paths = [p for p in list_artifacts(build_dir) if p.stem == contract]
    if not paths:
        available = sorted({p.stem for p in list_artifacts(build_dir)})
        if available:
            import difflib

            close = difflib.get_close_matches(contract, available, n=1)
            hint = (f"Did you mean '{close[0]}'? " if close else "") + f"Compiled: {', '.join(available)}."
        else:
            hint = f"Nothing is compiled in {contracts_dir(build_dir)}; compile the contracts first."
        raise NotFoundError(f"no artifact for contract '{contract}' in {contracts_dir(build_dir)}", hint=hint)
    artifacts = [read_artifact(p) for p in paths]
    if source:
        artifacts = [a for a in artifacts if a.source_name == source]
        if not artifacts:
            raise NotFoundError(f"no contract '{contract}' compiled from {source}")
    if len(artifacts) > 1:
        names = ", ".join(a.qualified_name for a in artifacts)
        raise UsageError(f"'{contract}' is ambiguous: {names}", hint="Name it with its source, e.g. 'path/File.sol:Name'.")
    return artifacts[0]
