"""The ZHZ organisation-cost data add up to every subtotal and total the AEF report prints.

Source: AEF, Doorontwikkeling governance jeugdzorg Zuid-Holland-Zuid, 2.2 figuur 4 (current
model) and 2.4 figuur 5 and 6 (the extreme models 'alles lokaal' and 'alles samen').
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, URIRef

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "zhz-organisatiekosten.ttl"
ID = "https://w3id.org/jeugdgov/id/zhz/"
XSD_DECIMAL = URIRef("http://www.w3.org/2001/XMLSchema#decimal")
JG_MATRIX_CELL = URIRef("https://w3id.org/jeugdgov/def#MatrixCell")
MODEL = {name: URIRef(f"{ID}model/{name}") for name in ("huidig", "alles-lokaal", "alles-samen")}
ORG = {name: URIRef(ID + name) for name in ("gemeenten", "sjt", "soj", "aanbieders")}

PREFIXES = """
PREFIX jg: <https://w3id.org/jeugdgov/def#>
"""

SUM_BY_ORGANISATION = PREFIXES + """
SELECT ?org (SUM(?f0) AS ?fteMin) (SUM(?f1) AS ?fteMax)
       (SUM(?c0) AS ?costMin) (SUM(?c1) AS ?costMax)
WHERE {
  ?e a jg:CostEstimate ; jg:inModel ?model ; jg:forOrganisation ?org ;
     jg:fteMin ?f0 ; jg:fteMax ?f1 ; jg:costMin ?c0 ; jg:costMax ?c1 .
}
GROUP BY ?org
"""

SUM_BY_MODEL = PREFIXES + """
SELECT (SUM(?f0) AS ?fteMin) (SUM(?f1) AS ?fteMax) (SUM(?c0) AS ?costMin) (SUM(?c1) AS ?costMax)
WHERE {
  ?e a jg:CostEstimate ; jg:inModel ?model ; jg:forOrganisation ?org ;
     jg:fteMin ?f0 ; jg:fteMax ?f1 ; jg:costMin ?c0 ; jg:costMax ?c1 .
  FILTER (?org NOT IN (?excluded))
}
"""


def d(text: str) -> Decimal:
    return Decimal(text)


# model -> organisation -> (fte min, fte max, cost min, cost max) as printed in the report
SUBTOTALS = {
    "huidig": {  # 2.2, figuur 4
        "gemeenten": (d("25.0"), d("31.0"), d("2500000"), d("3100000")),
        "sjt": (d("26.5"), d("32.5"), d("2650000"), d("3250000")),
        "soj": (d("22.0"), d("29.0"), d("2200000"), d("2900000")),
        "aanbieders": (d("57.5"), d("70.5"), d("5750000"), d("7050000")),
    },
    "alles-lokaal": {  # 2.4, figuur 5 (SOJ: '-')
        "gemeenten": (d("100.0"), d("120.0"), d("10000000"), d("12000000")),
        "sjt": (d("5.0"), d("10.0"), d("500000"), d("1000000")),
        "aanbieders": (d("300.0"), d("350.0"), d("30000000"), d("35000000")),
    },
    "alles-samen": {  # 2.4, figuur 6
        "gemeenten": (d("10.0"), d("12.0"), d("1000000"), d("1200000")),
        "sjt": (d("25.0"), d("30.0"), d("2500000"), d("3000000")),
        "soj": (d("25.0"), d("30.0"), d("2500000"), d("3000000")),
        "aanbieders": (d("57.5"), d("70.5"), d("5750000"), d("7050000")),
    },
}

# model -> (total excl. providers, grand total), each (fte min, fte max, cost min, cost max)
TOTALS = {
    "huidig": ((d("73.5"), d("92.5"), d("7350000"), d("9250000")),
               (d("131.0"), d("163.0"), d("13100000"), d("16300000"))),
    "alles-lokaal": ((d("105.0"), d("130.0"), d("10500000"), d("13000000")),
                     (d("405.0"), d("480.0"), d("40500000"), d("48000000"))),
    "alles-samen": ((d("60.0"), d("72.0"), d("6000000"), d("7200000")),
                    (d("117.5"), d("142.5"), d("11750000"), d("14250000"))),
}

NOBODY = URIRef(ID + "nobody")


@pytest.fixture(scope="module")
def graph() -> Graph:
    g = Graph()
    g.parse(DATA, format="turtle")
    return g


def _values(row) -> tuple[Decimal, ...]:
    return tuple(Decimal(str(v.toPython())) for v in row)


@pytest.mark.parametrize("model", sorted(SUBTOTALS))
def test_subtotal_per_organisation(graph: Graph, model: str) -> None:
    rows = graph.query(SUM_BY_ORGANISATION, initBindings={"model": MODEL[model]})
    found = {row.org: _values(row[1:]) for row in rows}
    expected = {ORG[name]: values for name, values in SUBTOTALS[model].items()}
    assert found == expected


@pytest.mark.parametrize("model", sorted(TOTALS))
def test_total_excluding_providers(graph: Graph, model: str) -> None:
    query = SUM_BY_MODEL.replace("?excluded", f"<{ORG['aanbieders']}>")
    (row,) = graph.query(query, initBindings={"model": MODEL[model]})
    assert _values(row) == TOTALS[model][0]


@pytest.mark.parametrize("model", sorted(TOTALS))
def test_grand_total(graph: Graph, model: str) -> None:
    query = SUM_BY_MODEL.replace("?excluded", f"<{NOBODY}>")
    (row,) = graph.query(query, initBindings={"model": MODEL[model]})
    assert _values(row) == TOTALS[model][1]


def test_every_estimate_is_a_complete_decimal_range(graph: Graph) -> None:
    query = PREFIXES + """
    SELECT ?e ?f0 ?f1 ?c0 ?c1 WHERE {
      ?e a jg:CostEstimate .
      OPTIONAL { ?e jg:fteMin ?f0 } OPTIONAL { ?e jg:fteMax ?f1 }
      OPTIONAL { ?e jg:costMin ?c0 } OPTIONAL { ?e jg:costMax ?c1 }
    }"""
    rows = list(graph.query(query))
    assert len(rows) == 28  # 21 rows of figuur 4, 3 of figuur 5, 4 of figuur 6
    for row in rows:
        values = row[1:]
        assert all(isinstance(v, Literal) and v.datatype == XSD_DECIMAL for v in values), row.e
        f0, f1, c0, c1 = _values(values)
        assert Decimal(0) <= f0 <= f1, row.e
        assert Decimal(0) <= c0 <= c1, row.e
        # the report costs every FTE at EUR 100,000
        assert (c0, c1) == (f0 * 100000, f1 * 100000), row.e


def test_matrix_cells_name_model_organisation_and_task(graph: Graph) -> None:
    query = PREFIXES + """
    SELECT ?model (COUNT(?cell) AS ?n) WHERE {
      ?cell a jg:MatrixCell ; jg:inModel ?model ; jg:forOrganisation ?org ; jg:task ?task .
    } GROUP BY ?model"""
    counts = {row.model: int(row.n) for row in graph.query(query)}
    assert set(counts) == set(MODEL.values())
    total = len(set(graph.subjects(RDF.type, JG_MATRIX_CELL)))
    assert sum(counts.values()) == total
