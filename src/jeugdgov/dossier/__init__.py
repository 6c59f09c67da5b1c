"""The council report (``jeugdgov report``) and comparisons of setups.

- :mod:`jeugdgov.dossier.comparison`: which defects appear, persist and disappear between two
  setups (``jeugdgov compare``), and which setups of a case are consecutive phases;
- :mod:`jeugdgov.dossier.content`: what the council report says, per setup and per defect;
- :mod:`jeugdgov.dossier.html`: the self-contained HTML page, with the pictures it is given
  (the command draws them with :mod:`jeugdgov.viz.inline`; the report knows no drawing).
"""
