"""Where the lines, number badges and line labels of a laid-out view go, in the layout's inches.

Computed once per view and only drawn by :mod:`jeugdgov.viz.static`, so that a test can check
the picture from these boxes instead of from pixels:

- A line leaves its box through a *port* on the side that faces the other end, runs
  horizontally out of its column and only then bends towards its target: it visibly starts at
  its own box and never passes behind a neighbour in the same column. Several lines on one side
  of a box get ports spread over its height, in the order of where they go, so they do not cross
  at the box.
- A badge (the numbers of the findings a node is part of) sits just outside the node's box,
  above it where there is room, so it covers no letter of a label.
- A line label sits on its own line, at the first place along it that is clear of boxes,
  badges and other labels, preferring places no other line crosses.

Sizes are the same in every language (a label is measured in the longest of its languages), so
switching language moves nothing.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

from jeugdgov.viz.layout import Layout

Point = tuple[float, float]
Box = tuple[float, float, float, float]  # left, bottom, right, top

PORT_GAP = 0.04  # inches between a box and where its lines start or end
STUB = 0.14  # inches a line runs straight out of its column before it bends
BADGE_GAP = 0.03  # inches between a node's box and its badge


@dataclass(frozen=True)
class LineEnd:
    """One end of a line at a node: which line, whether it starts there, and toward which y."""

    line: int
    starts: bool
    toward: Point


@dataclass
class Placement:
    routes: dict[int, list[Point]] = field(default_factory=dict)  # per line (bundle index)
    badges: dict[Hashable, Box] = field(default_factory=dict)  # per node
    labels: dict[int, Box] = field(default_factory=dict)  # per line (bundle index) that has a label


def place(layout: Layout, lines: Sequence[tuple[Hashable, Hashable]], badge_sizes: dict[Hashable, tuple[float, float]],
          label_sizes: dict[int, tuple[float, float]]) -> Placement:
    """Routes for ``lines`` (source, target pairs, in bundle order), badge boxes for the nodes in
    ``badge_sizes`` and label boxes for the lines in ``label_sizes`` (width, height in inches)."""
    placement = Placement()
    half_width = _column_half_widths(layout)
    ports = _ports(layout, lines, half_width)
    for index, (source, target) in enumerate(lines):
        placement.routes[index] = smooth(_route(layout, index, source, target, ports, half_width))
    boxes = [layout.box(n) for n in layout.positions]
    for node, size in sorted(badge_sizes.items(), key=lambda item: repr(item[0])):
        placement.badges[node] = _badge(layout.box(node), size, boxes + list(placement.badges.values()))
    taken = boxes + list(placement.badges.values())
    bounds = {index: bounding_box(route) for index, route in placement.routes.items()}
    for index in sorted(label_sizes):
        others = [(bounds[i], route) for i, route in placement.routes.items() if i != index]
        box = _label(placement.routes[index], label_sizes[index], taken, others)
        placement.labels[index] = box
        taken.append(box)
    return placement


def smooth(points: Sequence[Point], steps: int = 12) -> list[Point]:
    """The route as drawn, as a dense polyline: straight between two points, else quadratic
    curves from each midpoint to the next with the corner between them as control point, so the
    line leaves and enters its boxes in the direction of its first and last segments."""
    if len(points) <= 2:
        return list(points)
    anchors = [points[0], *(_mid(a, b) for a, b in itertools.pairwise(points[1:-1])), points[-1]]
    dense = [points[0]]
    for (a, b), control in zip(itertools.pairwise(anchors), points[1:-1], strict=True):
        for k in range(1, steps + 1):
            t = k / steps
            dense.append(((1 - t) ** 2 * a[0] + 2 * (1 - t) * t * control[0] + t * t * b[0],
                          (1 - t) ** 2 * a[1] + 2 * (1 - t) * t * control[1] + t * t * b[1]))
    return dense


def _mid(a: Point, b: Point) -> Point:
    return (a[0] + b[0]) / 2, (a[1] + b[1]) / 2


def overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def crosses(box: Box, route: Sequence[Point]) -> bool:
    """Whether a polyline passes through the inside of a box; running along an edge or touching
    a corner does not count."""
    left, bottom, right, top = box
    for a, b in itertools.pairwise(route):
        # Most segments lie wholly to one side of the box: a cheap test before the clipping.
        beside = ((a[0] <= left and b[0] <= left) or (a[0] >= right and b[0] >= right)
                  or (a[1] <= bottom and b[1] <= bottom) or (a[1] >= top and b[1] >= top))
        if not beside and segment_crosses(box, a, b):
            return True
    return False


def bounding_box(points: Sequence[Point]) -> Box:
    """The smallest box around the points; a line crosses a box only if this box overlaps it."""
    xs, ys = [x for x, _ in points], [y for _, y in points]
    return min(xs), min(ys), max(xs), max(ys)


def segment_crosses(box: Box, a: Point, b: Point) -> bool:
    """Whether the segment from ``a`` to ``b`` has a point strictly inside ``box``: the range of
    the segment's parameter t (0 at ``a``, 1 at ``b``) that is inside the box on both axes, as
    open intervals (Liang-Barsky clipping), is not empty."""
    low, high = 0.0, 1.0
    for start, delta, lower, upper in ((a[0], b[0] - a[0], box[0], box[2]), (a[1], b[1] - a[1], box[1], box[3])):
        if delta == 0:
            if not lower < start < upper:
                return False
            continue
        enter, leave = (lower - start) / delta, (upper - start) / delta
        if enter > leave:
            enter, leave = leave, enter
        low, high = max(low, enter), min(high, leave)
    return low < high


def _column_half_widths(layout: Layout) -> dict[int, float]:
    widths: dict[int, float] = defaultdict(float)
    for node, layer in layout.layers.items():
        widths[layer] = max(widths[layer], layout.sizes[node][0] / 2)
    return widths


def _x_of_layer(layout: Layout) -> dict[int, float]:
    return {layer: layout.positions[node][0] for node, layer in layout.layers.items()}


def _ports(layout: Layout, lines: Sequence[tuple[Hashable, Hashable]],
           half_width: dict[int, float]) -> dict[tuple[int, bool], Point]:
    """Where each line starts (key (line, True)) and ends (key (line, False))."""
    ends: dict[tuple[Hashable, int], list[LineEnd]] = defaultdict(list)
    for index, (source, target) in enumerate(lines):
        for node, other, starts in ((source, target, True), (target, source, False)):
            toward = _first_step(layout, source, target, starts)
            side = 1 if layout.positions[other][0] >= layout.positions[node][0] else -1
            if layout.layers[other] == layout.layers[node]:
                side = 1
            ends[(node, side)].append(LineEnd(index, starts, toward))
    ports: dict[tuple[int, bool], Point] = {}
    for (node, side), found in ends.items():
        left, bottom, right, top = layout.box(node)
        height = top - bottom
        margin = min(0.06, height / 4)
        found.sort(key=lambda end: (-end.toward[1], end.line, end.starts))
        x = (right + PORT_GAP) if side > 0 else (left - PORT_GAP)
        step = (height - 2 * margin) / (len(found) - 1) if len(found) > 1 else 0.0
        for k, end in enumerate(found):
            y = top - margin - step * k if len(found) > 1 else (top + bottom) / 2
            ports[(end.line, end.starts)] = (x, y)
    return ports


def _first_step(layout: Layout, source: Hashable, target: Hashable, starts: bool) -> Point:
    """The point a line heads for from one of its ends: the nearest bend, else the other end."""
    bends = layout.routes.get((source, target), [])
    if bends:
        return bends[0] if starts else bends[-1]
    return layout.positions[target] if starts else layout.positions[source]


def _route(layout: Layout, index: int, source: Hashable, target: Hashable, ports: dict[tuple[int, bool], Point],
           half_width: dict[int, float]) -> list[Point]:
    start, end = ports[(index, True)], ports[(index, False)]
    bends = list(layout.routes.get((source, target), []))
    if layout.layers[source] == layout.layers[target]:
        return [start, *bends, end]
    columns = _x_of_layer(layout)
    out = _stub(start, columns[layout.layers[source]], half_width[layout.layers[source]])
    into = _stub(end, columns[layout.layers[target]], half_width[layout.layers[target]])
    return [start, *out, *bends, *reversed(into), end]


def _stub(port: Point, column_x: float, half_width: float) -> list[Point]:
    """Two points straight out of the column from a port: at the edge of its widest box and a
    little beyond, so that the line is straight wherever it could pass behind another box."""
    side = 1 if port[0] > column_x else -1
    return [(column_x + side * (half_width + PORT_GAP), port[1]), (column_x + side * (half_width + STUB), port[1])]


def _badge(node_box: Box, size: tuple[float, float], taken: list[Box]) -> Box:
    """Above the box at its right, else at its left, else below; the first place that is free."""
    left, bottom, right, top = node_box
    width, height = size
    candidates = [
        (right - width, top + BADGE_GAP, right, top + BADGE_GAP + height),
        (left, top + BADGE_GAP, left + width, top + BADGE_GAP + height),
        (right - width, bottom - BADGE_GAP - height, right, bottom - BADGE_GAP),
        (left, bottom - BADGE_GAP - height, left + width, bottom - BADGE_GAP),
    ]
    for candidate in candidates:
        if not any(overlaps(candidate, other) for other in taken):
            return candidate
    return min(candidates, key=lambda c: sum(_overlap_area(c, other) for other in taken))


def _label(route: list[Point], size: tuple[float, float], taken: list[Box],
           others: list[tuple[Box, list[Point]]]) -> Box:
    """The first free place along the middle of a line, preferring places no other line crosses
    (``others``: the other lines, each with its bounding box)."""
    middle = route
    width, height = size
    best: tuple[tuple[float, int, int], Box] | None = None
    for rank, fraction in enumerate((0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.1, 0.9)):
        x, y = _along(middle, fraction)
        box = (x - width / 2, y - height / 2, x + width / 2, y + height / 2)
        overlap = sum(_overlap_area(box, other) for other in taken)
        crossing = sum(overlaps(box, bounds) and crosses(box, other) for bounds, other in others)
        score = (overlap, crossing, rank)
        if best is None or score < best[0]:
            best = (score, box)
        if overlap == 0 and crossing == 0:
            break
    assert best is not None
    return best[1]


def _overlap_area(a: Box, b: Box) -> float:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return width * height if width > 0 and height > 0 else 0.0


def _along(points: Sequence[Point], fraction: float) -> Point:
    lengths = [((b[0] - a[0]) ** 2 + (b[1] - a[1]) ** 2) ** 0.5 for a, b in itertools.pairwise(points)]
    goal = sum(lengths) * fraction
    for (a, b), length in zip(itertools.pairwise(points), lengths, strict=True):
        if goal <= length and length:
            t = goal / length
            return a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t
        goal -= length
    return points[-1]
