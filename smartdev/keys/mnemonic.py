"""BIP39 mnemonic phrases and BIP32/BIP44 derivation of secp256k1 keys (eth-account's HD
wallet code: the same derivation MetaMask, Hardhat, anvil and geth's tools use).

The default path is Ethereum's BIP44 path ``m/44'/60'/0'/0/{index}``. Phrases may be
in any of the nine BIP39 languages; the language is recognised from the words.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from smartdev.errors import UsageError
from smartdev.keys.curves import KeyPair

DEFAULT_PATH = "m/44'/60'/0'/0/{index}"
WORD_COUNTS = (12, 15, 18, 21, 24)
_MAX_INDEX = 2**31 - 1  # BIP32 child numbers below the hardened range


def _languages() -> list[str]:
    from eth_account.hdaccount.mnemonic import Mnemonic

    return Mnemonic.list_languages()


def _wordlist(language: str) -> list[str]:
    from eth_account.hdaccount.mnemonic import get_wordlist

    return get_wordlist(language)


def new_mnemonic(words: int = 12, language: str = "english") -> str:
    """A new random BIP39 phrase of ``words`` words (12, 15, 18, 21 or 24)."""
    if isinstance(words, bool) or words not in WORD_COUNTS:
        raise UsageError(f"a BIP39 phrase has 12, 15, 18, 21 or 24 words, not {words!r}")
    languages = _languages()
    if not isinstance(language, str) or language.lower() not in languages:
        raise UsageError(f"unknown mnemonic language {language!r}", hint=f"Use one of: {', '.join(languages)}.")
    from eth_account.hdaccount.mnemonic import Mnemonic
    from eth_account.types import Language

    return Mnemonic(Language(language.lower())).generate(words)


def _checksum_ok(words: list[str], wordlist: list[str]) -> bool:
    import hashlib

    index = {w: i for i, w in enumerate(wordlist)}
    bits = 0
    for word in words:
        bits = (bits << 11) | index[word]
    total = 11 * len(words)
    checksum_bits = total // 33
    entropy_bits = total - checksum_bits
    entropy = (bits >> checksum_bits).to_bytes(entropy_bits // 8, "big")
    expected = hashlib.sha256(entropy).digest()[0] >> (8 - checksum_bits)
    return (bits & ((1 << checksum_bits) - 1)) == expected


def _words(mnemonic: Any) -> list[str]:
    if not isinstance(mnemonic, str):
        raise UsageError(f"a mnemonic must be text, not {type(mnemonic).__name__}")
    return unicodedata.normalize("NFKD", mnemonic).lower().split()


def validate(mnemonic: str) -> str:
    """The phrase normalised (NFC, lower case, single spaces) if it is a valid BIP39
    mnemonic; UsageError naming the problem: unknown words (which), wrong word count,
    or a checksum that does not match."""
    words = _words(mnemonic)
    if not words:
        raise UsageError("the mnemonic is empty")
    # Languages whose list holds every word; else the closest one, for the error message.
    sets = {lang: set(_wordlist(lang)) for lang in _languages()}
    scores = {lang: sum(w in known for w in words) for lang, known in sets.items()}
    candidates = [lang for lang, score in scores.items() if score == len(words)]
    if not candidates:
        best = max(scores, key=lambda lang: (scores[lang], lang == "english"))
        wordlist = _wordlist(best)
        unknown = [(i + 1, w) for i, w in enumerate(words) if w not in sets[best]]
        shown = ", ".join(f"'{unicodedata.normalize('NFC', w)}' (word {i})" for i, w in unknown[:5])
        more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        hint = f"Check the spelling against the BIP39 {best} word list."
        import difflib

        close = difflib.get_close_matches(unknown[0][1], wordlist, n=3)
        if close:
            hint = f"Word {unknown[0][0]} might be: {', '.join(close)}. " + hint
        noun = "word" if len(unknown) == 1 else "words"
        raise UsageError(f"the mnemonic has {len(unknown)} unknown {noun}: {shown}{more}", hint=hint)
    if len(words) not in WORD_COUNTS:
        raise UsageError(f"the mnemonic has {len(words)} words; a BIP39 phrase has 12, 15, 18, 21 or 24",
                         hint="A word may be missing or doubled.")
    candidates.sort(key=lambda lang: lang != "english")
    if not any(_checksum_ok(words, _wordlist(lang)) for lang in candidates):
        raise UsageError("the mnemonic's checksum does not match",
                         hint="A word is wrong or the words are out of order.")
    return unicodedata.normalize("NFC", " ".join(words))


def to_seed(mnemonic: str, passphrase: str = "") -> bytes:
    """The 64-byte BIP39 seed of a (validated) phrase and optional passphrase."""
    from eth_account.hdaccount.mnemonic import Mnemonic

    if not isinstance(passphrase, str):
        raise UsageError(f"the passphrase must be text, not {type(passphrase).__name__}")
    return Mnemonic.to_seed(validate(mnemonic), passphrase)


_PATH_HINT = "Write it like m/44'/60'/0'/0/0 (' or H marks a hardened level)."


def _check_path(path: str) -> None:
    from eth_account.hdaccount.deterministic import HDPath
    from eth_utils import ValidationError

    levels = path.split("/")
    if levels[0] != "m":
        raise UsageError(f"invalid derivation path '{path}': it must start with m/", hint=_PATH_HINT)
    if len(levels) == 1:
        raise UsageError(f"invalid derivation path '{path}': it names no level below the root", hint=_PATH_HINT)
    for level in levels[1:]:
        number = level[:-1] if level[-1:] in ("'", "H") else level
        if not number.isascii() or not number.isdigit():
            raise UsageError(f"invalid derivation path '{path}': level '{level}' is not a number", hint=_PATH_HINT)
        if int(number) > _MAX_INDEX:
            raise UsageError(f"invalid derivation path '{path}': level '{level}' is above {_MAX_INDEX}",
                             hint="Mark a hardened level with ' instead of adding 2**31.")
    try:
        HDPath(path)
    except ValidationError as exc:
        raise UsageError(f"invalid derivation path '{path}': {exc}", hint=_PATH_HINT) from None


def derive(mnemonic: str, *, path: str | None = None, index: int = 0, count: int = 1,
           passphrase: str = "") -> list[tuple[str, KeyPair]]:
    """secp256k1 key pairs derived from a BIP39 phrase: ``count`` accounts from ``index``
    along ``path`` (a template with ``{index}``; default DEFAULT_PATH), or the single key
    at a fixed ``path`` (then ``index`` must be 0 and ``count`` 1). Returns (path, pair)."""
    from eth_account.hdaccount import key_from_seed

    from smartdev.keys.curves import from_private_key

    template = DEFAULT_PATH if path is None else path
    if not isinstance(template, str) or not template.strip():
        raise UsageError("the derivation path is empty", hint=f"The default is {DEFAULT_PATH}.")
    template = template.strip()
    for name, value, minimum in (("index", index, 0), ("count", count, 1)):
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise UsageError(f"the {name} must be an integer >= {minimum}, not {value!r}")
    if "{index}" in template:
        if index + count - 1 > _MAX_INDEX:
            raise UsageError(f"account indexes go up to {_MAX_INDEX}; {index} + {count} accounts goes past it")
        paths = [template.replace("{index}", str(i)) for i in range(index, index + count)]
    else:
        if count != 1 or index != 0:
            raise UsageError(f"the path '{template}' names a single key, so there is no index or count to apply",
                             hint="Put {index} in the path where the account number goes, e.g. " + DEFAULT_PATH)
        paths = [template]
    _check_path(paths[0])
    if len(paths) > 1:
        _check_path(paths[-1])
    seed = to_seed(mnemonic, passphrase)
    return [(p, from_private_key("secp256k1", key_from_seed(seed, p))) for p in paths]
