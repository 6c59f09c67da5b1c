"""Interactive HTML of a view: vis-network through pyvis, one self-contained file.

The nodes sit where the static figure puts them (physics off), so both pictures read alike.
Hovering a node or a line shows its details and the messages of the findings it is part of;
a legend and the numbered findings are written into the page. Lines that skip a column are
routed through invisible bend points, as in the static figure. The vis-network script is
embedded, and pyvis's links to external stylesheets are dropped, so the page works offline.
"""

from __future__ import annotations

import html
import itertools
import re

from pyvis.network import Network

from jeugdgov.analysis.projection import NODE_KINDS
from jeugdgov.validation.findings import SEVERITY_RANK
from jeugdgov.viz.views import (
    KIND_COLOURS,
    SEVERITY_COLOURS,
    SEVERITY_LABELS,
    TEXT,
    Bundle,
    View,
    wrap_label,
)

#: The comment of pyvis's template that names node_modules/vis files the page does not ship.
_NODE_MODULES_COMMENT = re.compile(r"<!--(?:(?!-->).)*node_modules(?:(?!-->).)*-->", re.S)

PIXELS_PER_INCH = 110
_DASHES = {"solid": False, "dashed": [8, 5], "dotted": [2, 4]}

_STYLE = """
<style>
  body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 12px; color: #222; }
  .jg-header h2 { margin: 4px 0; font-size: 18px; }
  .jg-header p { margin: 2px 0 8px; color: #555; font-size: 13px; }
  .jg-legend { display: flex; flex-wrap: wrap; gap: 6px 16px; font-size: 12px; margin-bottom: 6px; }
  .jg-legend span.item { display: inline-flex; align-items: center; gap: 5px; }
  .jg-swatch { display: inline-block; width: 18px; height: 12px; border: 1px solid #555; border-radius: 3px; }
  .jg-line { display: inline-block; width: 26px; height: 0; border-top-width: 3px; }
  .jg-findings { font-size: 13px; max-width: 1100px; }
  .jg-findings li { margin: 4px 0; }
  .jg-badge { color: white; border-radius: 4px; padding: 0 5px; font-weight: bold; font-size: 12px; }
  #mynetwork { border: 1px solid #ddd !important; }
  div.vis-tooltip { white-space: pre-wrap !important; max-width: 460px; font-size: 12px;
                    font-family: "DejaVu Sans", Arial, sans-serif !important; }
</style>
"""


def to_html(view: View) -> str:
    """The page as a string."""
    height = max(420, int((view.layout.height + 1.0) * PIXELS_PER_INCH))
    net = Network(height=f"{min(height, 900)}px", width="100%", directed=True, cdn_resources="in_line")
    net.options = {
        "physics": {"enabled": False},
        "interaction": {"hover": True, "tooltipDelay": 80, "navigationButtons": True, "keyboard": True},
        "edges": {"smooth": False, "font": {"size": 11, "align": "middle", "background": "white"}},
        "nodes": {"font": {"size": 12, "face": "DejaVu Sans, Arial"}},
    }
    for node, data in view.graph.nodes(data=True):
        _add_node(net, view, node, data)
    for bundle in view.bundles:
        _add_bundle(net, view, bundle)
    page = net.generate_html(notebook=False)
    # pyvis's template leaves a commented-out link to a vis.js under node_modules: dead weight
    # that points at a folder the page does not have.
    page = _NODE_MODULES_COMMENT.sub("", page)
    return _decorate(page, view)


def _xy(view: View, point: tuple[float, float]) -> tuple[int, int]:
    return int(point[0] * PIXELS_PER_INCH), int(-point[1] * PIXELS_PER_INCH)


def _add_node(net: Network, view: View, node: str, data: dict) -> None:
    x, y = _xy(view, view.layout.positions[node])
    severity = view.severity(node)
    numbers = view.numbers(node)
    label = wrap_label(data) + (f"\n[{','.join(map(str, numbers))}]" if numbers else "")
    fill = KIND_COLOURS.get(data["kind"], "#d9d9d9")
    border = SEVERITY_COLOURS[severity] if severity else "#555555"
    net.add_node(node, label=label, title="\n".join(view.node_details(node)), x=x, y=y, physics=False,
                 shape="box", borderWidth=4 if severity else 1, shapeProperties={"borderDashes": [6, 3]
                                                                                   if data.get("aggregate") else False},
                 color={"background": fill, "border": border,
                        "highlight": {"background": fill, "border": "#000000"},
                        "hover": {"background": fill, "border": "#000000"}})


