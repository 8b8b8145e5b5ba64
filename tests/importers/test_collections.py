"""An import runs with the cyclic garbage collector seldom, not never: cycles made during it
are still freed (its memory stays flat), and the collector is as it was afterwards."""

from __future__ import annotations

import gc
import weakref

import pytest

from netiquette.importers.base import fewer_collections


class Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the collector frees it


def test_cycles_made_during_an_import_are_still_freed():
    before = gc.get_threshold()
    with fewer_collections():
        assert gc.get_threshold()[0] > before[0]
        first = weakref.ref(Node())
        for _ in range(200_000):  # garbage cycles, as a leak in a long import would make
            Node()
        assert first() is None  # collected on the way, without an explicit gc.collect()
    assert gc.get_threshold() == before


def test_the_collector_is_restored_when_the_import_fails():
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), fewer_collections():
        raise RuntimeError("a refused file")
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
