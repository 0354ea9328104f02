"""Key primitives for ``smartdev keys``: key pairs on secp256k1 and SM2 (``curves``),
Web3 Secret Storage v3 keystores (``keystore``), BIP39/BIP32/BIP44 mnemonics
(``mnemonic``), SLIP-39 Shamir backups (``shamir``) and PEM/PKCS#12 export
(``export``). Each module imports its cryptography libraries lazily, so importing
``smartdev.keys.*`` stays cheap; bad input raises :class:`smartdev.errors.UsageError`.
"""
