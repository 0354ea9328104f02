"""The one error hierarchy of smartdev, and its exit codes.

A :class:`SmartdevError` is a mistake the user can fix: the CLI prints its
message and hint on one line and exits with the error's :class:`ExitStatus`,
with no traceback (``--debug`` shows it). Anything else that escapes a command
is a bug in smartdev or a plugin and exits with ``ExitStatus.ERROR``.

Library code raises these; only ``smartdev.cli`` prints them.
"""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    """Exit codes of the ``smartdev`` command (documented in the README)."""

    SUCCESS = 0
    ERROR = 1  # unexpected failure: a bug, reported with a hint to use --debug
    USAGE = 2  # bad command line: unknown command/option, wrong argument count or type
    CONFIG = 3  # invalid or unreadable configuration
    NOT_FOUND = 4  # missing artifact, deployment, contract, file or network name
    NETWORK = 5  # RPC unreachable, timed out, or answered with an error
    REVERTED = 6  # a call or transaction reverted
    PLUGIN = 7  # a plugin failed to load
    NODE = 8  # the local node could not be started or stopped (e.g. port in use)
    COMPILE = 9  # the Solidity compiler reported errors, or no compiler fits the pragmas
    INVALID = 10  # a signature or certificate did not verify
    INTERRUPTED = 130  # Ctrl-C


class SmartdevError(Exception):
    """A user-facing error: what went wrong (``message``) and what to do (``hint``)."""

    exit_status: ExitStatus = ExitStatus.ERROR

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message

    def one_line(self) -> str:
        """The message and hint as the single line the CLI prints."""
        text = self.message.rstrip()
        if self.hint:
            if not text.endswith((".", "!", "?", ":")):
                text += "."
            text += " " + self.hint.strip()
        return " ".join(text.split("\n"))


class UsageError(SmartdevError):
    """Bad arguments: wrong count, a value that does not fit its type, conflicting flags."""

    exit_status = ExitStatus.USAGE


class ConfigError(SmartdevError):
    """Invalid configuration; names the file and key when they are known."""

    exit_status = ExitStatus.CONFIG

    def __init__(
        self,
        message: str,
        *,
        file: object | None = None,
        key: str | None = None,
        hint: str | None = None,
    ) -> None:
        where = ""
        if file is not None:
            where = str(file)
            if key:
                where += f": {key}"
        elif key:
            where = key
        super().__init__(f"{where}: {message}" if where else message, hint=hint)
        self.file = file
        self.key = key


class NotFoundError(SmartdevError):
    """Something named by the user does not exist: an artifact, deployment, file, network."""

    exit_status = ExitStatus.NOT_FOUND


class NetworkError(SmartdevError):
    """A chain could not be reached, timed out, or answered with an error."""

    exit_status = ExitStatus.NETWORK


class RevertError(SmartdevError):
    """A call or transaction reverted. ``reason`` is the decoded revert reason."""

    exit_status = ExitStatus.REVERTED

    def __init__(
        self,
        message: str,
        *,
        reason: str | None = None,
        data: str | None = None,
        tx_hash: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message, hint=hint)
        self.reason = reason
        self.data = data
        self.tx_hash = tx_hash


class PluginError(SmartdevError):
    """A plugin could not be loaded or is malformed."""

    exit_status = ExitStatus.PLUGIN


class NodeError(SmartdevError):
    """The local node could not be started, reached or stopped."""

    exit_status = ExitStatus.NODE


class CompileError(SmartdevError):
    """Compilation failed: compiler errors, conflicting pragmas, or no usable compiler."""

    exit_status = ExitStatus.COMPILE


class VerificationError(SmartdevError):
    """A signature or certificate was checked and is not valid (not a usage mistake)."""

    exit_status = ExitStatus.INVALID
