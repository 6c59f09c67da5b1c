"""A layered layout: nodes in columns, few crossings, no overlapping boxes.

The classic Sugiyama steps, kept small: the caller assigns columns (or uses
:func:`longest_path_layers`), edges that skip columns get bend points in the columns they pass
(so they run between boxes, not through them), a few barycenter sweeps order each column, and
each column is then placed as close to its neighbours as the box heights allow. Coordinates
are in inches, y grows upwards, so a figure of ``width`` x ``height`` inches fits exactly.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Collection, Hashable
from dataclasses import dataclass, field

import networkx as nx

Point = tuple[float, float]
_BEND = 0.08  # height a bend point takes in its column, in inches


@dataclass
class Layout:
    positions: dict[Hashable, Point]
    sizes: dict[Hashable, tuple[float, float]]
    layers: dict[Hashable, int]
    routes: dict[tuple[Hashable, Hashable], list[Point]] = field(default_factory=dict)
    width: float = 0.0
    height: float = 0.0

    def box(self, node: Hashable) -> tuple[float, float, float, float]:
        """left, bottom, right, top of a node's box."""
        (x, y), (w, h) = self.positions[node], self.sizes[node]
        return x - w / 2, y - h / 2, x + w / 2, y + h / 2


def longest_path_layers(graph: nx.MultiDiGraph | nx.DiGraph, reverse: bool = False) -> dict[Hashable, int]:
    """Column of each node: the length of the longest path reaching it (cycles broken first)."""
    pairs = {(v, u) if reverse else (u, v) for u, v in graph.edges() if u != v}
    dag: nx.DiGraph[Hashable] = nx.DiGraph()
    dag.add_nodes_from(graph.nodes)
    dag.add_edges_from(_acyclic(pairs, list(graph.nodes)))
    layers: dict[Hashable, int] = {}
    for node in nx.topological_sort(dag):
        layers[node] = max((layers[p] + 1 for p in dag.predecessors(node)), default=0)
    # Pull sources towards their first successor, so a lone payer does not sit far from its payee.
    for node in dag.nodes:
        if dag.in_degree(node) == 0 and dag.out_degree(node):
            layers[node] = min(layers[s] for s in dag.successors(node)) - 1
    low = min(layers.values(), default=0)
    return {n: layer - low for n, layer in layers.items()}


def layered(graph: nx.MultiDiGraph | nx.DiGraph, layers: dict[Hashable, int],
            sizes: dict[Hashable, tuple[float, float]], *, column_gap: float = 1.3, row_gap: float = 0.3,
            order_key: Callable[[Hashable], object] | None = None, sweeps: int = 12,
            fixed: Collection[int] = ()) -> Layout:
    """Place the nodes of ``graph`` in the given columns; ``sizes`` are box sizes in inches.

    The columns in ``fixed`` keep the order of ``order_key`` (so that pictures of several setups
    can share it); the others are ordered to reduce crossings.
    """
    layers = dict(layers)
    sizes = dict(sizes)
    pairs = sorted({(u, v) for u, v in graph.edges() if u != v}, key=repr)
    routes_nodes: dict[tuple[Hashable, Hashable], list[Hashable]] = {}
    neighbours: dict[Hashable, set[Hashable]] = defaultdict(set)
    for u, v in pairs:
        step = 1 if layers[v] > layers[u] else -1
        chain: list[Hashable] = [u]
        for layer in range(layers[u] + step, layers[v], step):
            dummy = ("bend", u, v, layer)
            layers[dummy] = layer
            sizes[dummy] = (0.0, _BEND)
            chain.append(dummy)
        chain.append(v)
        routes_nodes[(u, v)] = chain[1:-1]
        for a, b in itertools.pairwise(chain):
            neighbours[a].add(b)
            neighbours[b].add(a)
    columns = _order(layers, neighbours, order_key or repr, sweeps, frozenset(fixed))
    xs = _column_x(columns, sizes, column_gap)
    ys = _column_y(columns, sizes, neighbours, row_gap)
    positions = {n: (xs[layers[n]], ys[n]) for n in layers}
    left = min(x - sizes[n][0] / 2 for n, (x, _) in positions.items()) if positions else 0.0
    bottom = min(y - sizes[n][1] / 2 for n, (_, y) in positions.items()) if positions else 0.0
    positions = {n: (x - left, y - bottom) for n, (x, y) in positions.items()}
    width = max((x + sizes[n][0] / 2 for n, (x, _) in positions.items()), default=0.0)
    height = max((y + sizes[n][1] / 2 for n, (_, y) in positions.items()), default=0.0)
    real = set(graph.nodes)
    return Layout(
        positions={n: p for n, p in positions.items() if n in real},
        sizes={n: s for n, s in sizes.items() if n in real},
        layers={n: layer for n, layer in layers.items() if n in real},
        routes={pair: [positions[d] for d in chain] for pair, chain in routes_nodes.items()},
        width=width, height=height)


def crossings(columns: list[list[Hashable]], neighbours: dict[Hashable, set[Hashable]]) -> int:
    """Number of crossing segments between adjacent columns."""
    total = 0
    for left, right in itertools.pairwise(columns):
        index = {n: i for i, n in enumerate(right)}
        segments = [(i, index[m]) for i, n in enumerate(left) for m in neighbours[n] if m in index]
        for a, (s1, t1) in enumerate(segments):
            for s2, t2 in segments[a + 1:]:
                if (s1 - s2) * (t1 - t2) < 0:
                    total += 1
    return total


