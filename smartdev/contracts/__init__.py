"""Contract interaction: ABI conversion, deployment, calls and transactions."""
