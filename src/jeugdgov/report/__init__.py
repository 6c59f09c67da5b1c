"""Reports for a council and comparisons of setups.

- :mod:`jeugdgov.report.comparison`: which defects appear, persist and disappear between two
  setups (``jeugdgov compare``), and which setups of a case are consecutive phases;
- :mod:`jeugdgov.report.content`: what a report says, per setup and per defect;
- :mod:`jeugdgov.report.pictures`: the pictures of a setup as inline SVG;
- :mod:`jeugdgov.report.html`: the self-contained HTML page (``jeugdgov report``).
"""
