"""SLIP-39 Shamir backups of a secret (a private key) with Trezor's reference
implementation, shamir-mnemonic.

``split`` makes one group of ``shares`` mnemonics of which any ``threshold`` recover the
secret. SLIP-39 forbids a 1-of-N *member* split, so 1-of-N is written as N one-share
groups with a group threshold of 1: any single mnemonic recovers the secret, and the
mnemonics are still a standard SLIP-39 set (Trezor and the ``shamir`` tool read them).

A SLIP-39 passphrase is not checked: combining with a wrong passphrase gives a
different secret, by design (plausible deniability). Compare the result with a known
address.
"""

from __future__ import annotations

from typing import Any

from smartdev.errors import UsageError

MAX_SHARES = 16


def _passphrase(passphrase: Any) -> bytes:
    if isinstance(passphrase, str):
        passphrase = passphrase.encode("utf-8")
    if not isinstance(passphrase, (bytes, bytearray)):
        raise UsageError(f"the passphrase must be bytes, not {type(passphrase).__name__}")
    if not all(32 <= c <= 126 for c in passphrase):
        raise UsageError("a SLIP-39 passphrase may hold only printable ASCII characters (space to ~)")
    return bytes(passphrase)


def _count(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise UsageError(f"the {name} must be an integer, not {value!r}")
    return value


def split(secret: bytes, *, shares: int, threshold: int, passphrase: bytes = b"") -> list[str]:
    """``shares`` SLIP-39 mnemonics, any ``threshold`` of which give back ``secret``
    (16 to 32 bytes, an even number; a private key is 32)."""
    from shamir_mnemonic import generate_mnemonics

    if not isinstance(secret, (bytes, bytearray, memoryview)):
        raise UsageError(f"the secret must be bytes, not {type(secret).__name__}")
    secret = bytes(secret)
    if len(secret) < 16 or len(secret) % 2:
        raise UsageError(f"SLIP-39 splits secrets of at least 16 bytes and an even length, not {len(secret)} bytes")
    shares, threshold = _count(shares, "share count"), _count(threshold, "threshold")
    if not 1 <= threshold <= shares <= MAX_SHARES:
        raise UsageError(f"cannot split into {shares} shares with threshold {threshold}",
                         hint=f"Need 1 <= threshold <= shares <= {MAX_SHARES}.")
    secret_pass = _passphrase(passphrase)
    if threshold == 1:
        groups = generate_mnemonics(1, [(1, 1)] * shares, secret, secret_pass)
        return [group[0] for group in groups]
    (group,) = generate_mnemonics(1, [(threshold, shares)], secret, secret_pass)
    return list(group)


def _prefix(mnemonic: str) -> str:
    return " ".join(mnemonic.split()[:3]) + " ..."


def combine(mnemonics: list[str], passphrase: bytes = b"") -> bytes:
    """The secret behind enough SLIP-39 mnemonics of one set (extra shares are fine).
    UsageError for: no or too few shares, shares of different sets, a bad word or
    checksum, a repeated share, or shares that do not fit together."""
    from shamir_mnemonic import MnemonicError, Share
    from shamir_mnemonic.recovery import RecoveryState

    if isinstance(mnemonics, str) or not isinstance(mnemonics, (list, tuple)):
        raise UsageError("give the SLIP-39 shares as a list of mnemonics")
    if not mnemonics:
        raise UsageError("no SLIP-39 shares given")
    secret_pass = _passphrase(passphrase)
    parsed: list[Any] = []
    seen: dict[tuple[int, int], int] = {}
    for number, mnemonic in enumerate(mnemonics, start=1):
        if not isinstance(mnemonic, str):
            raise UsageError(f"share {number} is not text")
        normal = " ".join(mnemonic.lower().split())
        try:
            share = Share.from_mnemonic(normal)
        except MnemonicError as exc:
            raise UsageError(f"share {number} is not a valid SLIP-39 mnemonic: {exc}",
                             hint="Check every word of that share; a single wrong word breaks its checksum.") from None
        if parsed and share.common_parameters() != parsed[0].common_parameters():
            first = parsed[0]
            if share.identifier != first.identifier:
                why = f"it starts '{_prefix(normal)}', share 1 starts '{_prefix(mnemonics[0])}'"
            else:
                why = "its group settings differ"
            raise UsageError(f"share {number} belongs to a different SLIP-39 backup than share 1 ({why})",
                             hint="Use shares from one split only.")
        place = (share.group_index, share.index)
        if place in seen:
            raise UsageError(f"share {number} repeats share {seen[place]}",
                             hint="Each share counts once; give distinct shares.")
        seen[place] = number
        parsed.append(share)
    state = RecoveryState()
    try:
        for share in parsed:
            state.add_share(share)
    except MnemonicError as exc:
        raise UsageError(f"the shares do not fit together: {exc}") from None
    if not state.is_complete():
        params = parsed[0]
        if params.group_count == 1:
            need = params.member_threshold
            raise UsageError(f"not enough shares: this backup needs {need}, {len(parsed)} given",
                             hint=f"Add {need - len(parsed)} more share(s) of the same backup.")
        raise UsageError(f"not enough shares: this backup needs {params.group_threshold} complete group(s) "
                         f"of its {params.group_count}; {state.groups_complete()} complete",
                         hint="Add shares until enough groups reach their own thresholds.")
    try:
        return state.recover(secret_pass)
    except MnemonicError as exc:
        raise UsageError(f"the shares do not recover a secret: {exc}",
                         hint="A share may be corrupted in a way its checksum did not catch, or from another backup.") from None
