"""A setup as networkx graphs, and the analytics run on them.

- :func:`project`: one of four typed networks of a setup (roles, mandates, money,
  accountability), optionally for a period (:class:`Period`) or a day, and with the findings of
  a validation on its nodes and edges (:func:`with_findings`);
- :func:`money_paths`, :func:`role_combinations`, :func:`throughput`, :func:`compare_phases`:
  where the money goes, who holds two roles at once, what passes through whom, and what
  changed between two phases.
"""

from jeugdgov.analysis.analytics import compare_phases, money_paths, role_combinations, throughput
from jeugdgov.analysis.projection import KINDS, Period, project, with_findings

__all__ = ["KINDS", "Period", "compare_phases", "money_paths", "project", "role_combinations", "throughput",
           "with_findings"]
