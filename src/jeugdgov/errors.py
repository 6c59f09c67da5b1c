"""The one error type users see: bad input, reported with where it is and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class InputError(Exception):
    """Input jeugdgov cannot use. Rendered as ``file:line: problem (hint)``; exit code 2."""

    problem: str
    file: Path | str | None = None
    line: int | None = None
    hint: str | None = None

    def __str__(self) -> str:
        return self.text()

    def text(self, hint_word: str = "hint") -> str:
        """The message, its hint introduced by ``hint_word`` (the word in the reader's language)."""
        where = ""
        if self.file is not None:
            where = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        text = f"{where}{self.problem}"
        if self.hint:
            text += f"\n  {hint_word}: {self.hint}"
        return text
