"""Limits on input files, checked the same way before rdflib or pyoxigraph reads a file.

Both parsers trust their input more than a validator of other people's files can: an RDF/XML
document type declaration can expand a kilobyte into gigabytes of entities, a JSON-LD
``@context`` given as a URL makes rdflib fetch it from the network, and a huge file or literal
takes memory and time out of proportion to any governance setup. Each is refused with a
message saying what to change, before the parser sees the file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from jeugdgov.errors import InputError

#: Two GiB of N-Triples is some 14 million triples, about 10 GB in a validation store: more
#: than any region's setup, and about what a machine with 16 GB of memory validates.
DEFAULT_MAX_FILE_BYTES = 2 * 1024**3
#: One MiB of text is a book; a governance setup's longest literal is a paragraph.
DEFAULT_MAX_LITERAL_CHARS = 1024**2
#: pyoxigraph's parsers keep one token (an IRI or a literal) in a buffer of at most this size.
PARSER_TOKEN_BYTES = 16 * 1024**2

XML_SUFFIXES = (".rdf", ".owl")
JSON_LD_SUFFIXES = (".jsonld", ".json")


@dataclass(frozen=True)
class Limits:
    """The largest file (bytes) and literal (characters) jeugdgov reads."""

    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    max_literal_chars: int = DEFAULT_MAX_LITERAL_CHARS

    def __post_init__(self) -> None:
        if self.max_file_bytes < 1:
            raise InputError(f"--max-file-size must be at least 1, not {self.max_file_bytes}")
        if self.max_literal_chars < 1:
            raise InputError(f"--max-literal must be at least 1, not {self.max_literal_chars}")


DEFAULT_LIMITS = Limits()


def check_file(path: Path, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse a file that is too large, an RDF/XML file with a DTD, or JSON-LD with a remote context."""
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise InputError(f"the file has {size:,} bytes, more than the limit of {limits.max_file_bytes:,}",
                         file=path, hint="split it into one file per setup, or raise the limit with "
                         "--max-file-size BYTES")
    suffix = path.suffix.lower()
    if suffix in XML_SUFFIXES and declares_dtd(path):
        raise InputError("the RDF/XML file declares a document type (<!DOCTYPE> or <!ENTITY>); jeugdgov "
                         "does not expand entities", file=path,
                         hint="expand the entities in the file, or convert it to Turtle")
    if suffix in JSON_LD_SUFFIXES:
        _refuse_remote_contexts(path)


def may_hold_long_literal(path: Path, limits: Limits = DEFAULT_LIMITS) -> bool:
    """Whether a file is large enough to hold a literal over the limit (each character takes a byte or more)."""
    return path.stat().st_size > limits.max_literal_chars


def check_literal_lengths(path: Path, lengths: Iterable[tuple[str, int]], limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse the first literal (given as the subject it describes and its length) over the limit."""
    for subject, length in lengths:
        if length > limits.max_literal_chars:
            raise too_long_literal(path, subject, length, limits)


def too_long_literal(path: Path, subject: str, length: int, limits: Limits) -> InputError:
    return InputError(f"a literal of {subject} has {length:,} characters, more than the limit of "
                      f"{limits.max_literal_chars:,}", file=path,
                      hint="shorten it, or raise the limit with --max-literal CHARACTERS")


def too_long_token(path: Path) -> InputError:
    """What a parser's MemoryError on one token means for the user."""
    return InputError(f"an IRI or literal is longer than the parser can read ({PARSER_TOKEN_BYTES // 1024**2} MiB)",
                      file=path, hint="shorten it: no IRI or text of a governance setup is that long")


_PROLOG_ITEM = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->)", re.DOTALL)
_PROLOG_CHUNK = 1 << 20


def declares_dtd(path: Path) -> bool:
    """Whether an XML file declares a document type: in its prolog, before the root element."""
    with path.open("rb") as stream:
        head = stream.read(_PROLOG_CHUNK)
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            head = head.decode("utf-16", errors="replace").encode("utf-8")
        head = head.removeprefix(b"\xef\xbb\xbf")
        position = 0
        while match := _PROLOG_ITEM.match(head, position):
            if match.end() == position:
                break
            position = match.end()
        rest = head[position:].lstrip()
        if rest.upper().startswith((b"<!DOCTYPE", b"<!ENTITY")):
            return True
        if rest:
            return False
        # The prolog is longer than the first chunk (a very long comment): look through the file.
        tail = head[-16:]
        while chunk := stream.read(_PROLOG_CHUNK):
            window = (tail + chunk).upper()
            if b"<!DOCTYPE" in window or b"<!ENTITY" in window:
                return True
            tail = chunk[-16:]
    return False


def _refuse_remote_contexts(path: Path) -> None:
    try:
        document = json.loads(path.read_bytes())
        references = [r for r in map(_reference_in, _contexts(document)) if r is not None]
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
        return  # the parser names the syntax error
    for reference in references[:1]:
        raise InputError(f"the JSON-LD @context refers to another document ({reference}); jeugdgov "
                         "reads no documents from the network or other files", file=path,
                         hint="inline the context: put the JSON of that context in the file as the "
                         "value of @context")


def _contexts(value: object) -> Iterator[object]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "@context":
                yield item
            yield from _contexts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _contexts(item)


def _reference_in(context: object) -> str | None:
    """A context given by reference: a string, a string in a list, or an @import."""
    if isinstance(context, str):
        return context
    if isinstance(context, list):
        return next((item for item in context if isinstance(item, str)), None)
    if isinstance(context, dict) and isinstance(context.get("@import"), str):
        return context["@import"]
    return None
