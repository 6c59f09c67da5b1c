"""How setups, reports and findings show in a notebook: compact HTML tables and DataFrames.

Jupyter shows an object's ``_repr_html_``; these helpers write the table it returns, in the
severity colours of the report and the pictures. pandas is an optional dependency (the extra
``notebook``): only ``frame`` needs it, and says how to install it when it is missing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from html import escape
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pandas import DataFrame

#: The colour of each severity, in the report, the pictures and the notebook tables.
SEVERITY_COLOURS = {"Violation": "#d7191c", "Warning": "#f07b00", "Info": "#2c7fb8"}

_TABLE = '<table style="border-collapse:collapse;font-size:0.9em">{caption}{head}<tbody>{body}</tbody></table>'
_CELL = 'style="text-align:left;vertical-align:top;padding:2px 8px;border-bottom:1px solid #ddd"'


def html_table(columns: Sequence[str], rows: Iterable[Sequence[object]], caption: str = "") -> str:
    """A compact HTML table; cells are escaped unless they are :class:`Markup`."""
    head = "".join(f"<th {_CELL}>{escape(c)}</th>" for c in columns)
    head = f"<thead><tr>{head}</tr></thead>" if columns else ""
    body = "".join("<tr>" + "".join(f"<td {_CELL}>{_html(cell)}</td>" for cell in row) + "</tr>" for row in rows)
    caption = f'<caption style="text-align:left;font-weight:bold">{escape(caption)}</caption>' if caption else ""
    return _TABLE.format(caption=caption, head=head, body=body)


class Markup(str):
    """HTML that a table cell takes as it is."""


def severity_badge(severity: str, text: str | None = None) -> Markup:
    """The severity as a coloured label, as the report shows it."""
    colour = SEVERITY_COLOURS.get(severity, "#555")
    return Markup(f'<span style="background:{colour};color:#fff;padding:0 4px;border-radius:3px">'
                  f"{escape(text or severity)}</span>")


def _html(cell: object) -> str:
    if isinstance(cell, Markup):
        return str(cell)
    if cell is None:
        return ""
    if isinstance(cell, (tuple, list)):
        return "<br>".join(escape(str(c)) for c in cell)
    return escape(str(cell))


def frame(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> DataFrame:
    """A pandas DataFrame of the rows, with these columns in this order (also when there are no rows)."""
    try:
        import pandas
    except ImportError:
        raise ImportError("DataFrames need pandas: pip install 'jeugdgov[notebook]' (or pip install pandas)") \
            from None
    table: DataFrame = pandas.DataFrame([[row.get(c) for c in columns] for row in rows], columns=list(columns))
    return table
