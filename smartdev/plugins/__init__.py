"""The `smartdev plugins` command: what is installed and whether it loads."""
