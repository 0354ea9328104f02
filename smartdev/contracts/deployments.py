"""Where contracts were deployed, per network: ``build/deployments/<network>.json``.

Later commands name contracts (``Token``) instead of addresses. Each file is
tied to a chain id: if the network now answers with another chain (a reset
dev chain, a misconfigured URL), the old records are not trusted.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from smartdev.errors import NotFoundError, UsageError
from smartdev.files import atomic_write_json


def _file_name(network: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", network).strip("_") + ".json"


@dataclass
class Deployments:
    """The deployment records of one network. Ephemeral networks keep them in memory."""

    network: str
    chain_id: int
    path: Path | None  # None: not persisted (embedded or ephemeral anvil)
    contracts: dict[str, dict[str, Any]] = field(default_factory=dict)
    stale: dict[str, dict[str, Any]] = field(default_factory=dict)  # records of another chain id

    @classmethod
    def load(cls, build_dir: Path, network: str, chain_id: int, *, persistent: bool) -> Deployments:
        if not persistent:
            return cls(network, chain_id, None)
        path = build_dir / "deployments" / _file_name(network)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls(network, chain_id, path)
        except (OSError, ValueError) as exc:
            raise UsageError(f"cannot read deployments file {path}: {exc}",
                             hint="Fix or remove the file; it is rewritten on the next deploy.") from None
        records = data.get("contracts", {}) if isinstance(data, dict) else {}
        if data.get("chainId") != chain_id:
            return cls(network, chain_id, path, stale=records)
        return cls(network, chain_id, path, contracts=records)

    def record(self, name: str, entry: dict[str, Any]) -> None:
        previous = self.contracts.get(name)
        if previous is not None:
            history = previous.pop("history", [])
            entry["history"] = [previous, *history][:20]
        self.contracts[name] = entry
        if self.path is not None:
            atomic_write_json(self.path, {"network": self.network, "chainId": self.chain_id,
                                          "contracts": self.contracts})

    def address_of(self, name: str) -> str:
        entry = self.contracts.get(name)
        if entry is not None:
            return entry["address"]
        if name in self.stale:
            raise NotFoundError(
                f"{name} was deployed on network '{self.network}' when it was another chain "
                f"(now chain {self.chain_id}: reset or replaced)",
                hint=f"Deploy it again with `smartdev deploy {name} --network {self.network}`, or pass --at ADDRESS.",
            )
        known = ", ".join(sorted(self.contracts)) or "none"
        raise NotFoundError(
            f"no deployment of {name} on network '{self.network}' (deployed there: {known})",
            hint=f"Deploy it with `smartdev deploy {name} --network {self.network}`, or pass --at ADDRESS.",
        )
