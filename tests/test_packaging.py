"""The wheel carries templates/ and contract_library/, and an installed smartdev finds them."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from smartdev.resources import contract_library_dir, templates_dir

REPO = Path(__file__).resolve().parents[1]


def test_resources_found_in_checkout() -> None:
    assert (templates_dir() / "README.md").is_file()
    assert (contract_library_dir() / "README.md").is_file()


def test_wheel_ships_data_and_entry_points(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path), str(REPO)],
        check=True, capture_output=True, timeout=300,
    )
    wheel = next(tmp_path.glob("smartdev-*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        entry_points = next(zf.read(n).decode() for n in names if n.endswith("entry_points.txt"))
    assert "smartdev/_data/templates/README.md" in names
    assert "smartdev/_data/contract_library/README.md" in names
    assert "smartdev/cli.py" in names
    assert "[smartdev.plugins]" in entry_points
    for command in ("chain", "deploy", "call", "send", "networks", "plugins"):
        assert f"{command} = smartdev." in entry_points
    assert "smartdev = smartdev.cli:main" in entry_points

    # Unpacked as an installed package (not editable), resources resolve to _data.
    target = tmp_path / "installed"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(target)
    probe = ("from smartdev.resources import templates_dir, contract_library_dir; "
             "print(templates_dir()); print(contract_library_dir())")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"}, cwd=tmp_path)
    lines = out.stdout.split()
    assert lines == [str(target / "smartdev/_data/templates"), str(target / "smartdev/_data/contract_library")]
