"""`smartdev export`: chain data out to databases and files, resumable, reorg-safe and verified."""
