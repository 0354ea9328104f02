"""`smartdev gen`: a typed Python client and a REST service generated from compiled contracts."""
