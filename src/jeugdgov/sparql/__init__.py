"""The query library: named queries, their text and parameters, their results.

Where queries run is the store layer's (:mod:`jeugdgov.stores`).
"""
