"""The work, apart from the command line: code sizes of the compiled contracts."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import Field

from smartdev.config import Section
from smartdev.contracts.artifacts import list_artifacts, read_artifact
from smartdev.errors import NotFoundError

RUNTIME_LIMIT = 24_576  # EIP-170: deployed code
INITCODE_LIMIT = 49_152  # EIP-3860: creation code


class SizesConfig(Section):
    """`[{{ cookiecutter.command }}]` in smartdev.toml."""

    warn_at: float = Field(0.8, gt=0, le=1)


@dataclass
class Size:
    contract: str
    runtime: int  # bytes of deployed code
    initcode: int  # bytes of creation code

    def share(self) -> float:
        return max(self.runtime / RUNTIME_LIMIT, self.initcode / INITCODE_LIMIT)

    def status(self, warn_at: float) -> str:
        if self.runtime > RUNTIME_LIMIT or self.initcode > INITCODE_LIMIT:
            return "too big"
        return "near the limit" if self.share() >= warn_at else "ok"


def _bytes(hex_code: str) -> int:
    return len(hex_code.removeprefix("0x")) // 2


def sizes(build_dir: Path) -> list[Size]:
    """Sizes of every compiled contract with code (interfaces and abstract contracts have none)."""
    paths = list_artifacts(build_dir) if build_dir.is_dir() else []
    if not paths:
        raise NotFoundError(f"no compiled contracts in {build_dir}", hint="Run `smartdev compile` first.")
    found = []
    for path in paths:
        artifact = read_artifact(path)
        if artifact.bytecode in ("", "0x"):
            continue
        found.append(Size(artifact.name, _bytes(artifact.deployed_bytecode), _bytes(artifact.bytecode)))
    return sorted(found, key=lambda s: s.share(), reverse=True)
