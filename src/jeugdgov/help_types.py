"""The type column of ``--help`` in words, in the language of the help.

typer prints Python's types there: ``<list[Path]>``, ``<str>``, and ``<bool>`` beside every flag,
in English in the Dutch help too. The words are click's own (PATH, TEXT, INTEGER) and their Dutch;
a flag shows none, and a choice stays as typer shows it (``<text|json|turtle>``).

Imported only when help is shown, so that the commands start no slower.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

#: typer's type strings and what the help shows instead, per language.
WORDS = {
    "en": {"<path>": "PATH", "<list[Path]>": "PATH...", "<str>": "TEXT", "<list[str]>": "TEXT...",
           "<int>": "INTEGER", "<int range>": "INTEGER", "<float>": "NUMBER", "<%Y-%m-%d>": "YYYY-MM-DD"},
    "nl": {"<path>": "PAD", "<list[Path]>": "PAD...", "<str>": "TEKST", "<list[str]>": "TEKST...",
           "<int>": "GETAL", "<int range>": "GETAL", "<float>": "GETAL", "<%Y-%m-%d>": "JJJJ-MM-DD"},
}


def plain_types(command: Any, lang: str) -> None:
    """On a click command tree (``typer.main.get_group(app)``): each parameter's type in words,
    the ``--help`` option's too (made when the help is shown)."""
    words = WORDS[lang]
    for parameter in command.params:
        parameter.display_type_rich = _in_words(parameter, words)
    help_option = command.get_help_option

    def get_help_option(context: Any) -> Any:
        option = help_option(context)
        if option is not None:
            option.display_type_rich = _in_words(option, words)
        return option

    command.get_help_option = get_help_option
    for sub in getattr(command, "commands", {}).values():
        plain_types(sub, lang)


def _in_words(parameter: Any, words: dict[str, str]) -> Callable[[Any], str | None]:
    typed = parameter.display_type_rich

    def shown(ctx: Any) -> str | None:  # as typer calls it
        if getattr(parameter, "is_flag", False):
            return None
        text = typed(ctx)
        return None if text is None else words.get(text, text)

    return shown
