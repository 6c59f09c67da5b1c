"""The queries of the bundled catalogue, translated once and kept on disk from one run to the next.

Translating the shapes into queries takes about 22 ms of every run (of about 0.35 s for a
region of ten thousand decisions). The queries depend only on the shapes files and the code
that translates them, so a run keeps them in the cache folder
(:func:`jeugdgov.validation.fast.cache.cache_dir`) with the digest of the shapes they came from,
and the next run whose shapes have that digest reads them back. The shapes' blank nodes have the
same names in every run (:func:`jeugdgov.resources.shapes`), so the queries read back name the
nodes of the graph read now. Like the other caches this is an optimisation only: a missing,
unreadable, unwritable or outdated file means translating again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib import BNode, Node, URIRef

from jeugdgov import resources
from jeugdgov.errors import InputError
from jeugdgov.output import atomic_write
from jeugdgov.validation.fast import translate as translation_code
from jeugdgov.validation.fast.cache import cache_dir, keep_only
from jeugdgov.validation.fast.translate import FocusFirst, ShapeQuery, Translation

_CODE = (Path(translation_code.__file__), Path(translation_code.__file__).with_name("query_check.py"),
         Path(resources.__file__), Path(__file__))
#: Changes with the code that reads the shapes (and names their nodes) and translates them,
#: and with the libraries it uses.
VERSION = hashlib.sha256(b"".join(path.read_bytes() for path in _CODE)
                         + f"{rdflib.__version__} {ox.__version__}".encode()).hexdigest()[:16]


def kept_translation(translate: Callable[[], Translation]) -> Translation:
    """The catalogue's translation as kept for its shapes' digest, else ``translate()`` (kept for
    the next run)."""
    digest = resources.shapes_digest()
    path = cache_dir() / f"translation-{VERSION}.json"
    try:
        kept = json.loads(path.read_text())
        if kept["shapes"] == digest:
            return _decoded(kept["translation"])
    except Exception:  # whatever is wrong with a kept file, translating again mends it
        pass
    translation = translate()
    try:
        text = json.dumps({"shapes": digest, "translation": _encoded(translation)})
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, lambda temporary: temporary.write_text(text))
        keep_only(path)
    except (OSError, InputError, TypeError):
        pass  # a translation that cannot be kept is only made again next time
    return translation


def _encoded(translation: Translation) -> dict[str, object]:
    return {"queries": [[_term(q.source), _term(q.component), _term(q.severity), q.text, _term(q.path),
                         _term(q.constraint), q.value_is_focus, q.prefixes,
                         [q.focus_first.query, q.focus_first.text] if q.focus_first else None]
                        for q in translation.queries],
            "untranslatable": [[_term(shape), why] for shape, why in translation.untranslatable.items()]}


def _decoded(kept: dict[str, list[list]]) -> Translation:
    queries = [ShapeQuery(source=_node(source), component=URIRef(component[1:-1]), severity=_node(severity),
                          text=text, path=_optional(path), constraint=_optional(constraint),
                          value_is_focus=value_is_focus, prefixes=prefixes,
                          focus_first=FocusFirst(*first) if first else None)
               for source, component, severity, text, path, constraint, value_is_focus, prefixes, first
               in kept["queries"]]
    return Translation(queries, {_node(shape): why for shape, why in kept["untranslatable"]})


def _term(node: Node | None) -> str | None:
    if node is None:
        return None
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, BNode):
        return f"_:{node}"
    raise TypeError(f"not kept: {node!r}")  # no shape names a literal here; were one to, it is not kept


def _node(text: str) -> Node:
    return URIRef(text[1:-1]) if text.startswith("<") else BNode(text[2:])


def _optional(text: str | None) -> Node | None:
    return None if text is None else _node(text)
