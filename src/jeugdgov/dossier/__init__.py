"""The council report (``jeugdgov report``) and comparisons of setups.

- :mod:`jeugdgov.dossier.comparison`: which defects appear, persist and disappear between two
  setups (``jeugdgov compare``), and which setups of a case are consecutive phases;
- :mod:`jeugdgov.dossier.content`: what the council report says, per setup and per defect;
- :mod:`jeugdgov.dossier.pictures`: the pictures of a setup as inline SVG;
- :mod:`jeugdgov.dossier.html`: the self-contained HTML page.
"""
