"""Consistency of the ontology with a setup under the HermiT OWL 2 DL reasoner (via owlready2).

HermiT runs on Java. Dates (xsd:date) are outside the OWL 2 datatype map, so HermiT is told
to ignore unsupported datatypes: date values are checked by the SHACL shapes instead.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from rdflib import Graph

from jeugdgov.resources import ontology


class ReasonerUnavailable(RuntimeError):
    """The reasoner cannot run on this machine (no owlready2, or no Java)."""


class Inconsistent(Exception):
    """The ontology together with the data has no model."""


def check_consistency(data: Graph | None = None) -> None:
    """Raise :class:`Inconsistent` if the ontology (plus ``data``) is inconsistent under HermiT.

    owlready2 (which ships HermiT) is installed with the test extra only: the check serves the
    ontology's tests, no command runs it."""
    try:
        import owlready2
    except ImportError:
        raise ReasonerUnavailable("the consistency check needs owlready2, which ships the HermiT reasoner: "
                                  "pip install 'jeugdgov[test]' (or pip install owlready2)") from None

    if shutil.which(owlready2.JAVA_EXE) is None and shutil.which("java") is None:
        raise ReasonerUnavailable(
            "the consistency check needs Java for the HermiT reasoner; install a Java runtime "
            "(for example Debian's default-jre-headless) and make `java` available on PATH")
    if shutil.which(owlready2.JAVA_EXE) is None:
        owlready2.JAVA_EXE = shutil.which("java")
    merged = Graph()
    merged += ontology()
    if data is not None:
        merged += data
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "merged.nt"
        merged.serialize(path, format="nt", encoding="utf-8")
        world = owlready2.World()
        with path.open("rb") as stream:
            world.get_ontology("http://jeugdgov.invalid/merged").load(fileobj=stream, format="ntriples")
        try:
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0,
                                           ignore_unsupported_datatypes=True)
        except owlready2.OwlReadyInconsistentOntologyError as error:
            raise Inconsistent(str(error) or "HermiT found the ontology inconsistent") from None
        finally:
            world.close()
