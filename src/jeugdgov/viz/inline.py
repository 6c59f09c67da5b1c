"""The pictures of a council report: each kind of relation of a setup as inline SVG, findings
marked with the setup's numbers.

SVG keeps its text as text (searchable, small); each picture's element ids get a prefix of
their own, so that pictures inlined into one HTML page never refer to each other's clip paths.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib import rc_context
from matplotlib.figure import Figure

from jeugdgov.analysis.projection import KIND_LABELS, KINDS, project
from jeugdgov.validation.findings import Report, finding_numbers
from jeugdgov.viz.static import figure_of
from jeugdgov.viz.views import prepare


@dataclass(frozen=True)
class Picture:
    kind: str
    title: str
    svg: str


def pictures(report: Report, lang: str = "nl", prefix: str = "pic") -> list[Picture]:
    """One picture per kind of relation the setup has (roles, money, ...), as inline SVG."""
    setup = report.setup
    if not setup.complete:
        return []
    numbers = finding_numbers(report.findings)
    drawn = []
    for index, kind in enumerate(KINDS):
        if not project(setup, kind).number_of_edges():
            continue
        view = prepare(setup, kind, lang=lang, findings=report.findings, numbers=numbers)
        drawn.append(Picture(kind, KIND_LABELS[kind][lang], _svg(figure_of(view), f"{prefix}-{index}")))
    return drawn


def pictures_of(reports: Sequence[Report], lang: str = "nl") -> dict[str, list[tuple[str, str]]]:
    """Each setup's pictures as (title, SVG), by setup name, for :func:`jeugdgov.dossier.html.render`."""
    return {r.setup.name: [(p.title, p.svg) for p in pictures(r, lang, prefix=f"s{i}")] for i, r in enumerate(reports)}


def _svg(fig: Figure, prefix: str) -> str:
    buffer = io.StringIO()
    with rc_context({"svg.fonttype": "none", "svg.hashsalt": prefix}):
        fig.savefig(buffer, format="svg", bbox_inches="tight", facecolor="white")
    text = buffer.getvalue()
    text = text[text.index("<svg"):]  # no XML declaration or DOCTYPE inside HTML
    text = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}-\1"', text)
    text = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", text)
    return re.sub(r'xlink:href="#([^"]+)"', rf'xlink:href="#{prefix}-\1"', text)
