"""The template stage's own graph code agrees with SciPy's, which it replaces on the judging
path (SciPy's graph module takes longer to import than a batch takes to judge)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from netiquette.classifier.templates import components


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 40).flatmap(lambda n: st.tuples(
    st.just(n), st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=80))))
def test_components_number_like_scipy(graph: tuple[int, list[tuple[int, int]]]) -> None:
    n, edges = graph
    src = np.array([a for a, _ in edges], dtype=np.int64)
    dst = np.array([b for _, b in edges], dtype=np.int64)
    matrix = coo_matrix((np.ones(len(edges), dtype=np.int8), (src, dst)), shape=(n, n))
    _, expected = connected_components(matrix, directed=False)
    assert components(n, src, dst).tolist() == expected.tolist()


def test_a_long_chain_in_random_order_is_one_component() -> None:
    order = np.random.default_rng(7).permutation(5000)
    labels = components(5000, order[:-1].astype(np.int64), order[1:].astype(np.int64))
    assert set(labels.tolist()) == {0}


def test_judging_without_a_model_leaves_scipy_and_two_numpy_modules_alone() -> None:
    code = ("import sys; from netiquette.classifier import get_classifier; "
            "get_classifier().judge_text('Hi, we met at the PyCon dinner'); "
            "print([m for m in ('scipy', 'numpy.random', 'numpy.ma') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_written_out_hash_coefficients_are_the_seeded_draw():
    from netiquette.classifier import templates

    rng = np.random.default_rng(20240917)
    a = rng.integers(1, 2**62, templates.N_PERM, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    b = rng.integers(0, 2**62, templates.N_PERM, dtype=np.uint64)
    assert templates._A.tolist() == a.tolist() and templates._B.tolist() == b.tolist()
