"""Templates across senders: near-duplicate notes once merge fields are masked.

Each note's masked token stream is cut into 3-token shingles; a MinHash signature
(``N_PERM`` universal hash functions, minimum per note, computed with NumPy over all shingles
of a chunk at once) estimates the Jaccard similarity of shingle sets. LSH banding groups notes
that agree on a whole band into buckets (a sort per band, no pairwise comparison); each bucket
member is linked to the bucket's first member when their signatures agree on at least
``MIN_AGREEMENT`` of the positions, and the links' connected components are the templates.
Cost grows with the number of notes times a constant, so a million notes stay linear.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .normalize import I64, NGRAM_BASE, U64, Tokens, masked_stream

N_PERM = 32
BANDS = 16
ROWS = N_PERM // BANDS
SHINGLE = 3
#: Masked notes shorter than this many tokens are never called templates.
MIN_TOKENS = 8
#: Estimated Jaccard similarity (share of equal signature positions) to link two notes.
MIN_AGREEMENT = 0.6
#: Shingles hashed at once: each temporary is SLAB x N_PERM x 8 bytes (6.4 MB), and the
#: hashing expression holds two or three of them; the result does not depend on it.
SLAB = 25_000

#: The universal hash functions' coefficients (odd multipliers, offsets): drawn once with
#: ``numpy.random.default_rng(20240917)`` (``integers(1, 2**62) * 2 + 1``, then
#: ``integers(0, 2**62)``, N_PERM each) and written out, so that judging does not import
#: numpy.random (7 MB of memory, while an import's other process still runs); a test draws
#: them again and compares.
_A = np.array([
    8070200531241715675, 1373273209192029411, 4690858463930058097, 1361307677987062747,
    459566981459567313, 728010220974430269, 1776317910435130095, 4014956752955734595,
    5223456487144812865, 3052410802828983175, 4455707076315350009, 7986326540290662011,
    7799253485011446919, 1466062207503727053, 5469708794181227871, 1864433512694395955,
    5559989723298656501, 4933024242609972325, 1978959730269069095, 19824010391132293,
    7990818838143124467, 8036560200709870307, 7201188898781246069, 53193490939444867,
    3945137620580388335, 3363568625720398415, 624521479625464617, 4754938867019263001,
    1455480509433560743, 7671640510787344991, 1577512220216218909, 3992888934792518487,
], dtype=np.uint64)
_B = np.array([
    1910716008344831964, 2553152891430904820, 2290012876913573410, 956428817146851458,
    2861980454863358832, 1672849163282401242, 366938437333274961, 3324624858145993306,
    208509876801644108, 2015619794744090953, 2152617082146381876, 2001169087532509745,
    3294752533722325141, 499725503856571442, 3170813430824624291, 3441024421438924880,
    1982220558644234965, 2738221363024685373, 2465177138120491664, 932910885094261133,
    3576303902035042657, 1771076703658374550, 1208477002384842521, 2146765313957527329,
    3860398742613654513, 4051250903396346810, 3531858322530884670, 3428904408436948317,
    1452645874305474054, 1806369632771853004, 2147976546767907711, 3155919647696974436,
], dtype=np.uint64)
_EMPTY = np.uint32(0xFFFFFFFF)

Sig = npt.NDArray[np.uint32]


def signatures(tok: Tokens) -> tuple[Sig, npt.NDArray[np.bool_]]:
    """MinHash signature per note (n_notes x N_PERM) and whether the note is long enough."""
    h, note = masked_stream(tok)
    n = tok.n_notes
    sig = np.full((n, N_PERM), _EMPTY, dtype=np.uint32)
    counts = np.bincount(note, minlength=n)
    eligible = counts >= MIN_TOKENS
    m = len(h) - SHINGLE + 1
    if m <= 0:
        return sig, np.zeros(n, dtype=bool)
    with np.errstate(over="ignore"):
        sh = h[:m] * NGRAM_BASE * NGRAM_BASE + h[1 : m + 1] * NGRAM_BASE + h[2:]
    ok = note[:m] == note[SHINGLE - 1 :]
    sh = sh[ok]
    sh_note = note[:m][ok]
    if len(sh) == 0:
        return sig, np.zeros(n, dtype=bool)
    seg_notes, seg_starts = np.unique(sh_note, return_index=True)
    # slabs of about SLAB shingles bound the temporary (slab x N_PERM) arrays
    for a, b in _slab_bounds(seg_starts, SLAB):
        s0, s1 = seg_starts[a], (seg_starts[b] if b < len(seg_starts) else len(sh))
        with np.errstate(over="ignore"):
            vals = ((sh[s0:s1, None] * _A[None, :] + _B[None, :]) >> np.uint64(32)).astype(
                np.uint32
            )
        mins = np.minimum.reduceat(vals, seg_starts[a:b] - s0, axis=0)
        sig[seg_notes[a:b]] = mins
    return sig, eligible


def _slab_bounds(seg_starts: I64, step: int) -> list[tuple[int, int]]:
    """Split note segments into runs of about ``step`` shingles (whole notes only)."""
    out = []
    a = 0
    n = len(seg_starts)
    while a < n:
        target = seg_starts[a] + step
        b = int(np.searchsorted(seg_starts, target, side="left"))
        b = max(b, a + 1)
        out.append((a, min(b, n)))
        a = b
    return out


@dataclass
class TemplateGroups:
    """Per note: how many *other* senders sent the same wording, and whether names differ."""

    others: I64
    swapped: npt.NDArray[np.bool_]
    group: I64  # component id; -1 when not part of any template


def find_templates(
    sig: Sig, eligible: npt.NDArray[np.bool_], senders: I64, raw_hash: U64
) -> TemplateGroups:
    """Group near-duplicate notes and count the distinct senders in each group."""
    n = len(sig)
    others = np.zeros(n, dtype=np.int64)
    swapped = np.zeros(n, dtype=bool)
    group = np.full(n, -1, dtype=np.int64)
    idx = np.flatnonzero(eligible)
    if len(idx) < 2:
        return TemplateGroups(others, swapped, group)
    s = sig[idx]
    src_parts, dst_parts = [], []
    for band in range(BANDS):
        key = _band_key(s[:, band * ROWS : (band + 1) * ROWS])
        order = np.argsort(key, kind="stable")
        sk = key[order]
        new = np.ones(len(sk), dtype=bool)
        new[1:] = sk[1:] != sk[:-1]
        head = order[np.flatnonzero(new)[np.cumsum(new) - 1]]
        linked = head != order
        a, b = order[linked], head[linked]
        agree = (s[a] == s[b]).mean(axis=1) >= MIN_AGREEMENT
        src_parts.append(a[agree])
        dst_parts.append(b[agree])
    src = np.concatenate(src_parts)
    dst = np.concatenate(dst_parts)
    if len(src) == 0:
        return TemplateGroups(others, swapped, group)
    comp = components(len(idx), src, dst)
    sizes = np.bincount(comp)
    in_group = sizes[comp] > 1
    group[idx[in_group]] = comp[in_group]
    # distinct senders and distinct texts per component
    distinct_senders = _distinct_per_group(comp, senders[idx])
    distinct_texts = _distinct_per_group(comp, raw_hash[idx].view(np.int64))
    others[idx] = distinct_senders[comp] - 1
    swapped[idx] = (distinct_texts[comp] > 1) & in_group
    return TemplateGroups(others, swapped, group)


def components(n: int, src: I64, dst: I64) -> I64:
    """Connected components of the undirected graph on nodes ``0..n-1`` with edges
    ``src[k]``-``dst[k]``: a label per node, numbered in the order of the components' smallest
    nodes (as ``scipy.sparse.csgraph.connected_components`` numbers them).

    Trees of pointers to a smaller node, merged a round at a time: each edge whose ends have
    different roots hooks the larger root under the smaller one, then every pointer jumps to
    its root; the root of a component ends up its smallest node. (NumPy alone: importing
    SciPy's graph module costs more than a batch's whole template search.)
    """
    root = np.arange(n, dtype=np.int64)
    while True:
        a, b = root[src], root[dst]
        apart = a != b
        if not apart.any():
            break
        a, b = a[apart], b[apart]
        np.minimum.at(root, np.maximum(a, b), np.minimum(a, b))
        while True:
            up = root[root]
            if np.array_equal(up, root):
                break
            root = up
    return np.unique(root, return_inverse=True)[1].astype(np.int64)


def _band_key(cols: Sig) -> U64:
    """One 64-bit key per row of a band (exact for two rows, hashed beyond)."""
    key = cols[:, 0].astype(np.uint64)
    with np.errstate(over="ignore"):
        for j in range(1, cols.shape[1]):
            key = (key << np.uint64(32)) ^ (key >> np.uint64(32)) * NGRAM_BASE
            key ^= cols[:, j].astype(np.uint64)
    return key


def _distinct_per_group(comp: I64, values: I64) -> I64:
    """Number of distinct ``values`` in each component."""
    order = np.lexsort((values, comp))
    c, v = comp[order], values[order]
    new = np.ones(len(c), dtype=bool)
    new[1:] = (c[1:] != c[:-1]) | (v[1:] != v[:-1])
    return np.bincount(c[new], minlength=int(comp.max()) + 1)
