"""Start-up cost of the smartdev command.

Prints the wall time (min / median / max over N runs) of `smartdev --help` and
of `python -c "import smartdev.cli"`, with `python -c pass` as the floor, and
which heavy modules `smartdev --help` imported (there should be none).
Target: `smartdev --help` median <= 0.15 s on the 2-core development machine.

    python benchmarks/startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HEAVY = ("web3", "eth_account", "eth_tester", "eth", "solcx", "sqlalchemy", "cryptography",
         "pydantic", "requests", "aiohttp", "eth_abi", "jinja2", "cookiecutter")
TARGET_HELP_S = 0.15


# What a user's shell has: bytecode caching on (some CI images turn it off,
# which makes every Python import compile from source).
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def time_command(cmd: list[str], runs: int) -> list[float]:
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=CHILD_ENV)  # warm up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=CHILD_ENV)
        times.append(time.perf_counter() - start)
    return times


def heavy_modules_imported() -> list[str]:
    probe = ("import sys, io, contextlib\nfrom smartdev.cli import main\n"
             "with contextlib.redirect_stdout(io.StringIO()): main(['--help'])\n"
             "import json; print(json.dumps(sorted(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    modules = json.loads(out.strip().splitlines()[-1])
    return sorted({m.split(".")[0] for m in modules if m.split(".")[0] in HEAVY})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    exe = shutil.which("smartdev", path=str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""))
    if exe is None:
        print("smartdev is not installed in this environment (make install)", file=sys.stderr)
        return 2
    rows = [
        ("python -c pass (floor)", [sys.executable, "-c", "pass"]),
        ("python -c 'import smartdev.cli'", [sys.executable, "-c", "import smartdev.cli"]),
        ("smartdev --help", [exe, "--help"]),
        ("python -c 'import web3' (for scale)", [sys.executable, "-c", "import web3"]),
    ]
    print(f"{'command':<40} {'min':>7} {'median':>7} {'max':>7}   ({args.runs} runs)")
    medians = {}
    for label, cmd in rows:
        runs = args.runs if "web3" not in label else max(3, args.runs // 5)
        times = time_command(cmd, runs)
        medians[label] = statistics.median(times)
        print(f"{label:<40} {min(times):7.3f} {medians[label]:7.3f} {max(times):7.3f}")
    heavy = heavy_modules_imported()
    print(f"heavy modules imported by `smartdev --help`: {', '.join(heavy) if heavy else 'none'}")
    help_median = medians["smartdev --help"]
    floor = medians["python -c pass (floor)"]
    web3_median = medians["python -c 'import web3' (for scale)"]
    verdict = "meets" if help_median <= TARGET_HELP_S else "MISSES"
    print(f"smartdev --help: median {help_median:.3f} s {verdict} the {TARGET_HELP_S:.2f} s target; "
          f"{help_median - floor:.3f} s above bare python; importing web3 alone takes "
          f"{web3_median / help_median:.1f}x as long")
    return 0 if help_median <= TARGET_HELP_S and not heavy else 1


if __name__ == "__main__":
    raise SystemExit(main())
