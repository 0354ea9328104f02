"""smartdev: one command-line toolchain for building on EVM blockchains.

Importing this package is cheap on purpose: every command is a plugin loaded
only when it runs (see ``smartdev.registry``).
"""

__version__ = "0.1.0"
