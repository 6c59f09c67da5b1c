"""The minimal conforming and violating graph of every shape: they live in the package
(:mod:`jeugdgov.validation.examples`), which prints them on the rule pages."""

from jeugdgov.validation.examples import CASES, COLLEGE, LAWFUL, PREFIXES, SHAPE_CASES

__all__ = ["CASES", "COLLEGE", "LAWFUL", "PREFIXES", "SHAPE_CASES"]
