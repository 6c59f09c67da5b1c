"""The reference date of a validation: the "today" of every check that needs one.

No shape calls NOW(): a result must not change with the day the tool runs. A shape writes
``$asOf`` where it needs the date, and :func:`dated` writes the date in, once, into the shapes
graph both engines read, so they agree by construction. The default is the end of the setup's
period (``jg:during`` of its ``jg:Setup`` node), else today.
"""

from __future__ import annotations

from datetime import date

from rdflib import SH, XSD, Graph, Literal, Node

from jeugdgov.errors import InputError
from jeugdgov.resources import JG, TIME
from jeugdgov.validation.law_in_time import in_time

#: What a shape writes where it needs the reference date.
AS_OF = "$asOf"


def parse_as_of(text: str) -> date:
    """A reference date given as YYYY-MM-DD, or an InputError saying how to write it."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"'{text}' is not a date", hint="write the reference date as YYYY-MM-DD, "
                         "e.g. --as-of 2021-06-30",
                         nl=(f"'{text}' is geen datum",
                             "schrijf de peildatum als JJJJ-MM-DD, bijv. --as-of 2021-06-30")) from None


def default_as_of(graph: Graph, setup_node: Node | None) -> date:
    """The end of the setup's period, else today."""
    if setup_node is not None:
        for period in graph.objects(setup_node, JG.during):
            for end in graph.objects(period, TIME.hasEnd):
                for day in graph.objects(end, TIME.inXSDDate):
                    if isinstance(day, Literal) and isinstance(day.value, date):
                        return day.value
    return date.today()


def date_term(as_of: date) -> str:
    """The date as a SPARQL literal."""
    return f'"{as_of.isoformat()}"^^<{XSD.date}>'


def dated(shapes_graph: Graph, as_of: date) -> Graph:
    """A copy of a shapes graph whose SPARQL constraints read ``as_of`` for ``$asOf``, with the
    law in force on that date (:mod:`jeugdgov.validation.law_in_time`)."""
    graph = Graph()
    for prefix, namespace in shapes_graph.namespaces():
        graph.bind(prefix, namespace, override=False)
    term = date_term(as_of)
    for s, p, o in shapes_graph:
        if p == SH.select and AS_OF in str(o):
            o = Literal(str(o).replace(AS_OF, term))
        graph.add((s, p, o))
    return in_time(graph, as_of)