def _add_bundle(net: Network, view: View, bundle: Bundle) -> None:
    colour, style = bundle.style
    # A halo in the colour of the severity, like the static figure; the line keeps its own colour.
    halo = ({"enabled": True, "color": SEVERITY_COLOURS[bundle.severity], "size": 14, "x": 0, "y": 0}
            if bundle.severity else False)
    title = "\n".join(view.bundle_details(bundle))
    points = view.layout.routes.get((bundle.source, bundle.target), [])
    chain = [bundle.source]
    for i, point in enumerate(points):
        bend = f"bend:{bundle.source}|{bundle.target}|{bundle.relation}|{i}"
        x, y = _xy(view, point)
        net.add_node(bend, label=" ", shape="dot", size=1, x=x, y=y + int(bundle.offset * PIXELS_PER_INCH),
                     physics=False, color={"background": colour, "border": colour}, title=title)
        chain.append(bend)
    chain.append(bundle.target)
    label = view.line_label(bundle) or None
    smooth: bool | dict[str, object] = False
    if bundle.offset and len(chain) == 2:
        smooth = {"enabled": True, "type": "curvedCW" if bundle.offset > 0 else "curvedCCW",
                  "roundness": min(abs(bundle.offset) * 2.5, 0.5)}
    middle = (len(chain) - 2) // 2
    for i, (a, b) in enumerate(itertools.pairwise(chain)):
        width = (2.5 if bundle.severity else 1.5) + min(bundle.count - 1, 4) * 0.5
        net.add_edge(a, b, title=title, color=colour, width=width,
                     dashes=_DASHES[style], smooth=smooth, shadow=halo, label=label if i == middle else None,
                     arrows={"to": {"enabled": b == bundle.target, "scaleFactor": 0.7}})


def _decorate(page: str, view: View) -> str:
    """Drop pyvis's external links and empty headings; add title, legend and findings."""
    page = re.sub(r'<link[^>]*bootstrap[^>]*/?>', "", page)
    page = re.sub(r'<script[^>]*bootstrap[^>]*>\s*</script>', "", page, flags=re.S)
    page = re.sub(r"<center>\s*<h1>\s*</h1>\s*</center>", "", page)
    page = page.replace("<html>", f'<!DOCTYPE html>\n<html lang="{view.lang}">', 1)
    page = page.replace("<head>", f"<head>\n<title>{html.escape(view.title)}</title>{_STYLE}", 1)
    page = re.sub(r"<body>", lambda _m: "<body>\n" + _header(view), page, count=1)
    page = re.sub(r"</body>", lambda _m: _findings(view) + "\n</body>", page, count=1)
    return page


def _header(view: View) -> str:
    lang = view.lang
    items = []
    kinds = [k for k in NODE_KINDS if any(a["kind"] == k for _, a in view.graph.nodes(data=True))]
    for kind in kinds:
        items.append(f'<span class="item"><span class="jg-swatch" style="background:{KIND_COLOURS[kind]}"></span>'
                     f"{html.escape(NODE_KINDS[kind][lang])}</span>")
    seen: dict[str, Bundle] = {}
    for bundle in view.bundles:
        seen.setdefault(bundle.relation, bundle)
    for _relation, bundle in seen.items():
        colour, style = bundle.style
        items.append(f'<span class="item"><span class="jg-line" style="border-top: 3px {style} {colour}"></span>'
                     f"{html.escape(bundle.relation_label)}</span>")
    for severity in sorted({g.severity for g in view.groups}, key=lambda s: -SEVERITY_RANK[s]):
        items.append(f'<span class="item"><span class="jg-swatch" style="background:white;border:3px solid '
                     f'{SEVERITY_COLOURS[severity]}"></span>{TEXT["finding"][lang]}: '
                     f"{SEVERITY_LABELS[severity][lang]}</span>")
    subtitle = f"<p>{html.escape(view.subtitle)}</p>" if view.subtitle else ""
    return (f'<div class="jg-header"><h2>{html.escape(view.title)}</h2>{subtitle}'
            f'<div class="jg-legend"><strong>{TEXT["legend"][lang]}:</strong> {" ".join(items)}</div></div>')


def _findings(view: View) -> str:
    lang = view.lang
    items = []
    for group in view.groups:
        colour = SEVERITY_COLOURS[group.severity]
        items.append(f'<li><span class="jg-badge" style="background:{colour}">{group.number}</span> '
                     f"{html.escape(group.caption(lang, numbered=False))}</li>")
    for _node, data in view.graph.nodes(data=True):
        if data.get("aggregate"):
            items.append(f"<li>{html.escape(data['label'])} = {html.escape(', '.join(data['member_labels']))}</li>")
    body = "".join(items) if items else f"<li>{TEXT['no_findings'][lang]}</li>"
    hidden = ""
    if view.hidden:
        listed = ", ".join(f"{d} ({n}×)" if n > 1 else d for d, n in sorted(view.hidden.items()))
        hidden = f"<p>{TEXT['not_shown'][lang]}: {html.escape(listed)}</p>"
    return (f'<div class="jg-findings"><h3>{TEXT["findings"][lang]}</h3>'
            f'<ul style="list-style:none;padding-left:0">{body}</ul>{hidden}</div>')
