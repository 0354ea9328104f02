"""Every library entry is compiled by the harness build, and every category has tests."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from smartdev.resources import contract_library_dir

MANIFEST = json.loads((contract_library_dir() / "manifest.json").read_text())
TESTS = Path(__file__).resolve().parent


@pytest.mark.skipif(bool(os.environ.get("SMARTDEV_LIB_HARNESS")), reason="only part of the harness is compiled")
def test_every_library_contract_is_compiled_by_the_harness(lib_build: Path) -> None:
    built = {p.stem for p in lib_build.rglob("*.json")}
    missing = [f"{e['path']}:{name}" for e in MANIFEST["entries"] for name in e["contracts"] if name not in built]
    assert missing == [], "not imported by any harness under tests/library/harness: " + ", ".join(missing)


def test_every_category_has_tests() -> None:
    categories = {e["category"] for e in MANIFEST["entries"]}
    assert len(categories) == 8
    for category in categories:
        assert list(TESTS.glob(f"test_{category}_*.py")), f"no tests/library/test_{category}_*.py"
        assert list((TESTS / "harness" / category).glob("*.sol")), f"no harness for {category}"


@pytest.mark.skipif(bool(os.environ.get("SMARTDEV_LIB_HARNESS")), reason="only part of the harness is compiled")
def test_keys_registry_artifact_is_the_library_contract(lib_build: Path) -> None:
    """`smartdev keys` ships RecoverableAccount's ABI and bytecode; they must be today's library."""
    from smartdev.keys.rotate import registry_artifact

    built = json.loads(next(lib_build.rglob("RecoverableAccount.json")).read_text())
    shipped = registry_artifact()
    assert shipped["abi"] == built["abi"], "regenerate smartdev/keys/RecoverableAccount.json (see its test)"
    assert shipped["bytecode"] == built["bytecode"], (
        "smartdev/keys/RecoverableAccount.json is stale: compile @smartdev/governance/RecoverableAccount.sol "
        "(no optimizer) and copy contractName, sourceName, compiler, abi and bytecode from the artifact")
