"""The collector is set for rendering only while rendering, and a build's bytes do not
depend on it."""

from __future__ import annotations

import gc

from handouts.collector import THRESHOLDS, set_for_rendering


def test_rendering_freezes_what_exists_and_collects_rarely_then_puts_everything_back():
    before, frozen_before = gc.get_threshold(), gc.get_freeze_count()
    with set_for_rendering():
        assert gc.get_threshold() == THRESHOLDS
        assert gc.get_freeze_count() > frozen_before
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_cycles_made_while_rendering_are_still_reclaimed():
    import weakref

    class Node:
        pass

    with set_for_rendering():
        node = Node()
        node.self = node  # a cycle: reference counting alone never frees it
        alive = weakref.ref(node)
        del node
        assert alive() is not None
        young = [[] for _ in range(THRESHOLDS[0] + 1000)]  # the collector runs on its own
        assert alive() is None
        del young
