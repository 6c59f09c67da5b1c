"""The ``%%sparql`` magic for Jupyter: ``%load_ext jeugdgov``, then::

    %%sparql --source reports --out roles
    PREFIX jg: <https://w3id.org/jeugdgov/def#>
    SELECT ?assignment ?agent WHERE { ?assignment a jg:RoleAssignment ; jg:agent ?agent }

    %sparql findings --source reports lang=en --out findings    # a named query, with parameters

The cell holds SPARQL text, or a named query's name; ``KEY=VALUE`` words are that query's
parameters. ``--source`` is a variable of the notebook (a setup, a list of files, a pyoxigraph
store, validation reports), a file or folder, or an endpoint's URL; without it the bundled data.
The result shows as a table; ``--out NAME`` also keeps it, a DataFrame, in the variable NAME.
Bad input is one line naming what is wrong, never a traceback, in Dutch (``--lang en``: English).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from IPython.core.magic import Magics, line_cell_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments
from IPython.utils.process import arg_split
from pyoxigraph import Store

from jeugdgov.errors import InputError
from jeugdgov.messages import language_of, say
from jeugdgov.notebook import QuerySource, result_frame, run_text
from jeugdgov.setups import Setup
from jeugdgov.sparql.library import library, resolve

if TYPE_CHECKING:
    from IPython.core.interactiveshell import InteractiveShell
    from pandas import DataFrame


@magics_class
class SparqlMagics(Magics):
    @magic_arguments()
    @argument("words", nargs="*", help="line form: a named query's name; then its parameters as KEY=VALUE")
    @argument("--source", "-s", help="a variable of the notebook, a file or folder, or an endpoint's URL "
                                     "(default: the bundled data)")
    @argument("--out", "-o", help="keep the result, a DataFrame, in this variable")
    @argument("--lang", "-l", choices=("nl", "en"), default="nl", help="the language of messages (default nl)")
    @line_cell_magic
    def sparql(self, line: str, cell: str | None = None) -> DataFrame | None:
        """Run SPARQL (the cell) or a named query (by name, with KEY=VALUE parameters) and show
        the result as a table."""
        lang = language_of(arg_split(line))  # also for a line the parser refuses
        try:
            # options and KEY=VALUE words in any order (argparse alone takes no word after an option)
            arguments = self.sparql.parser.parse_intermixed_args(arg_split(line))
            if arguments.out is not None and not arguments.out.isidentifier():
                raise InputError(f"--out {arguments.out}: not a variable name", hint="--out findings, say",
                                 nl=(f"--out {arguments.out}: geen naam van een variabele",
                                     "bijvoorbeeld --out bevindingen"))
            result = self._run(arguments.words, cell, self._source(arguments.source))
        except InputError as error:
            print(f"{say('error', lang)}: {error.text(say('hint', lang), lang)}", file=sys.stderr)
            return None
        except SyntaxError as error:  # pyoxigraph's, on the SPARQL text
            text = "de SPARQL-tekst" if lang == "nl" else "the SPARQL text"
            print(f"{say('error', lang)}: {text}: {error}", file=sys.stderr)
            return None
        if arguments.out:
            self._namespace()[arguments.out] = result
        return result

    def _namespace(self) -> dict[str, object]:
        """The notebook's variables."""
        assert self.shell is not None  # a registered magic has its shell
        namespace: dict[str, object] = self.shell.user_ns
        return namespace

    def _run(self, words: list[str], cell: str | None, source: QuerySource) -> DataFrame:
        names = [word for word in words if "=" not in word]
        params = dict(word.split("=", 1) for word in words if "=" in word)
        text = (cell or "").strip()
        if text and len(text.split()) == 1 and text in library():  # a cell holding a query's name
            names, text = [text, *names], ""
        if text:
            if names or params:
                raise InputError(f"the cell holds SPARQL text, so '{' '.join(words)}' has nothing to go with",
                                 hint="KEY=VALUE parameters go with a named query: %sparql NAME KEY=VALUE",
                                 nl=(f"de cel bevat SPARQL-tekst, dus '{' '.join(words)}' hoort nergens bij",
                                     "SLEUTEL=WAARDE-parameters horen bij een benoemde query: "
                                     "%sparql NAAM SLEUTEL=WAARDE"))
            return result_frame(run_text(text, source))
        if len(names) != 1:
            raise InputError("give one named query, or SPARQL text in the cell",
                             hint=f"named queries: {', '.join(library())}",
                             nl=("geef één benoemde query, of SPARQL-tekst in de cel",
                                 f"benoemde queries: {', '.join(library())}"))
        named = resolve(names[0])
        return result_frame(run_text(named.text, source, named.bind(params), file=named.path))

    def _source(self, given: str | None) -> QuerySource:
        if given is None:
            return None
        namespace = self._namespace()
        if given.isidentifier() and given in namespace:
            value = namespace[given]
            if not isinstance(value, (str, Path, list, tuple, Store, Setup)):
                raise InputError(f"--source {given}: the variable holds a {type(value).__name__}, which is no "
                                 "source", hint="name a variable holding a setup, a store or reports, a list of "
                                 "files, a file or folder, or a URL",
                                 nl=(f"--source {given}: de variabele bevat een {type(value).__name__}, en dat is "
                                     "geen bron", "noem een variabele met een inrichting, een store of rapporten, "
                                     "een lijst van bestanden, een bestand of map, of een URL"))
            return value
        if given.isidentifier() and not Path(given).exists():
            raise InputError(f"--source {given}: no variable of the notebook and no file of that name",
                             hint="name a variable holding a setup, a store or reports, a file or folder, or a URL",
                             nl=(f"--source {given}: geen variabele van het notebook en geen bestand met die naam",
                                 "noem een variabele met een inrichting, een store of rapporten, een bestand of map, "
                                 "of een URL"))
        return given  # a file, folder or URL: reading it says what is wrong with it


def load_ipython_extension(shell: InteractiveShell) -> None:
    shell.register_magics(SparqlMagics)


__all__ = ["SparqlMagics", "load_ipython_extension"]
