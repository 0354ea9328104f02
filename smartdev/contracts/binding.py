"""Runtime for the typed bindings ``smartdev compile`` generates (``build/bindings``).

A binding class names its artifact; its methods pass ABI-typed Python values
to the same deploy/call/send code the commands use.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import TYPE_CHECKING, Any

from smartdev.contracts import abi as abi_mod
from smartdev.contracts.artifacts import Artifact, read_artifact
from smartdev.contracts.ops import Target, TxResult, call_function, deploy_artifact, deployments_for, send_function

if TYPE_CHECKING:  # pragma: no cover
    from smartdev.accounts import Signer
    from smartdev.context import Environment
    from smartdev.network import Connection

__all__ = ["ContractBinding", "TxResult"]


class ContractBinding:
    """A deployed contract, seen through its generated, typed binding class."""

    ARTIFACT: str = ""  # path of the artifact relative to build/contracts

    def __init__(self, conn: Connection, address: str, env: Environment | None = None) -> None:
        self.conn = conn
        self.env = env or _default_env()
        self.address = address
        self._target = Target(self.artifact(), address)

    @classmethod
    def artifact(cls) -> Artifact:
        module_file = Path(inspect.getfile(cls))
        return read_artifact(module_file.parent.parent / "contracts" / cls.ARTIFACT)

    @classmethod
    def at(cls, conn: Connection, address: str, *, env: Environment | None = None):
        from eth_utils import to_checksum_address

        return cls(conn, to_checksum_address(address), env)

    @classmethod
    def deployed(cls, conn: Connection, *, env: Environment | None = None):
        """The instance recorded for this network by the last deploy."""
        env = env or _default_env()
        address = deployments_for(env, conn).address_of(cls.artifact().name)
        return cls(conn, address, env)

    @classmethod
    def _deploy(cls, conn: Connection, values: list[Any], *, signer: Signer | None, value_wei: int,
                gas_limit: int | None, env: Environment | None):
        env = env or _default_env()
        signer = _signer(env, conn, signer)
        result = deploy_artifact(env, conn, cls.artifact(), values, signer=signer, value=value_wei, gas=gas_limit)
        instance = cls(conn, result.contract_address, env)
        instance.deploy_result = result
        return instance

    def _function(self, signature: str) -> dict:
        return abi_mod.find_function(self._target.artifact.abi, signature, contract=self._target.artifact.name)

    def _call(self, signature: str, values: list[Any], *, block: str | int) -> Any:
        return call_function(self.conn, self._target, self._function(signature), values, block=block)

    def _send(self, signature: str, values: list[Any], *, signer: Signer | None, value_wei: int,
              gas_limit: int | None) -> TxResult:
        signer = _signer(self.env, self.conn, signer)
        return send_function(self.conn, self._target, self._function(signature), values,
                             signer=signer, value=value_wei, gas=gas_limit)


def _default_env() -> Environment:
    from smartdev.context import Environment

    return Environment()


def _signer(env: Environment, conn: Connection, signer: Any) -> Signer:
    """A Signer, or a name/path resolved like --from (None: the network's default)."""
    from smartdev.accounts import Signer, resolve_signer

    if isinstance(signer, Signer):
        return signer
    return resolve_signer(env, conn.network, signer)
