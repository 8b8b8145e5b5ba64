"""Turn a batch of notes into flat NumPy token arrays.

Every later stage (default texts, phrases, templates, the learned model) works on the same
arrays, so each note is tokenised once, by one C-level regex pass over the joined batch.

Tokens are words (letters and digits) and single CJK characters; punctuation and spacing are
dropped, case is folded. Each distinct token gets a *stable* 64-bit hash (BLAKE2b of its
lower-case form), so hashes, n-gram hashes and model features agree across processes.
A token is a *merge-field candidate* when it starts with a capital letter or a digit: names,
companies, titles, cities and numbers are what mass-outreach tools merge into a template.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from hashlib import blake2b

import numpy as np
import numpy.typing as npt

U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]
BoolA = npt.NDArray[np.bool_]

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
TOKEN_RE = re.compile(rf"\x00|[{_CJK}]|[^\W_{_CJK}]+")
#: Multiplier of the polynomial n-gram hash (odd, 64-bit).
NGRAM_BASE = np.uint64(0x9E3779B97F4A7C15)
#: The hash every masked merge field gets.
MASK_HASH = np.uint64(0x5BD1E9955BD1E995)
_SEP = "\x00"


#: Folding beyond ``str.casefold``: Turkish dotless and dotted i fold to plain i.
_FOLD = str.maketrans({"ı": "i", "\u0307": None})


def fold(token: str) -> str:
    """Case-fold a token so that upper- and lower-case writings compare equal."""
    return token.casefold().translate(_FOLD)


def stable_hash(token: str) -> int:
    """A process-independent 64-bit hash of a (lower-case) token."""
    return int.from_bytes(blake2b(token.encode("utf-8"), digest_size=8).digest(), "little")


class Vocab(dict[str, int]):
    """Maps raw token text to a small id; per id keeps its hash and whether it may be merged."""

    def __init__(self) -> None:
        super().__init__()
        self.hashes: list[int] = []
        self.caps: list[bool] = []
        self.lowers: list[str] = []

    def __missing__(self, token: str) -> int:
        idx = len(self.hashes)
        low = fold(token)
        self.lowers.append(low)
        self.hashes.append(0 if token == _SEP else stable_hash(low))
        first = token[0]
        self.caps.append(token != _SEP and (first.isupper() or first.isdigit()))
        self[token] = idx
        return idx


@dataclass
class Tokens:
    """A batch of notes as flat token arrays (tokens of note i are ``starts[i]:starts[i+1]``)."""

    hashes: U64  # stable hash of each lower-cased token
    caps: BoolA  # token starts with a capital or a digit (merge-field candidate)
    note: I64  # index of the note each token belongs to
    starts: I64  # len n_notes + 1
    ids: I64  # vocabulary id of each token

    @property
    def n_notes(self) -> int:
        return len(self.starts) - 1

    def lengths(self) -> I64:
        return np.diff(self.starts)

    def first_in_note(self) -> BoolA:
        """True for each token that opens its note."""
        first = np.zeros(len(self.hashes), dtype=bool)
        nonempty = self.starts[:-1][self.lengths() > 0]
        first[nonempty] = True
        return first


def tokenize(texts: Sequence[str], vocab: Vocab) -> Tokens:
    """Tokenise a batch of notes in one regex pass."""
    joined = _SEP.join(t.replace(_SEP, " ") if _SEP in t else t for t in texts)
    if not joined.isascii():
        joined = unicodedata.normalize("NFKC", joined)
    raw = TOKEN_RE.findall(joined)
    ids = np.fromiter(map(vocab.__getitem__, raw), dtype=np.int64, count=len(raw))
    sep_id = vocab[_SEP]
    is_sep = ids == sep_id
    note = np.cumsum(is_sep)
    keep = ~is_sep
    ids = ids[keep]
    note = note[keep]
    hashes = np.array(vocab.hashes, dtype=np.uint64)[ids]
    caps = np.array(vocab.caps, dtype=bool)[ids]
    counts = np.bincount(note, minlength=len(texts))
    starts = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(counts, out=starts[1:])
    return Tokens(hashes, caps, note.astype(np.int64), starts, ids)


def phrase_hash(words: Sequence[int]) -> int:
    """The n-gram hash of a token-hash sequence, as ``ngram_hashes`` computes it."""
    h = 0
    for w in words:
        h = (h * int(NGRAM_BASE) + w) % (1 << 64)
    return h


def phrase_tokens(text: str) -> list[int]:
    """Token hashes of a phrase written in a data file."""
    text = unicodedata.normalize("NFKC", text)
    return [stable_hash(fold(t)) for t in TOKEN_RE.findall(text) if t != _SEP]


def masked_stream(tok: Tokens) -> tuple[U64, I64]:
    """Token hashes with merge fields masked and runs of masks collapsed into one.

    Returns the masked hashes and the note index of each kept token.
    """
    caps = tok.caps
    h = np.where(caps, MASK_HASH, tok.hashes)
    prev_cap = np.zeros_like(caps)
    prev_cap[1:] = caps[:-1] & (tok.note[1:] == tok.note[:-1])
    keep = ~(caps & prev_cap)
    return h[keep], tok.note[keep]


def text_hashes(tok: Tokens, hashes: U64 | None = None) -> U64:
    """One hash per note of its whole token sequence (case and punctuation ignored)."""
    h = tok.hashes if hashes is None else hashes
    n = tok.n_notes
    out = np.zeros(n, dtype=np.uint64)
    if len(h) == 0:
        return out
    pos = np.arange(len(h), dtype=np.int64) - tok.starts[tok.note]
    weights = _powers(int(pos.max()) + 1)[pos]
    with np.errstate(over="ignore"):
        mixed = h * weights + np.uint64(1)
    nonempty = tok.lengths() > 0
    sums = np.add.reduceat(mixed, tok.starts[:-1][nonempty])
    out[nonempty] = sums
    return out


_POWERS: list[U64] = [np.ones(1, dtype=np.uint64)]


def _powers(n: int) -> U64:
    have = _POWERS[0]
    if len(have) < n:
        p = np.full(max(n, 2 * len(have)), NGRAM_BASE, dtype=np.uint64)
        p[0] = 1
        _POWERS[0] = np.cumprod(p, dtype=np.uint64)
    return _POWERS[0]
