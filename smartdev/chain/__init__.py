"""Local chains: the embedded node's JSON-RPC server, node management and networks."""
