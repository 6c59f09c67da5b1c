"""The one error type users see: bad input, reported with where it is and how to fix it."""

from __future__ import annotations

from dataclasses import InitVar, dataclass, field
from pathlib import Path


@dataclass
class InputError(Exception):
    """Input jeugdgov cannot use. Rendered as ``file:line: problem (hint)``; exit code 2."""

    problem: str
    file: Path | str | None = None
    line: int | None = None
    hint: str | None = None
    #: The problem and hint in other languages (``problem`` and ``hint`` are English), by language.
    said: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    #: The problem and hint in Dutch, written beside the English where the error is raised.
    nl: InitVar[tuple[str, str | None] | None] = None

    def __post_init__(self, nl: tuple[str, str | None] | None) -> None:
        if nl is not None:
            self.said["nl"] = nl

    def __str__(self) -> str:
        return self.text()

    def said_in(self, lang: str) -> tuple[str, str | None]:
        """The problem and hint in a language (English when not said in it): to build on."""
        return self.said.get(lang, (self.problem, self.hint))

    def text(self, hint_word: str = "hint", lang: str = "en") -> str:
        """The message in a language it is said in (else English), its hint introduced by
        ``hint_word`` (the word in the reader's language)."""
        problem, hint = self.said_in(lang)
        where = ""
        if self.file is not None:
            where = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        text = f"{where}{problem}"
        if hint:
            text += f"\n  {hint_word}: {hint}"
        return text


def cannot_write(path: Path, error: OSError) -> InputError:
    """What a failed write of an output (a folder missing or read-only, a full disk) means for
    the user; nothing was written in its place."""
    return InputError(f"cannot write it: {error.strerror or error}; nothing was written", file=path,
                      hint="check that the folder exists and may be written to, and that the disk has room",
                      nl=(f"kan het niet schrijven: {error.strerror or error}; er is niets geschreven",
                          "kijk of de map bestaat en beschrijfbaar is, en of de schijf ruimte heeft"))
