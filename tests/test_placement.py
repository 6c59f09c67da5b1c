"""The geometry of placement: whether a line passes through a box, exactly."""

from __future__ import annotations

import pytest

from jeugdgov.viz.placement import crosses, segment_crosses

BOX = (0.0, 0.0, 2.0, 1.0)  # left, bottom, right, top


@pytest.mark.parametrize(("a", "b"), [
    ((-1.0, 0.5), (3.0, 0.5)),  # straight through, horizontally
    ((1.0, -1.0), (1.0, 2.0)),  # straight through, vertically
    ((-1.0, -1.0), (3.0, 2.0)),  # diagonally through
    ((0.5, 0.5), (1.5, 0.6)),  # wholly inside
    ((1.0, 0.5), (1.0, 0.5)),  # a point inside
    ((1.0, 0.5), (5.0, 5.0)),  # from inside out
    ((-0.5, 0.4), (0.5, 1.4)),  # cutting a corner off
    ((1.999, 0.999), (3.0, 3.0)),  # from just inside the corner
])
def test_a_segment_with_a_point_inside_the_box_crosses_it(a, b):
    assert segment_crosses(BOX, a, b)
    assert segment_crosses(BOX, b, a), "the direction does not matter"


@pytest.mark.parametrize(("a", "b"), [
    ((-1.0, 2.0), (3.0, 2.0)),  # parallel, above
    ((3.0, -1.0), (3.0, 2.0)),  # parallel, to the right
    ((-1.0, 1.0), (3.0, 1.0)),  # along the top edge
    ((0.0, -1.0), (0.0, 2.0)),  # along the left edge
    ((-1.0, 0.0), (0.0, 1.0)),  # diagonal ending at the top-left corner
    ((1.0, -1.0), (1.0, 0.0)),  # ending on the bottom edge from below
    ((2.0, 1.0), (3.0, 2.0)),  # touching the top-right corner from outside
    ((-1.0, 1.0), (1.0, 3.0)),  # touching the top-left corner, then away
    ((-2.0, -1.0), (-0.5, 3.0)),  # beside the box
    ((-1.0, 0.5), (-0.001, 0.5)),  # stopping just short
    ((3.0, 3.0), (3.0, 3.0)),  # a point outside
    ((2.0, 0.5), (2.0, 0.5)),  # a point on an edge
])
def test_a_segment_outside_or_on_the_edge_does_not_cross_it(a, b):
    assert not segment_crosses(BOX, a, b)
    assert not segment_crosses(BOX, b, a), "the direction does not matter"


def test_a_polyline_crosses_a_box_when_one_of_its_segments_does():
    around = [(-1.0, -1.0), (3.0, -1.0), (3.0, 2.0), (-1.0, 2.0)]
    assert not crosses(BOX, around)
    assert crosses(BOX, [*around, (0.5, 0.5)])
    assert not crosses(BOX, [(1.0, 0.5)]), "a single point is no line"
    assert not crosses(BOX, [])


def test_a_corner_cut_finer_than_any_sampling_step_counts():
    # A line that clips a triangle of 0.00025 inch off a corner: sampling every 0.02 inch misses it.
    assert segment_crosses(BOX, (1.5, 1.5), (2.5, 0.4995))
