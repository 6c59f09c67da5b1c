"""What a finding rests on: established facts, an unrecorded absence, or a party's claim.

Decided here, once, for both engines, from the facts about the nodes a finding rests on (its
focus node, its value, the nodes the shape's ``jg:evidenceVia`` leads to and the facts its
``jg:evidenceLink`` names: those pointing at the focus node and at the value, such as the
party's role assignments for the task of a dual role):

- *alleged* when one of them is a claim of a party (``jg:claimedBy``);
- *unrecorded* when the shape reads an absence (``jg:readsAbsenceOf``,
  ``jg:readsAbsenceOfInverse``) that the data neither state nor deny: no value for the
  property, no ``jg:noValue`` naming it (``jg:unknownValue`` says a value exists, so the
  absence is not established either);
- *established* otherwise: recorded facts, explicit absences included.

The sources of a finding are the documents those nodes cite (``prov:hadPrimarySource``,
``jg:source``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Protocol

from rdflib import BNode, Graph, Literal, Node, URIRef
from rdflib.namespace import PROV

from jeugdgov.resources import JG, LANGUAGES, shapes

ESTABLISHED, UNRECORDED, ALLEGED = "established", "unrecorded", "alleged"
#: The evidence statuses, strongest first: the order a report lists findings in.
EVIDENCE = (ESTABLISHED, UNRECORDED, ALLEGED)
#: What a fact node says about its own evidence.
CLAIM_PREDICATES = (JG.claimedBy,)
SOURCE_PREDICATES = (PROV.hadPrimarySource, JG.source)
ABSENCE_PREDICATES = (JG.noValue, JG.unknownValue)
FACT_PREDICATES = (*ABSENCE_PREDICATES, *CLAIM_PREDICATES, *SOURCE_PREDICATES)


class Facts(Protocol):
    """The facts about the nodes of a finding, as the conversion into findings indexes them."""

    def predicate_objects(self, node: Node) -> list[tuple[Node, Node]]: ...

    def pointing(self, node: Node, predicate: Node) -> list[Node]: ...


@dataclass(frozen=True)
class EvidenceRule:
    """What a shape declares about the absences it reads."""

    #: The property or role whose absence the shape reads, and whether it points at the node.
    absences: tuple[tuple[URIRef, bool], ...] = ()
    #: Properties from the focus node to further nodes the finding rests on.
    via: tuple[URIRef, ...] = ()
    #: (to the focus node, to the value): the facts with both that the finding also rests on.
    links: tuple[tuple[URIRef, URIRef], ...] = ()
    #: The message templates of an unrecorded finding, by language.
    questions: tuple[tuple[str, str], ...] = ()

    def question(self, lang: str) -> str | None:
        return dict(self.questions).get(lang)


@dataclass(frozen=True)
class Judgement:
    """The evidence status of one finding, the parties whose claim it rests on and its sources."""

    evidence: str
    claimants: tuple[Node, ...]
    sources: tuple[str, ...]


def evidence_rule(shape: Node, shapes_graph: Graph) -> EvidenceRule:
    """The evidence declarations of a (detecting) shape."""
    absences = [(p, False) for p in shapes_graph.objects(shape, JG.readsAbsenceOf) if isinstance(p, URIRef)]
    absences += [(p, True) for p in shapes_graph.objects(shape, JG.readsAbsenceOfInverse) if isinstance(p, URIRef)]
    via = [p for p in shapes_graph.objects(shape, JG.evidenceVia) if isinstance(p, URIRef)]
    questions = [(lang, str(m)) for lang in LANGUAGES for m in shapes_graph.objects(shape, JG.unrecordedMessage)
                 if isinstance(m, Literal) and m.language == lang]
    return EvidenceRule(absences=tuple(sorted(absences)), via=tuple(sorted(set(via))),
                        links=tuple(sorted(_links(shapes_graph, shape))), questions=tuple(questions))


def _links(shapes_graph: Graph, shape: Node | None) -> set[tuple[URIRef, URIRef]]:
    """The (to focus, to value) property pairs of a shape's jg:evidenceLink (None: of every shape)."""
    pairs = set()
    for link in shapes_graph.objects(shape, JG.evidenceLink):
        to_focus, to_value = shapes_graph.value(link, JG.linksFocusBy), shapes_graph.value(link, JG.linksValueBy)
        if isinstance(to_focus, URIRef) and isinstance(to_value, URIRef):
            pairs.add((to_focus, to_value))
    return pairs


@cache
def lookups() -> tuple[frozenset[URIRef], frozenset[URIRef], frozenset[URIRef]]:
    """What deciding needs beyond a node's own evidence predicates, over all shapes: the
    properties read on a node (with those by which a linking fact names the value), those read
    pointing at it (with those by which a linking fact names the focus node), and those leading
    to further nodes."""
    graph = shapes()
    links = _links(graph, None)
    forward = frozenset(p for p in graph.objects(None, JG.readsAbsenceOf) if isinstance(p, URIRef))
    inverse = frozenset(p for p in graph.objects(None, JG.readsAbsenceOfInverse) if isinstance(p, URIRef))
    via = frozenset(p for p in graph.objects(None, JG.evidenceVia) if isinstance(p, URIRef))
    return forward | {v for _f, v in links}, inverse | {f for f, _v in links}, via


def judge(rule: EvidenceRule, facts: Facts, focus: Node, value: Node | None) -> Judgement:
    """The evidence status of a finding on ``focus`` (and ``value``) under a shape's rule."""
    via = [o for p, o in facts.predicate_objects(focus) if p in rule.via and not isinstance(o, Literal)]
    absence_nodes = [focus, *via]
    linking = [fact for to_focus, to_value in rule.links if value is not None
               for fact in facts.pointing(focus, to_focus) if (to_value, value) in facts.predicate_objects(fact)]
    resting = [*absence_nodes, *([value] if value is not None and value != focus
                                 and not isinstance(value, Literal) else []), *linking]
    claimants: list[Node] = []
    sources: set[str] = set()
    for node in resting:
        for p, o in facts.predicate_objects(node):
            if p in CLAIM_PREDICATES:
                claimants.append(o)
            elif p in SOURCE_PREDICATES and not isinstance(o, BNode):
                sources.add(str(o))
    if claimants:
        evidence = ALLEGED
    elif all(_stated(facts, absence_nodes, term, inverse) for term, inverse in rule.absences):
        evidence = ESTABLISHED
    else:
        evidence = UNRECORDED
    unique = tuple(sorted(dict.fromkeys(claimants), key=str))
    return Judgement(evidence, unique, tuple(sorted(sources)))


def _stated(facts: Facts, nodes: list[Node], term: URIRef, inverse: bool) -> bool:
    """Whether the data state the absence of ``term`` on one of the nodes: jg:noValue names
    it, or a value is recorded (which the shape then found wanting, e.g. false)."""
    for node in nodes:
        own = facts.predicate_objects(node)
        if (JG.noValue, term) in own:
            return True
        if (JG.unknownValue, term) in own:
            continue
        if inverse:
            if facts.pointing(node, term):
                return True
        elif any(p == term for p, _o in own):
            return True
    return False
