"""`smartdev compile --watch`: rebuild on every save with compilers kept warm.

solc-js costs ~0.6 s to load; a watch session loads each compiler version
once and reuses the process, so a rebuild costs only the compile itself.
Errors are shown and watching goes on; Ctrl-C ends it.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from smartdev.errors import SmartdevError

if TYPE_CHECKING:  # pragma: no cover
    from smartdev.compile.build import BuildResult, Job
    from smartdev.compile.compilers import CompilerProcess
    from smartdev.context import Environment

WATCHED_NAMES = {"remappings.txt", "smartdev.toml", "pyproject.toml"}


class WarmCompilers:
    """One live compiler process per compiler (and per parallel job slot)."""

    def __init__(self) -> None:
        self._idle: dict[tuple[str, str], list[CompilerProcess]] = {}
        self._lock = threading.Lock()

    def run(self, job: Job, standard_input: dict[str, Any]) -> dict[str, Any]:
        key = (str(job.compiler.path), job.compiler.version)
        with self._lock:
            idle = self._idle.setdefault(key, [])
            process = idle.pop() if idle else None
        if process is None:
            process = job.compiler.start()
        try:
            output = process.compile(standard_input)
        except BaseException:
            process.close()  # a broken process is not reused
            raise
        with self._lock:
            self._idle[key].append(process)
        return output

    def close(self) -> None:
        with self._lock:
            for processes in self._idle.values():
                for process in processes:
                    process.close()
            self._idle.clear()


def watch_and_build(
    env: Environment,
    *,
    files: list[Path] | None,
    overrides: dict[str, Any],
    report: Callable[[BuildResult], None],
    stop: threading.Event | None = None,
) -> None:
    """Build, then rebuild whenever a Solidity source or the config changes."""
    from watchfiles import DefaultFilter, watch

    from smartdev.compile.build import BuildFailed, build

    config = env.config
    build_dir = config.path("build").resolve()
    warm = WarmCompilers()

    class SolidityFilter(DefaultFilter):
        def __call__(self, change: Any, path: str) -> bool:
            p = Path(path)
            if build_dir in p.parents or ".smartdev" in p.parts:
                return False
            return (p.suffix == ".sol" or p.name in WATCHED_NAMES) and super().__call__(change, path)

    def once() -> None:
        try:
            report(build(env, files=files, overrides=overrides, runner=warm.run, progress=env.output.info))
        except BuildFailed as failed:
            report(failed.result)
            env.output.error(failed.one_line())
        except SmartdevError as exc:
            env.output.error(exc.one_line())

    roots = sorted({str(config.root), *(str(f.parent) for f in files or [])})
    try:
        once()
        env.output.info(f"watching {', '.join(roots)} for changes (Ctrl-C to stop)")
        for _changes in watch(*roots, watch_filter=SolidityFilter(), stop_event=stop,
                              debounce=100, step=50, raise_interrupt=False):
            env._config = None  # the config may have changed
            once()
    finally:
        warm.close()
