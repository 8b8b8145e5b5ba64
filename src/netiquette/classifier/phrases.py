"""Find known phrases (default texts, outreach phrasing, specificity cues) in a token batch.

All phrases of all categories go into one table keyed by their n-gram hash; a note's n-grams
are hashed for each phrase length at once with NumPy and looked up with ``searchsorted``, so
the cost is a few vector passes per batch, not a Python loop per note and phrase.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from .normalize import I64, NGRAM_BASE, U64, Tokens, phrase_hash, phrase_tokens


@dataclass(frozen=True)
class Phrase:
    category: str
    lang: str
    text: str
    length: int


@dataclass
class Hits:
    """Phrase occurrences in a batch: parallel arrays, one entry per occurrence."""

    note: I64
    start: I64  # token index of the first token
    length: I64
    phrase: I64  # index into PhraseTable.phrases


class PhraseTable:
    """All known phrases, ready to be matched against token batches."""

    def __init__(self, entries: Iterable[tuple[str, str, str]]) -> None:
        self.phrases: list[Phrase] = []
        by_len: dict[int, dict[int, int]] = {}
        for category, lang, text in entries:
            words = phrase_tokens(text)
            if not words:
                continue
            key = phrase_hash(words)
            table = by_len.setdefault(len(words), {})
            if key in table:  # the same words twice: keep the first
                continue
            table[key] = len(self.phrases)
            self.phrases.append(Phrase(category, lang, text, len(words)))
        self._tables = {n: _HashTable(table) for n, table in by_len.items()}
        self.max_len = max(by_len, default=0)
        self.categories = sorted({p.category for p in self.phrases})
        self.category_of = np.array(
            [self.categories.index(p.category) for p in self.phrases], dtype=np.int64
        )

    def match(self, tok: Tokens) -> Hits:
        """Every occurrence of every phrase, as whole words, inside one note."""
        h = tok.hashes
        n_tok = len(h)
        notes, starts, lengths, phrases = [], [], [], []
        rolling = h.copy()
        with np.errstate(over="ignore"):
            for n in range(1, self.max_len + 1):
                if n > 1:
                    m = n_tok - n + 1
                    if m <= 0:
                        break
                    rolling = rolling[:m] * NGRAM_BASE + h[n - 1 :]
                table = self._tables.get(n)
                if table is None:
                    continue
                m = len(rolling)
                idx = table.slots(rolling)
                found = table.keys[idx] == rolling
                if n > 1:
                    found &= tok.note[:m] == tok.note[n - 1 : n - 1 + m]
                pos = np.flatnonzero(found)
                if len(pos) == 0:
                    continue
                notes.append(tok.note[pos])
                starts.append(pos)
                lengths.append(np.full(len(pos), n, dtype=np.int64))
                phrases.append(table.vals[idx[pos]])
        if not notes:
            empty = np.zeros(0, dtype=np.int64)
            return Hits(empty, empty, empty, empty)
        return Hits(
            np.concatenate(notes),
            np.concatenate(starts),
            np.concatenate(lengths),
            np.concatenate(phrases),
        )

    def coverage(self, hits: Hits, n_tokens: int, mask: np.ndarray) -> np.ndarray:
        """Boolean per token: covered by a hit whose phrase passes ``mask`` (per phrase)."""
        sel = mask[hits.phrase]
        delta = np.zeros(n_tokens + 1, dtype=np.int64)
        np.add.at(delta, hits.start[sel], 1)
        np.add.at(delta, hits.start[sel] + hits.length[sel], -1)
        return np.cumsum(delta[:-1]) > 0

    def mask_of(self, *categories: str) -> np.ndarray:
        """Per phrase: belongs to one of ``categories``."""
        return np.isin(
            self.category_of, [self.categories.index(c) for c in categories if c in self.categories]
        )


def _distinct(values: np.ndarray) -> bool:
    """Whether no two of ``values`` are equal (np.unique would import numpy.ma to ask:
    1.2 MB more while notes are judged)."""
    ordered = np.sort(values)
    return bool(np.all(ordered[1:] != ordered[:-1]))


class _HashTable:
    """A collision-free direct-address table: slot = some bits of the 64-bit key.

    Lookup is one shift, one mask and one gather per n-gram, whatever the number of phrases.
    """

    def __init__(self, table: dict[int, int]) -> None:
        keys = np.array(list(table), dtype=np.uint64)
        for bits in range(max(8, len(keys).bit_length() + 4), 25):
            for shift in range(0, 64 - bits, 5):
                slots = (keys >> np.uint64(shift)) & np.uint64((1 << bits) - 1)
                if _distinct(slots):
                    self.shift, self.mask = np.uint64(shift), np.uint64((1 << bits) - 1)
                    self.keys = np.zeros(1 << bits, dtype=np.uint64)
                    self.vals = np.full(1 << bits, -1, dtype=np.int64)
                    self.keys[slots] = keys
                    self.vals[slots] = [table[int(k)] for k in keys]
                    if 0 in table:  # key 0 would match every empty slot
                        raise ValueError("a phrase hashes to 0")
                    return
        raise ValueError("could not build a collision-free phrase table")

    def slots(self, hashes: U64) -> I64:
        return ((hashes >> self.shift) & self.mask).astype(np.int64)


def read_toml(path: Path | None, package_file: str) -> dict[str, Any]:
    """A TOML data file: from ``path``, or the one shipped in this package's data folder."""
    if path is not None:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    with resources.files(__package__).joinpath("data", package_file).open("rb") as fh:
        return tomllib.load(fh)


def load_phrase_entries(path: Path | None = None) -> list[tuple[str, str, str]]:
    """(category, language, phrase) from ``phrases.toml``."""
    data = read_toml(path, "phrases.toml")
    out: list[tuple[str, str, str]] = []
    for category, langs in data.items():
        for lang, texts in langs.items():
            out.extend((category, lang, str(t)) for t in texts)
    return out
