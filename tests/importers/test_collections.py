"""An import runs with the cyclic garbage collector seldom, not never: cycles made during it
are still freed (its memory stays flat), and the collector is as it was afterwards. Memory
freed inside the heap is handed back to the system when asked."""

from __future__ import annotations

import gc
import sys
import weakref

import pytest

from netiquette.importers.base import fewer_collections, give_back_memory


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


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim")
def test_memory_freed_inside_the_heap_goes_back_to_the_system():
    """What is freed below memory still in use stays with the process until it is handed
    back (an import does so after judging notes, beside its second process)."""
    def rss_mb() -> int:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * 4096 >> 20

    blocks = [bytes(100_000) for _ in range(1000)]  # 100 MB from the heap, not mmap
    last = blocks[-1]  # the heap's top stays in use: freeing the rest returns nothing
    del blocks
    before = rss_mb()
    give_back_memory()
    assert rss_mb() < before - 50
    assert len(last) == 100_000
