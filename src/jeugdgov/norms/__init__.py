"""The auditor's own norm framework (normenkader) and the norm table (scorecard).

:mod:`.reading` reads the norms (a workbook sheet ``normen``, CSV, YAML or Turtle) and
:mod:`.framework` checks them, refusing every bad row at once; :mod:`.patterns` compiles them
into SHACL shapes that both validation engines evaluate like the catalogue's; :mod:`.scoring`
scores each setup on each norm (met, partly met, not met, not assessable) with the findings
behind each score; :mod:`.rendering` writes the table as text, CSV, XLSX, JSON and RDF and
compares two tables; :mod:`.pages` is a norm's page (``jeugdgov explain ID --norms FILE``);
:mod:`.writing` writes a framework's rows and :mod:`.catalogue` is the catalogue's own
framework, for ``jeugdgov template --norms``.
"""

from __future__ import annotations

from jeugdgov.norms.framework import Framework, Norm
from jeugdgov.norms.reading import read_framework
from jeugdgov.norms.scoring import SCORES, NormTable, Score, score_setups

__all__ = ["SCORES", "Framework", "Norm", "NormTable", "Score", "read_framework", "score_setups"]
