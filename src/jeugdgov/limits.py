"""Limits on input files, checked the same way before rdflib or pyoxigraph reads a file.

Both parsers trust their input more than a validator of other people's files can: an RDF/XML
document type declaration can expand a kilobyte into gigabytes of entities, a JSON-LD
``@context`` given as a URL (or an ``@import``) makes rdflib fetch it from the network, JSON
nested some thousands of levels deep overflows the parser's stack, a small workbook can unpack
to millions of cells, a named pipe blocks its reader for ever, and a huge file or literal
takes memory and time out of proportion to any governance setup. Each is refused with a
message saying what to change, before the parser sees the file: every command reads its files
through :func:`check_file` (and workbooks through :func:`check_workbook`).
"""

from __future__ import annotations

import codecs
import json
import re
import stat
import xml.parsers.expat
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from jeugdgov.errors import InputError

#: Two GiB of N-Triples is some 14 million triples, about 10 GB in a validation store: more
#: than any region's setup, and about what a machine with 16 GB of memory validates.
DEFAULT_MAX_FILE_BYTES = 2 * 1024**3
#: One MiB of text is a book; a governance setup's longest literal is a paragraph.
DEFAULT_MAX_LITERAL_CHARS = 1024**2
#: pyoxigraph's parsers keep one token (an IRI or a literal) in a buffer of at most this size.
PARSER_TOKEN_BYTES = 16 * 1024**2

#: JSON-LD of a governance setup nests a dozen levels; rdflib's parser recurses per level (3,000
#: levels took 1.9 GB, 4,000 overflowed the stack)
MAX_JSON_DEPTH = 100
#: RDF/XML likewise nests a dozen elements deep; pyoxigraph's parser takes time quadratic in the
#: depth (20,000 levels: 30 s)
MAX_XML_DEPTH = 100
#: a setup's workbook has some thousands of cells; openpyxl holds each (twice) in memory
MAX_WORKBOOK_CELLS = 1_000_000
#: and unpacks to a few megabytes: its sheets are read whole
MAX_WORKBOOK_UNPACKED = 256 * 1024**2

XML_SUFFIXES = (".rdf", ".owl")
#: Formats with one statement a line, without line breaks inside a literal.
LINE_SUFFIXES = (".nt", ".nq")
JSON_LD_SUFFIXES = (".jsonld", ".json")


@dataclass(frozen=True)
class Limits:
    """The largest file (bytes) and literal (characters) jeugdgov reads."""

    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    max_literal_chars: int = DEFAULT_MAX_LITERAL_CHARS

    def __post_init__(self) -> None:
        if self.max_file_bytes < 1:
            raise InputError(f"--max-file-size must be at least 1, not {self.max_file_bytes}",
                             nl=(f"--max-file-size moet ten minste 1 zijn, niet {self.max_file_bytes}", None))
        if self.max_literal_chars < 1:
            raise InputError(f"--max-literal must be at least 1, not {self.max_literal_chars}",
                             nl=(f"--max-literal moet ten minste 1 zijn, niet {self.max_literal_chars}", None))


DEFAULT_LIMITS = Limits()


