"""The law in time: a norm applies during its period, and a check applies the law in force on
its reference date.

A shape carries the period of its norm: ``jg:inForceFrom`` and ``jg:inForceUntil`` (dates), or
``jg:dateNotSet`` for a law whose entry into force is not set. :func:`in_time` rewrites a shapes
graph for a reference date, once, before either engine reads it, so both agree by construction:

- before the start (or with no date set) the norm is not yet required: its findings are Info
  and their messages begin with "not yet required (required from …)";
- after the end the shape is deactivated (``sh:deactivated``): a repealed norm finds nothing;
- in between nothing changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rdflib import SH, XSD, Graph, Literal, Node

from jeugdgov.resources import JG

#: What a finding of a norm not yet in force begins with.
NOT_YET = {"nl": "Nog niet vereist (vereist vanaf {date}): ", "en": "Not yet required (required from {date}): "}
NOT_SET = {"nl": "Nog niet vereist (datum van inwerkingtreding nog niet bepaald): ",
           "en": "Not yet required (date of entry into force not yet set): "}
IN_FORCE, NOT_YET_IN_FORCE, ENDED = "in force", "not yet in force", "ended"


@dataclass(frozen=True)
class Period:
    """When a norm applies: from ``start`` (None: since before any setup) through ``end``."""

    start: date | None = None
    end: date | None = None
    date_not_set: bool = False

    def status(self, as_of: date) -> str:
        if self.date_not_set or (self.start is not None and as_of < self.start):
            return NOT_YET_IN_FORCE
        if self.end is not None and as_of > self.end:
            return ENDED
        return IN_FORCE

    def prefix(self, lang: str) -> str:
        """What a message of a finding before the start begins with."""
        if self.date_not_set or self.start is None:
            return NOT_SET[lang]
        return NOT_YET[lang].format(date=self.start.isoformat())

    def describe(self, lang: str = "en") -> str:
        if self.date_not_set:
            return {"nl": "datum van inwerkingtreding nog niet bepaald",
                    "en": "date of entry into force not yet set"}[lang]
        since = self.start.isoformat() if self.start else {"nl": "altijd", "en": "always"}[lang]
        if self.start is None and self.end is None:
            return {"nl": "geen begin- of einddatum vastgelegd: geldt op elke peildatum",
                    "en": "no start or end recorded: applies on every reference date"}[lang]
        until = self.end.isoformat() if self.end else {"nl": "heden", "en": "today"}[lang]
        return {"nl": f"van {since} tot en met {until}", "en": f"from {since} through {until}"}[lang]


def period(graph: Graph, node: Node) -> Period:
    """The period of application a shape (or a law article) records."""
    return Period(start=_date(graph.value(node, JG.inForceFrom)), end=_date(graph.value(node, JG.inForceUntil)),
                  date_not_set=graph.value(node, JG.dateNotSet) == Literal(True))


def in_time(graph: Graph, as_of: date) -> Graph:
    """The shapes graph as it applies on ``as_of`` (changed in place and returned)."""
    for shape in set(graph.subjects(JG.detects, None)):
        norm = period(graph, shape)
        status = norm.status(as_of)
        if status == ENDED:
            graph.add((shape, SH.deactivated, Literal(True)))
        elif status == NOT_YET_IN_FORCE:
            graph.set((shape, SH.severity, SH.Info))
            holders = [shape, *graph.objects(shape, SH.sparql), *graph.objects(shape, SH.property)]
            for holder in holders:
                for predicate in (SH.message, JG.unrecordedMessage):
                    for message in list(graph.objects(holder, predicate)):
                        if isinstance(message, Literal) and message.language in NOT_YET:
                            graph.remove((holder, predicate, message))
                            graph.add((holder, predicate, Literal(norm.prefix(message.language) + str(message),
                                                                  lang=message.language)))
    return graph


def versioned(iri: str, on: date | None) -> str:
    """A Juriconnect link to the text of a law as in force on a date (``&g=``); others unchanged."""
    if on is None or "jci1." not in iri or "&g=" in iri:
        return iri
    return f"{iri}&g={on.isoformat()}"


def _date(value: Node | None) -> date | None:
    if isinstance(value, Literal) and value.datatype == XSD.date and isinstance(value.value, date):
        return value.value
    return None
