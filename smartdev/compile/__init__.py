"""``smartdev compile``: Solidity sources, compilers and build artifacts."""
