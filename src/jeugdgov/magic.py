"""The ``%%sparql`` magic for Jupyter: ``%load_ext jeugdgov``, then::

    %%sparql --source reports --out roles
    PREFIX jg: <https://w3id.org/jeugdgov/def#>
    SELECT ?assignment ?agent WHERE { ?assignment a jg:RoleAssignment ; jg:agent ?agent }

    %sparql findings --source reports lang=en --out findings    # a named query, with parameters

The cell holds SPARQL text, or a named query's name; ``KEY=VALUE`` words are that query's
parameters. ``--source`` is a variable of the notebook (a setup, a list of files, a pyoxigraph
store, validation reports), a file or folder, or an endpoint's URL; without it the bundled data.
The result shows as a table; ``--out NAME`` also keeps it, a DataFrame, in the variable NAME.
Bad input is one line naming what is wrong, never a traceback.
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
    @line_cell_magic
    def sparql(self, line: str, cell: str | None = None) -> DataFrame | None:
        """Run SPARQL (the cell) or a named query (by name, with KEY=VALUE parameters) and show
        the result as a table."""
        try:
            # options and KEY=VALUE words in any order (argparse alone takes no word after an option)
            arguments = self.sparql.parser.parse_intermixed_args(arg_split(line))
            if arguments.out is not None and not arguments.out.isidentifier():
                raise InputError(f"--out {arguments.out}: not a variable name", hint="--out findings, say")
            result = self._run(arguments.words, cell, self._source(arguments.source))
        except InputError as error:
            print(f"error: {error}", file=sys.stderr)
            return None
        except SyntaxError as error:  # pyoxigraph's, on the SPARQL text
            print(f"error: the SPARQL text: {error}", file=sys.stderr)
            return None
        if arguments.out:
            self._namespace()[arguments.out] = result
        return result

    def _namespace(self) -> dict[str, object]:
        """The notebook's variables."""
        assert self.shell is not None  # a registered magic has its shell
        return self.shell.user_ns

    def _run(self, words: list[str], cell: str | None, source: QuerySource) -> DataFrame:
        names = [word for word in words if "=" not in word]
        params = dict(word.split("=", 1) for word in words if "=" in word)
        text = (cell or "").strip()
        if text and len(text.split()) == 1 and text in library():  # a cell holding a query's name
            names, text = [text, *names], ""
        if text:
            if names or params:
                raise InputError(f"the cell holds SPARQL text, so '{' '.join(words)}' has nothing to go with",
                                 hint="KEY=VALUE parameters go with a named query: %sparql NAME KEY=VALUE")
            return result_frame(run_text(text, source))
        if len(names) != 1:
            raise InputError("give one named query, or SPARQL text in the cell",
                             hint=f"named queries: {', '.join(library())}")
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
                                 "files, a file or folder, or a URL")
            return value
        if given.isidentifier() and not Path(given).exists():
            raise InputError(f"--source {given}: no variable of the notebook and no file of that name",
                             hint="name a variable holding a setup, a store or reports, a file or folder, or a URL")
        return given  # a file, folder or URL: reading it says what is wrong with it


def load_ipython_extension(shell: InteractiveShell) -> None:
    shell.register_magics(SparqlMagics)


__all__ = ["SparqlMagics", "load_ipython_extension"]