def _acyclic(pairs: set[tuple], nodes: list) -> set[tuple]:
    """The pairs with the edges that close a cycle turned around (depth-first back edges)."""
    graph: nx.DiGraph[Hashable] = nx.DiGraph(list(pairs))
    graph.add_nodes_from(nodes)
    back: set[tuple] = set()
    state: dict = {}
    for root in sorted(graph.nodes, key=repr):
        if root in state:
            continue
        stack = [(root, iter(sorted(graph.successors(root), key=repr)))]
        state[root] = "open"
        while stack:
            node, successors = stack[-1]
            for successor in successors:
                if state.get(successor) == "open":
                    back.add((node, successor))
                elif successor not in state:
                    state[successor] = "open"
                    stack.append((successor, iter(sorted(graph.successors(successor), key=repr))))
                    break
            else:
                state[node] = "done"
                stack.pop()
    return {(v, u) if (u, v) in back else (u, v) for u, v in pairs}


def _order(layers: dict[Hashable, int], neighbours: dict[Hashable, set[Hashable]],
           key: Callable[[Hashable], object], sweeps: int, fixed: frozenset[int]) -> list[list[Hashable]]:
    count = max(layers.values(), default=-1) + 1
    columns: list[list[Hashable]] = [[] for _ in range(count)]
    for node in sorted((n for n in layers if not _is_bend(n)), key=lambda n: (key(n), repr(n))):
        columns[layers[node]].append(node)
    for node in sorted((n for n in layers if _is_bend(n)), key=repr):
        columns[layers[node]].append(node)
    best, best_crossings = [list(c) for c in columns], crossings(columns, neighbours)
    for sweep in range(sweeps):
        indices = range(1, count) if sweep % 2 == 0 else range(count - 2, -1, -1)
        for i in indices:
            if i in fixed:
                continue
            neighbour = columns[i - 1] if sweep % 2 == 0 else columns[i + 1]
            position = {n: p for p, n in enumerate(neighbour)}
            current = {n: p for p, n in enumerate(columns[i])}

            def barycenter(node: Hashable, position: dict[Hashable, int] = position,
                           current: dict[Hashable, int] = current) -> float:
                linked = [position[m] for m in neighbours[node] if m in position]
                return sum(linked) / len(linked) if linked else float(current[node])

            columns[i] = sorted(columns[i], key=lambda n: (barycenter(n), current[n]))
        found = crossings(columns, neighbours)
        if found < best_crossings:
            best, best_crossings = [list(c) for c in columns], found
    return best


def _column_x(columns: list[list[Hashable]], sizes: dict, gap: float) -> list[float]:
    widths = [max((sizes[n][0] for n in column), default=0.0) for column in columns]
    xs, x = [], 0.0
    for i, width in enumerate(widths):
        if i:
            x += widths[i - 1] / 2 + gap + width / 2
        xs.append(x)
    return xs


def _column_y(columns: list[list[Hashable]], sizes: dict, neighbours: dict, gap: float) -> dict[Hashable, float]:
    """Stack each column, then move boxes towards their neighbours without letting them overlap."""
    ys: dict[Hashable, float] = {}
    for column in columns:
        y = 0.0
        for i, node in enumerate(column):
            if i:
                y -= _separation(column[i - 1], node, sizes, gap)
            ys[node] = y
        middle = y / 2
        for node in column:
            ys[node] -= middle
    for _ in range(6):
        for column in columns:
            desired = []
            for node in column:
                linked = [ys[m] for m in neighbours[node]]
                desired.append(sum(linked) / len(linked) if linked else ys[node])
            for node, y in zip(column, _pack(column, desired, sizes, gap), strict=True):
                ys[node] = y
    return ys


def _pack(column: list[Hashable], desired: list[float], sizes: dict, gap: float) -> list[float]:
    """Closest y values to ``desired`` (least squares) that keep the order and the separations.

    With c_i the summed separations above box i, z_i = y_i + c_i must not increase downwards:
    an isotonic regression, solved by pooling adjacent violators.
    """
    offsets = [0.0]
    for above, below in itertools.pairwise(column):
        offsets.append(offsets[-1] + _separation(above, below, sizes, gap))
    targets = [d + c for d, c in zip(desired, offsets, strict=True)]
    blocks: list[list[float]] = []  # [mean, count]
    for target in targets:
        blocks.append([target, 1])
        while len(blocks) > 1 and blocks[-2][0] < blocks[-1][0]:
            mean, count = blocks.pop()
            blocks[-1] = [(blocks[-1][0] * blocks[-1][1] + mean * count) / (blocks[-1][1] + count),
                          blocks[-1][1] + count]
    z = [mean for mean, count in blocks for _ in range(int(count))]
    return [value - c for value, c in zip(z, offsets, strict=True)]


def _separation(above: Hashable, below: Hashable, sizes: dict, gap: float) -> float:
    bends = _is_bend(above) + _is_bend(below)
    space = gap if bends == 0 else gap / 2 if bends == 1 else _BEND
    return float(sizes[above][1] / 2 + space + sizes[below][1] / 2)


def _is_bend(node: Hashable) -> bool:
    return isinstance(node, tuple) and len(node) == 4 and node[0] == "bend"
