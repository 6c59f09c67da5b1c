"""The store layer: where setups are kept and how they are read back.

- :mod:`jeugdgov.stores.embedded`: the embedded pyoxigraph store (``jeugdgov load``, ``serve``);
- :mod:`jeugdgov.stores.protocol`: the SPARQL 1.1 Protocol on the wire;
- :mod:`jeugdgov.stores.remote`: external SPARQL stores: queries and the setups they hold;
- :mod:`jeugdgov.stores.push`: sending setups to an external store, all or nothing.

The query library (:mod:`jeugdgov.sparql`) stays apart: it knows queries, not where they run.
"""
