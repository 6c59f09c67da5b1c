"""A command line that cannot be parsed (an option missing, a value of the wrong kind, an
unknown command) as an InputError in Dutch and English, with the hint to ask for --help.

click (which typer vendors in recent versions) writes these errors in English only; each kind
of error it raises is said here again from what the exception holds: the parameter, the option
named, and the value and what was expected, which its message quotes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import typer

from jeugdgov.errors import InputError

#: The base of click's errors, whether typer brings its own click or uses the package.
CLICK_ERROR: type[Exception] = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")


def usage_error(error: Exception, arguments: Sequence[str] = ()) -> InputError:
    """What was wrong with the command line (``arguments``, for an error that does not name its
    command), in both languages."""
    context = getattr(error, "ctx", None)
    named = next((a for a in arguments[:1] if not a.startswith("-")), None)
    command = context.command_path if context is not None else " ".join(filter(None, ("jeugdgov", named)))
    en_hint, nl_hint = f"`{command} --help` lists its arguments and options", \
        f"`{command} --help` noemt de argumenten en opties"
    message = error.format_message()  # type: ignore[attr-defined]
    kind = type(error).__name__
    param = getattr(error, "param", None)
    option = getattr(error, "option_name", None)
    choices = _choices(message)
    if choices:
        en_hint, nl_hint = f"choose from: {choices}", f"kies uit: {choices}"
    if kind == "MissingParameter" and param is not None:
        name = _name(param)
        if param.param_type_name == "argument":
            return InputError(f"missing argument {name}", hint=en_hint, nl=(f"het argument {name} ontbreekt", nl_hint))
        return InputError(f"missing option {name}", hint=en_hint, nl=(f"de optie {name} ontbreekt", nl_hint))
    if kind == "NoSuchOption":
        similar = ", ".join(sorted(getattr(error, "possibilities", None) or ()))
        return InputError(f"no such option {option}", hint=f"did you mean {similar}? {en_hint}" if similar else en_hint,
                          nl=(f"onbekende optie {option}", f"bedoelt u {similar}? {nl_hint}" if similar else nl_hint))
    if kind == "BadOptionUsage" and "requires" in message:
        return InputError(f"option {option} needs a value", hint=en_hint,
                          nl=(f"de optie {option} heeft een waarde nodig", nl_hint))
    if kind == "BadOptionUsage" and "does not take" in message:
        return InputError(f"option {option} takes no value", hint=en_hint,
                          nl=(f"de optie {option} neemt geen waarde", nl_hint))
    if kind == "BadParameter" and param is not None:
        name = _name(param)
        value = re.search(r"'([^']*)' (?:is not|does not)", message)
        given = f": '{value.group(1)}'" if value else ""
        expected = _expected(message)
        if expected:
            en_hint, nl_hint = f"give {expected[0]}", f"geef {expected[1]}"
        return InputError(f"not a valid value for {name}{given}", hint=en_hint,
                          nl=(f"geen geldige waarde voor {name}{given}", nl_hint))
    extra = re.match(r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)", message)
    if extra:
        return InputError(f"unexpected argument(s): {extra.group(1)}", hint=en_hint,
                          nl=(f"onverwachte argumenten: {extra.group(1)}", nl_hint))
    unknown = re.match(r"No such command '([^']*)'(?:\. Did you mean '([^']*)'\?)?", message)
    if unknown and context is not None:
        commands = ", ".join(context.command.list_commands(context))
        name, close = unknown.groups()
        return InputError(f"no such command '{name}'" + (f"; did you mean '{close}'?" if close else ""),
                          hint=f"choose from: {commands}",
                          nl=(f"onbekende opdracht '{name}'" + (f"; bedoelde u '{close}'?" if close else ""),
                              f"kies uit: {commands}"))
    # A kind of error not met so far: its own words, introduced in Dutch.
    return InputError(message, hint=en_hint, nl=(f"de opdrachtregel klopt niet: {message}", nl_hint))


def _name(param: object) -> str:
    opts = getattr(param, "opts", None) or []
    if getattr(param, "param_type_name", "") == "option" and opts:
        return str(opts[0])
    return (getattr(param, "name", None) or "").upper()


def _choices(message: str) -> str | None:
    """The values a message says to choose from ('x' is not one of 'a', 'b'; Choose from: a, b)."""
    found = re.search(r"is not one of (.*?)\.?$|Choose from:\s*(.*)$", message, re.DOTALL)
    if not found:
        return None
    listed = found.group(1) or found.group(2)
    return ", ".join(v.strip(" '\t\n") for v in listed.split(",") if v.strip(" '\t\n"))


def _expected(message: str) -> tuple[str, str] | None:
    """What a value should have been, in English and Dutch, as a message says it."""
    at_least = re.search(r"greater than or equal to (\S+)|x>=(\S+)", message)
    at_most = re.search(r"less than or equal to (\S+)|x<=(\S+)", message)
    if at_least or at_most:
        bounds = [(f"at least {m.group(1) or m.group(2)}", f"ten minste {m.group(1) or m.group(2)}")
                  for m in (at_least,) if m] + \
                 [(f"at most {m.group(1) or m.group(2)}", f"ten hoogste {m.group(1) or m.group(2)}")
                  for m in (at_most,) if m]
        return "a number, " + " and ".join(e for e, _ in bounds), "een getal, " + " en ".join(n for _, n in bounds)
    if "format" in message and "%Y-%m-%d" in message:
        return "a date as YYYY-MM-DD", "een datum als JJJJ-MM-DD"
    if "integer" in message:
        return "a whole number", "een geheel getal"
    if "number" in message or "float" in message:
        return "a number", "een getal"
    return None
