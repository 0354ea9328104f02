"""X.509 certificate governance for consortium chains: a chain CA, agency (intermediate)
CAs, node and SDK certificates, CSRs and CRLs, in the layout FISCO BCOS uses.

:mod:`smartdev.certs.ca` is the library (usable from Python without the CLI),
:mod:`smartdev.certs.keys` the key algorithms, :mod:`smartdev.certs.cli` the
``smartdev certs`` commands. Built on the ``cryptography`` package; SM2 (guomi)
certificates are not supported because ``cryptography`` cannot make them.
"""