def check_file(path: Path, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse what is no regular file, a file that is too large, an RDF/XML file with a DTD, or
    JSON-LD nested too deep or with a remote context."""
    check_regular(path)
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise InputError(f"the file has {size:,} bytes, more than the limit of {limits.max_file_bytes:,}",
                         file=path, hint="split it into one file per setup, or raise the limit with "
                         "--max-file-size BYTES",
                         nl=(f"het bestand heeft {size:,} bytes, meer dan de grens van {limits.max_file_bytes:,}",
                             "splits het in één bestand per inrichting, of verhoog de grens met --max-file-size "
                             "BYTES"))
    suffix = path.suffix.lower()
    if suffix in XML_SUFFIXES and declares_dtd(path):
        raise InputError("the RDF/XML file declares a document type (<!DOCTYPE> or <!ENTITY>); jeugdgov "
                         "does not expand entities", file=path,
                         hint="expand the entities in the file, or convert it to Turtle",
                         nl=("het RDF/XML-bestand declareert een documenttype (<!DOCTYPE> of <!ENTITY>); jeugdgov "
                             "breidt geen entiteiten uit", "werk de entiteiten in het bestand uit, of zet het om "
                             "naar Turtle"))
    if suffix in XML_SUFFIXES and xml_depth_over(path, MAX_XML_DEPTH):
        raise InputError(f"the XML nests more than {MAX_XML_DEPTH} elements deep", file=path,
                         hint="flatten it (rdf:nodeID or rdf:about instead of nesting), or convert it to Turtle",
                         nl=(f"de XML nest meer dan {MAX_XML_DEPTH} elementen diep", "maak het vlakker (rdf:nodeID "
                             "of rdf:about in plaats van nesten), of zet het om naar Turtle"))
    if suffix in JSON_LD_SUFFIXES:
        _check_json_ld(path)


def check_regular(path: Path) -> None:
    """Refuse a named pipe, device or socket: reading one may block for ever or never end."""
    mode = path.stat().st_mode
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        fifo = stat.S_ISFIFO(mode)
        kind = "a named pipe (FIFO)" if fifo else "a device or socket"
        raise InputError(f"the path is {kind}, not a file", file=path,
                         hint="save the data to a file and give its path",
                         nl=(f"het pad is {'een named pipe (FIFO)' if fifo else 'een apparaat of socket'}, "
                             "geen bestand", "sla de gegevens op in een bestand en geef het pad"))


def may_hold_long_literal(path: Path, limits: Limits = DEFAULT_LIMITS) -> bool:
    """Whether a file may hold a literal over the limit: it is large enough (each character takes
    a byte or more) and, in N-Triples or N-Quads (a statement a line), has a line that long.
    Reading the lines costs a tenth of looking at every literal of a national setup."""
    if path.stat().st_size <= limits.max_literal_chars:
        return False
    if path.suffix.lower() not in LINE_SUFFIXES:
        return True
    with path.open("rb") as stream:
        return _longest_line_at_least(stream, limits.max_literal_chars)


def _longest_line_at_least(stream: BinaryIO, length: int) -> bool:
    """Whether a line (newline not counted) has ``length`` bytes or more, read a megabyte at a
    time: a Python loop over the lines of a national setup took a tenth of its validation."""
    partial = 0  # bytes of the line the previous chunk ended in
    while chunk := stream.read(1 << 20):
        first, last = chunk.find(b"\n"), chunk.rfind(b"\n")
        if first < 0:
            partial += len(chunk)
        else:
            if partial + first >= length:
                return True
            if last - first > length and max(map(len, chunk[first + 1:last].split(b"\n"))) >= length:
                return True
            partial = len(chunk) - last - 1
        if partial >= length:
            return True
    return False


def check_literal_lengths(path: Path, lengths: Iterable[tuple[str, int]], limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse the first literal (given as the subject it describes and its length) over the limit."""
    for subject, length in lengths:
        if length > limits.max_literal_chars:
            raise too_long_literal(path, subject, length, limits)


def too_long_literal(path: Path, subject: str, length: int, limits: Limits) -> InputError:
    return InputError(f"a literal of {subject} has {length:,} characters, more than the limit of "
                      f"{limits.max_literal_chars:,}", file=path,
                      hint="shorten it, or raise the limit with --max-literal CHARACTERS",
                      nl=(f"een literal van {subject} heeft {length:,} tekens, meer dan de grens van "
                          f"{limits.max_literal_chars:,}", "maak het korter, of verhoog de grens met --max-literal "
                          "TEKENS"))


def too_long_token(path: Path) -> InputError:
    """What a parser's MemoryError on one token means for the user."""
    return InputError(f"an IRI or literal is longer than the parser can read ({PARSER_TOKEN_BYTES // 1024**2} MiB)",
                      file=path, hint="shorten it: no IRI or text of a governance setup is that long",
                      nl=(f"een IRI of literal is langer dan de parser kan lezen ({PARSER_TOKEN_BYTES // 1024**2} "
                          "MiB)", "maak het korter: geen IRI of tekst van een inrichting is zo lang"))


_DTD = re.compile("<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_CHUNK = 1 << 20
#: byte patterns of "<" or "<?" at the start of an XML file without a byte order mark (XML 1.0, appendix F)
_UNMARKED = ((b"\x00\x00\x00<", "utf-32-be"), (b"<\x00\x00\x00", "utf-32-le"), (b"\x00<", "utf-16-be"),
             (b"<\x00", "utf-16-le"))
_DECLARED = re.compile(rb"""^<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def declares_dtd(path: Path) -> bool:
    """Whether an XML file declares a document type or an entity anywhere, in the text as an
    XML parser decodes it (a byte order mark, UTF-16 or UTF-32 without one, the declared
    encoding), and as UTF-8 and UTF-16 besides: whatever a parser takes the bytes for."""
    with path.open("rb") as stream:
        head = stream.read(256)
    encodings = {_encoding_of(head), "utf-8", "utf-16-le", "utf-16-be"}
    return any(_holds_dtd(path, encoding) for encoding in encodings)


def _encoding_of(head: bytes) -> str:
    for mark, encoding in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                           (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                           (codecs.BOM_UTF16_BE, "utf-16")):
        if head.startswith(mark):
            return encoding
    stripped = head.lstrip(b" \t\r\n")
    for start, encoding in _UNMARKED:
        if head.startswith(start) or stripped.startswith(start):
            return encoding
    if (declared := _DECLARED.match(stripped)) is not None:
        try:
            return codecs.lookup(declared[1].decode("ascii")).name
        except LookupError:
            pass
    return "utf-8"


def _holds_dtd(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    tail = ""
    with path.open("rb") as stream:
        while True:
            chunk = stream.read(_CHUNK)
            text = tail + decoder.decode(chunk, final=not chunk)
            if _DTD.search(text):
                return True
            if not chunk:
                return False
            tail = text[-16:]


class _TooDeep(Exception):
    pass


def xml_depth_over(path: Path, limit: int) -> bool:
    """Whether an XML file (with no DTD: see :func:`declares_dtd`) nests elements deeper than
    ``limit``, read by expat in linear time; a malformed file is left to the RDF parser."""
    parser = xml.parsers.expat.ParserCreate()
    depth = 0

    def opened(*_args: object) -> None:
        nonlocal depth
        depth += 1
        if depth > limit:
            raise _TooDeep

    def closed(*_args: object) -> None:
        nonlocal depth
        depth -= 1

    parser.StartElementHandler, parser.EndElementHandler = opened, closed
    try:
        with path.open("rb") as stream:
            parser.ParseFile(stream)
    except _TooDeep:
        return True
    except xml.parsers.expat.ExpatError:
        return False
    return False


def _check_json_ld(path: Path) -> None:
    text = path.read_bytes().decode("utf-8", errors="replace")
    if json_depth(text) > MAX_JSON_DEPTH:
        raise InputError(f"the JSON nests more than {MAX_JSON_DEPTH} levels deep", file=path,
                         hint="flatten it: a governance setup needs a dozen levels at most",
                         nl=(f"de JSON nest meer dan {MAX_JSON_DEPTH} niveaus diep",
                             "maak het vlakker: een inrichting heeft hooguit een stuk of twaalf niveaus nodig"))
    try:
        document = json.loads(text)
    except json.JSONDecodeError:
        return  # the parser names the syntax error
    for reference in [r for context in _contexts(document) for r in _references_in(context)][:1]:
        raise InputError(f"the JSON-LD @context refers to another document ({reference}); jeugdgov "
                         "reads no documents from the network or other files", file=path,
                         hint="inline the context: put the JSON of that context in the file as the "
                         "value of @context",
                         nl=(f"de @context van de JSON-LD verwijst naar een ander document ({reference}); "
                             "jeugdgov leest geen documenten van het netwerk of uit andere bestanden",
                             "neem de context op: zet de JSON van die context in het bestand als waarde van "
                             "@context"))


_JSON_NESTING = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def json_depth(text: str) -> int:
    """How deep a JSON text nests arrays and objects (brackets in strings not counted)."""
    depth = deepest = 0
    for match in _JSON_NESTING.finditer(text):
        bracket = match.group()
        if bracket in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif bracket in "]}":
            depth -= 1
    return deepest


def _contexts(value: object) -> Iterator[object]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "@context":
                yield item
            yield from _contexts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _contexts(item)


def _references_in(context: object) -> list[str]:
    """Contexts given by reference: a string, strings in a list, an @import (also in a list)."""
    if isinstance(context, str):
        return [context]
    if isinstance(context, list):
        return [reference for item in context for reference in _references_in(item)]
    if isinstance(context, dict) and isinstance(context.get("@import"), str):
        return [context["@import"]]
    return []


def check_workbook(path: Path, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse an .xlsx or .ods file that unpacks to more than :data:`MAX_WORKBOOK_UNPACKED` bytes
    (or the file limit) or holds more than :data:`MAX_WORKBOOK_CELLS` cells, counted in its
    sheets before any is read."""
    most = min(MAX_WORKBOOK_UNPACKED, limits.max_file_bytes)
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            if unpacked > most:
                raise InputError(f"the workbook unpacks to {unpacked:,} bytes, more than the limit of {most:,}",
                                 file=path, hint="a governance setup's workbook unpacks to a few megabytes; split "
                                 "it into several workbooks, or raise the limit with --max-file-size BYTES",
                                 nl=(f"het werkboek pakt uit tot {unpacked:,} bytes, meer dan de grens van {most:,}",
                                     "het werkboek van een inrichting pakt uit tot een paar megabytes; splits het "
                                     "in meerdere werkboeken, of verhoog de grens met --max-file-size BYTES"))
            cells = sum(_cells_in(archive, info) for info in archive.infolist()
                        if info.filename.startswith("xl/worksheets/") or info.filename == "content.xml")
    except (zipfile.BadZipFile, OSError, EOFError):
        raise InputError("the file is not a spreadsheet (not a zip archive, as .xlsx and .ods files are)",
                         file=path, hint="save it again from the spreadsheet program as .xlsx or .ods",
                         nl=("het bestand is geen spreadsheet (geen zip-archief, zoals .xlsx- en .ods-bestanden)",
                             "sla het opnieuw op vanuit het spreadsheetprogramma als .xlsx of .ods")) from None
    if cells > MAX_WORKBOOK_CELLS:
        raise InputError(f"the workbook has {cells:,} cells, more than the limit of {MAX_WORKBOOK_CELLS:,}",
                         file=path, hint="a governance setup's workbook has some thousands; remove the rest",
                         nl=(f"het werkboek heeft {cells:,} cellen, meer dan de grens van {MAX_WORKBOOK_CELLS:,}",
                             "het werkboek van een inrichting heeft er enkele duizenden; verwijder de rest"))


_CELL = re.compile(rb"<(?:[A-Za-z]\w*:)?(?:c|table-cell)[\s/>]")


def _cells_in(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> int:
    count, tail = 0, b""
    with archive.open(info) as stream:
        while chunk := stream.read(_CHUNK):
            window = tail + chunk
            count += len(_CELL.findall(window)) - len(_CELL.findall(tail))
            tail = window[-32:]
    return count
