"""Pictures of a setup with its defects highlighted: static figures and interactive HTML.

::

    from jeugdgov import load
    from jeugdgov.viz.static import figure, write

    setup = load("data/lelystad.trig")[1]
    figure(setup, "money")                           # a matplotlib Figure (shows in a notebook)
    write(setup, "roles", "roles.html", lang="nl")   # .png, .svg or .html, written atomically

Nodes are boxes coloured by kind (municipality, care provider, task, ...) in columns:
municipalities left, intermediaries in the middle, providers right (for roles: the tasks in the
middle, the municipal side left of them and everyone else right). Findings of
:func:`jeugdgov.validate` that touch the picture get a number: the nodes and lines involved
are outlined in the colour of the severity and carry the number, and a caption below lists
the numbered messages (in the HTML: on hover and in a list). Figures are drawn with the Agg
canvas, independent of any pyplot backend.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, Patch
from matplotlib.path import Path as MplPath
from matplotlib.typing import LineStyleType

from jeugdgov.analysis.projection import KIND_LABELS, KINDS, NODE_KINDS, Period, ProjectionOptions
from jeugdgov.errors import InputError
from jeugdgov.output import atomic_write
from jeugdgov.setups import Setup
from jeugdgov.validation import Finding
from jeugdgov.validation.findings import SEVERITY_RANK
from jeugdgov.viz.views import (
    BADGE_FONT_SIZE,
    FONT_SIZE,
    KIND_COLOURS,
    LINE_LABEL_FONT_SIZE,
    RELATION_STYLES,
    SEVERITY_COLOURS,
    SEVERITY_LABELS,
    TEXT,
    Bundle,
    View,
    prepare,
    wrap_label,
)

if TYPE_CHECKING:
    from typing_extensions import Unpack

FORMATS = (".png", ".svg", ".html")
_MARGIN = 0.35  # inches around the graph
_LINE = 0.13  # inches per caption line (7.5 pt, spacing 1.2)
_TITLE = 0.55  # inches above each picture for its title
_GAP = 0.5  # inches between pictures
_MAX_WIDTH = 11.0  # inches side by side (about a notebook's width) before pictures go one above the other
_LINESTYLES: dict[str, LineStyleType] = {"solid": "-", "dashed": (0, (5, 3)), "dotted": (0, (1.5, 2))}
#: A rounded rectangle, wider than high, as the legend's sign for a number badge.
_BADGE_MARKER = MplPath(
    [(-1.0, -0.45), (0.8, -0.45), (1.0, -0.45), (1.0, -0.25), (1.0, 0.25), (1.0, 0.45), (0.8, 0.45),
     (-0.8, 0.45), (-1.0, 0.45), (-1.0, 0.25), (-1.0, -0.25), (-1.0, -0.45), (-1.0, -0.45)],
    [MplPath.MOVETO, MplPath.LINETO, MplPath.CURVE3, MplPath.CURVE3, MplPath.LINETO, MplPath.CURVE3,
     MplPath.CURVE3, MplPath.LINETO, MplPath.CURVE3, MplPath.CURVE3, MplPath.LINETO, MplPath.CURVE3,
     MplPath.CURVE3])

__all__ = ["FORMATS", "KINDS", "Picture", "compare", "figure", "figure_of", "html", "prepare", "write"]


class Picture(Figure):
    """A matplotlib Figure that shows itself in notebooks, without pyplot or an inline backend."""

    def _repr_png_(self) -> bytes:
        buffer = io.BytesIO()
        self.savefig(buffer, format="png", bbox_inches="tight", facecolor="white")
        return buffer.getvalue()


def figure(setup: Setup, kind: str, *, lang: str = "en", period: Period | None = None, at: date | None = None,
           findings: Iterable[Finding] | None = None, highlight: bool = True, aggregate: bool = True) -> Figure:
    """A static figure of one projection; findings are validated unless given or ``highlight=False``."""
    return figure_of(prepare(setup, kind, lang=lang, period=period, at=at, findings=findings,
                             highlight=highlight, aggregate=aggregate))


def compare(setups: Sequence[Setup], kind: str, *, lang: str = "en",
            findings: dict[str, Iterable[Finding]] | None = None, highlight: bool = True,
            aggregate: bool = True, columns: int | None = None) -> Figure:
    """Setups side by side (phases of a case, or current versus recommended) with one legend.

    ``findings`` maps setup names to their findings; setups missing from it are validated.
    ``columns`` sets how many panels stand next to each other; by default as many as fit in
    the width of a notebook, else one above the other, so the columns of the pictures line up.
    """
    views = []
    for setup in setups:
        given = (findings or {}).get(setup.name)
        views.append(prepare(setup, kind, lang=lang, findings=given, highlight=highlight, aggregate=aggregate))
    return figure_of(*views, columns=columns)


def figure_of(*views: View, columns: int | None = None) -> Figure:
    """Draw prepared views in a grid, each with its title and caption, with one legend."""
    if not views:
        raise InputError("nothing to draw", hint="give at least one setup",
                         nl=("niets te tekenen", "geef ten minste één inrichting"))
    lang = views[0].lang
    widths = [max(v.layout.width + 2 * _MARGIN, 4.5) for v in views]
    if columns is None:
        columns = len(views) if sum(widths) + _GAP * (len(views) - 1) <= _MAX_WIDTH else 1
    rows = [list(range(i, min(i + columns, len(views)))) for i in range(0, len(views), columns)]
    captions = [_caption(v, int(w / 0.062)) for v, w in zip(views, widths, strict=True)]
    graph_heights = [v.layout.height + 2 * _MARGIN for v in views]
    row_graph = [max(graph_heights[i] for i in row) for row in rows]
    row_caption = [max(len(captions[i].splitlines()) for i in row) * _LINE + 0.15 for row in rows]
    total_width = max(sum(widths[i] for i in row) + _GAP * (len(row) - 1) for row in rows)
    total_height = sum(_TITLE + g + c for g, c in zip(row_graph, row_caption, strict=True)) + _GAP * (len(rows) - 1)
    fig = Picture(figsize=(total_width, total_height), dpi=110)
    FigureCanvasAgg(fig)
    handles: dict[str, object] = {}
    top = total_height
    for row, graph_height, caption_height in zip(rows, row_graph, row_caption, strict=True):
        x = 0.0
        axes_top = top - _TITLE
        for i in row:
            view, width, height = views[i], widths[i], graph_heights[i]
            ax = fig.add_axes((x / total_width, (axes_top - height) / total_height, width / total_width,
                               height / total_height))
            _draw(ax, view, width, handles)
            fig.text((x + 0.05) / total_width, (axes_top + 0.3) / total_height,
                     textwrap.fill(view.title, int(width / 0.1)), fontsize=10, fontweight="bold", va="bottom")
            if view.subtitle:
                fig.text((x + 0.05) / total_width, (axes_top + 0.06) / total_height, view.subtitle, fontsize=8,
                         va="bottom", color="#444444")
            fig.text((x + 0.05) / total_width, (axes_top - graph_height - 0.1) / total_height, captions[i],
                     fontsize=7.5, va="top")
            x += width + _GAP
        top -= _TITLE + graph_height + caption_height + _GAP
    fig.legend(handles=[handles[k] for k in sorted(handles, key=_legend_order)], loc="upper left",
               bbox_to_anchor=(1.0, 1.0), title=TEXT["legend"][lang], fontsize=8, title_fontsize=9, frameon=False)
    return fig


def html(setup: Setup, kind: str, *, lang: str = "en", period: Period | None = None, at: date | None = None,
         findings: Iterable[Finding] | None = None, highlight: bool = True, aggregate: bool = True) -> str:
    """A self-contained interactive HTML page (vis-network via pyvis) of one projection."""
    from jeugdgov.viz.interactive import to_html

    return to_html(prepare(setup, kind, lang=lang, period=period, at=at, findings=findings,
                           highlight=highlight, aggregate=aggregate))


class PictureOptions(ProjectionOptions, total=False):
    """The keyword arguments of :func:`figure` and :func:`html`."""

    highlight: bool
    aggregate: bool


def write(setup: Setup, kind: str, out: str | Path, **options: Unpack[PictureOptions]) -> Path:
    """Write a picture to ``out`` (.png, .svg or .html, by extension), atomically.

    The file is written next to its destination under a temporary name and renamed when
    complete, so a failure leaves no half-written picture behind.
    """
    out = Path(out)
    suffix = check_output(out)
    if suffix == ".html":
        text = html(setup, kind, **options)
        atomic_write(out, lambda path: path.write_text(text, encoding="utf-8"))
    else:
        fig = figure(setup, kind, **options)

        def save(path: Path) -> None:
            # SVG keeps its text as text: searchable, selectable and much smaller than glyph paths.
            with rc_context({"svg.fonttype": "none"}):
                fig.savefig(path, format=suffix[1:], bbox_inches="tight", facecolor="white")

        atomic_write(out, save)
    return out


def check_output(out: Path) -> str:
    """The output format of a path, or an InputError listing the valid ones."""
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise InputError(f"unknown output format '{out.suffix or out.name}'", file=out,
                         hint=f"end the file name in one of: {', '.join(FORMATS)}",
                         nl=(f"onbekend uitvoerformaat '{out.suffix or out.name}'",
                             f"laat de bestandsnaam eindigen op een van: {', '.join(FORMATS)}"))
    if out.is_dir():
        raise InputError("--out is a folder", file=out, hint="give the path of the picture file to write",
                         nl=("--out is een map", "geef het pad van het afbeeldingsbestand dat geschreven moet worden"))
    if not out.parent.exists():
        raise InputError("the output folder does not exist", file=out, hint="create the folder first",
                         nl=("de uitvoermap bestaat niet", "maak de map eerst aan"))
    return suffix


# ---------------------------------------------------------------------------------------------


def _draw(ax: Axes, view: View, width: float, handles: dict) -> None:
    layout, lang = view.layout, view.lang
    extra = (width - 2 * _MARGIN - layout.width) / 2
    ax.set_xlim(-_MARGIN - extra, layout.width + _MARGIN + extra)
    ax.set_ylim(-_MARGIN, layout.height + _MARGIN)
    ax.set_aspect("equal")
    ax.axis("off")
    for index, bundle in enumerate(view.bundles):
        _draw_bundle(ax, view, index, bundle, handles)
    for node, data in view.graph.nodes(data=True):
        _draw_node(ax, view, node, data, handles)
    for severity in sorted({g.severity for g in view.groups}, key=lambda s: -SEVERITY_RANK[s]):
        handles[f"severity:{severity}"] = Line2D(
            [0], [0], color=SEVERITY_COLOURS[severity], lw=6, alpha=0.45,
            label=f"{TEXT['finding'][lang]}: {SEVERITY_LABELS[severity][lang]}")
    if view.groups:
        # The badges are rounded rectangles: so is their sign in the legend.
        handles["numbered"] = Line2D([0], [0], ls="none", marker=_BADGE_MARKER, markersize=11, color="#555555",
                                     label=TEXT["numbered"][lang])


def _legend_order(key: str) -> tuple[int, int]:
    group, _, name = key.partition(":")
    order = {"kind": list(NODE_KINDS), "relation": list(RELATION_STYLES), "severity": list(SEVERITY_RANK)}
    names = order.get(group, [])
    return list(order).index(group) if group in order else 3, names.index(name) if name in names else 99


def _draw_node(ax: Axes, view: View, node: str, data: dict, handles: dict) -> None:
    x, y = view.layout.positions[node]
    severity = view.severity(node)
    kind = data["kind"]
    box = {"boxstyle": "round,pad=0.35" if kind != "task" else "square,pad=0.35",
           "facecolor": KIND_COLOURS.get(kind, "#d9d9d9"),
           "edgecolor": SEVERITY_COLOURS[severity] if severity else "#555555",
           "linewidth": 2.6 if severity else 0.8}
    if data.get("aggregate"):
        # Merged actors are drawn as a stack of cards.
        ax.text(x + 0.06, y - 0.06, wrap_label(data), ha="center", va="center", fontsize=FONT_SIZE, zorder=4,
                linespacing=1.2, color="none", bbox={**box, "linewidth": 0.8, "edgecolor": "#555555"})
    ax.text(x, y, wrap_label(data), ha="center", va="center", fontsize=FONT_SIZE, zorder=5,
            linespacing=1.2, gid=f"node:{node}", bbox=box)
    badge = view.placement.badges.get(node)
    if badge is not None and severity is not None:
        left, bottom, right, top = badge
        ax.text((left + right) / 2, (bottom + top) / 2, view.badge(node), ha="center", va="center",
                fontsize=BADGE_FONT_SIZE, color="white", fontweight="bold", zorder=7, gid=f"badge:{node}",
                bbox={"boxstyle": "round,pad=0.25", "facecolor": SEVERITY_COLOURS[severity], "edgecolor": "white",
                      "linewidth": 0.8})
    key = f"kind:{kind}"
    if key not in handles:
        handles[key] = Patch(facecolor=KIND_COLOURS.get(kind, "#d9d9d9"), edgecolor="#555555",
                             label=NODE_KINDS[kind][view.lang])


def _draw_bundle(ax: Axes, view: View, index: int, bundle: Bundle, handles: dict) -> None:
    points = view.placement.routes[index]
    colour, style = bundle.style
    path = MplPath(points, [MplPath.MOVETO] + [MplPath.LINETO] * (len(points) - 1))
    if bundle.severity:
        ax.add_patch(FancyArrowPatch(path=path, arrowstyle="-", color=SEVERITY_COLOURS[bundle.severity],
                                     lw=7, alpha=0.4, zorder=1, capstyle="round"))
    width = 1.2 + min(bundle.count - 1, 4) * 0.35
    ax.add_patch(FancyArrowPatch(path=path, arrowstyle="-|>,head_length=0.45,head_width=0.22",
                                 mutation_scale=12, color=colour, lw=width, linestyle=_LINESTYLES[style],
                                 zorder=2))
    label = view.line_label(bundle)
    box = view.placement.labels.get(index)
    if label and box is not None:
        ax.text((box[0] + box[2]) / 2, (box[1] + box[3]) / 2, label, fontsize=LINE_LABEL_FONT_SIZE, ha="center",
                va="center", zorder=4, gid=f"line-label:{index}",
                color=SEVERITY_COLOURS[bundle.severity] if bundle.focus_numbers and bundle.severity else "#222222",
                bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85})
    key = f"relation:{bundle.relation}"
    if key not in handles:
        handles[key] = Line2D([0], [0], color=colour, lw=1.6, linestyle=_LINESTYLES[style],
                              label=bundle.relation_label)


def _caption(view: View, width: int) -> str:
    lang = view.lang
    lines = [TEXT["no_findings"][lang]] if not view.groups else [g.caption(lang, width) for g in view.groups]
    for _node, data in view.graph.nodes(data=True):
        if data.get("aggregate"):
            lines.append(textwrap.fill(f"{data['label']} = {', '.join(data['member_labels'])}", width,
                                       subsequent_indent="     "))
    if view.hidden:
        hidden = ", ".join(f"{d} ({n}×)" if n > 1 else d for d, n in sorted(view.hidden.items()))
        lines.append(textwrap.fill(f"{TEXT['not_shown'][lang]}: {hidden}", width))
    return "\n".join(lines)


def kind_label(kind: str, lang: str = "en") -> str:
    return KIND_LABELS[kind][lang]
