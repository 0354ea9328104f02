"""The ``smartdev`` command: a root group whose subcommands are plugins.

Start-up is kept small: this module imports typer's command-line machinery
and smartdev's core, nothing else. Subcommands are loaded from the plugin
registry only when invoked; ``--help`` lists them from the registry's index.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Optional, Sequence

import typer
from typer import _click
from typer.core import TyperCommand, TyperGroup

import smartdev
from smartdev.context import Environment
from smartdev.errors import ExitStatus, SmartdevError
from smartdev.registry import get_registry

HELP = """One command-line toolchain for building on EVM blockchains.

Every command below is a plugin; third-party packages add theirs through the
`smartdev.plugins` entry-point group. Run `smartdev COMMAND --help` for details."""

EPILOG = "Docs: README.md (configuration, exit codes, writing a plugin)."


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"smartdev {smartdev.__version__} (Python {sys.version.split()[0]})")
        raise typer.Exit()


class RootGroup(TyperGroup):
    """A group whose commands come from the plugin registry, loaded on demand."""

    _help_mode = False

    def list_commands(self, ctx: _click.Context) -> list[str]:
        return get_registry().names()

    def get_command(self, ctx: _click.Context, cmd_name: str) -> _click.Command | None:
        registry = get_registry()
        if cmd_name not in registry.plugins:
            return None
        if self._help_mode:
            return self._stub(cmd_name)
        return registry.load(cmd_name)

    def _stub(self, name: str) -> _click.Command | None:
        """A stand-in carrying the plugin's one-line help, for listing without importing."""
        info = get_registry().describe(name)
        if info.error:
            return None
        return TyperCommand(
            name,
            help=info.help or "",
            short_help=info.help or "",
            rich_help_panel="Commands" if info.builtin else "Plugins",
        )

    def format_commands(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        """Built-in commands, then third-party plugins, each with its one-line help."""
        sections: dict[str, list[tuple[str, str]]] = {"Commands": [], "Plugins": []}
        for name in self.list_commands(ctx):
            stub = self.get_command(ctx, name)
            if stub is not None:
                panel = getattr(stub, "rich_help_panel", None) or "Commands"
                sections.setdefault(panel, []).append((name, stub.get_short_help_str(limit=200)))
        for title, rows in sections.items():
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)

    def format_help(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        registry = get_registry()
        self._help_mode = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._help_mode = False
            registry.save()
        env = ctx.find_root().obj
        output = env.output if isinstance(env, Environment) else None
        notes = list(registry.duplicates)
        notes += [
            f"{info.error} (command '{info.name}' skipped)"
            for info in registry.plugins.values()
            if info.error
        ]
        for note in notes:
            if output is not None:
                output.warn(note)
            else:  # pragma: no cover
                print(f"warning: {note}", file=sys.stderr)

    def resolve_command(
        self, ctx: _click.Context, args: list[str]
    ) -> tuple[str | None, _click.Command | None, list[str]]:
        name = args[0] if args else ""
        if args and not name.startswith("-") and name not in get_registry().plugins:
            import difflib

            known = self.list_commands(ctx)
            close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
            message = f"No such command '{name}'."
            if close:
                message += " Did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
            else:
                message += " Run 'smartdev --help' to see the commands."
            raise _click.exceptions.UsageError(message, ctx)
        return super().resolve_command(ctx, args)


def build_root() -> RootGroup:
    """The root command: global options, and the plugin commands."""
    app = typer.Typer(
        cls=RootGroup,
        name="smartdev",
        help=HELP,
        epilog=EPILOG,
        no_args_is_help=True,
        add_completion=False,
        # Plain help for the root: typer's rich help imports markdown-it and
        # friends (~0.1 s), too much for `smartdev --help`. Subcommands keep rich help.
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )

    @app.callback()
    def root(
        ctx: typer.Context,
        config: Annotated[
            Optional[Path],
            typer.Option(
                "--config",
                "-c",
                envvar="SMARTDEV_CONFIG",
                dir_okay=False,
                help="Project config file (default: the nearest smartdev.toml, "
                "or pyproject.toml with [tool.smartdev]).",
            ),
        ] = None,
        debug: Annotated[
            bool,
            typer.Option(
                "--debug",
                help="Show tracebacks for errors (accepted anywhere on the line; or SMARTDEV_DEBUG=1).",
            ),
        ] = False,
        version: Annotated[
            bool,
            typer.Option(
                "--version", is_eager=True, callback=_print_version, help="Show the version and exit."
            ),
        ] = False,
    ) -> None:
        env = ctx.find_root().obj
        if isinstance(env, Environment):
            env.debug = env.debug or debug
            if config is not None:
                env.config_file = config

    return typer.main.get_group(app)  # type: ignore[return-value]


def _split_debug(args: list[str]) -> tuple[list[str], bool]:
    """Accept --debug anywhere before a literal '--'."""
    end = args.index("--") if "--" in args else len(args)
    debug = "--debug" in args[:end]
    if debug:
        args = [a for a in args[:end] if a != "--debug"] + args[end:]
    return args, debug


def _print_traceback(exc: BaseException, env: Environment) -> None:
    import traceback

    traceback.print_exception(exc, file=env.output.stderr)


def main(args: Sequence[str] | None = None, *, env: Environment | None = None) -> int:
    """Run smartdev with ``args`` (default: sys.argv[1:]); return the exit status."""
    args, debug = _split_debug(list(sys.argv[1:] if args is None else args))
    if env is None:
        env = Environment()
    env.debug = env.debug or debug or env.environ.get("SMARTDEV_DEBUG", "") not in ("", "0")
    root = build_root()
    try:
        result = root.main(args, prog_name="smartdev", standalone_mode=False, obj=env)
        return result if isinstance(result, int) else ExitStatus.SUCCESS
    except SmartdevError as exc:
        if env.debug:
            _print_traceback(exc, env)
        env.output.error(exc.one_line())
        return exc.exit_status
    except _click.exceptions.ClickException as exc:
        exc.show(file=env.output.stderr)
        return exc.exit_code
    except typer.Abort:
        env.output.error("aborted")
        return ExitStatus.INTERRUPTED
    except KeyboardInterrupt:
        env.output.error("interrupted")
        return ExitStatus.INTERRUPTED
    except BrokenPipeError:
        # Output piped into e.g. `head` that closed early: not an error of ours.
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keep the interpreter quiet at exit
        except OSError:  # pragma: no cover
            pass
        return ExitStatus.SUCCESS
    except Exception as exc:  # a bug in smartdev or a plugin
        if env.debug:
            _print_traceback(exc, env)
        env.output.error(
            f"unexpected {type(exc).__name__}: {exc}. This is a bug; "
            "run again with --debug for the traceback and report it."
        )
        return ExitStatus.ERROR
    finally:
        get_registry().save()
