"""Per-note signals computed for a whole chunk of notes with NumPy.

A ``Signals`` object holds one array per signal, one entry per note; ``scoring`` turns them into
a score and readable reasons, ``model`` uses them (plus hashed words) as learned features.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import numpy.typing as npt

from .defaults import CATEGORY as DEFAULT
from .normalize import I64, Tokens
from .phrases import Hits, PhraseTable

F64 = npt.NDArray[np.float64]

#: Categories whose phrases count as runs (one run = one mention), in feature order.
CUES = (
    "outreach",
    "outreach_weak",
    "event",
    "named_event",
    "mutual",
    "post",
    "conversation",
    "worked",
    "time",
)


@dataclass
class Signals:
    n_tokens: I64
    content: I64  # tokens beyond greetings, names, default text and outreach phrasing
    default_cover: I64  # tokens covered by a default text
    default_phrase: I64  # phrase id of the default text found, -1 if none
    outreach: I64
    outreach_weak: I64
    event: I64
    named_event: I64  # an event noun next to a name ("PMI Cleveland dinner")
    mutual: I64
    post: I64
    conversation: I64
    worked: I64
    time: I64
    first_phrase: dict[str, I64]  # per cue category: a phrase id found in the note, -1 if none
    others: I64  # other senders with the same wording (filled in by the template stage)
    swapped: npt.NDArray[np.bool_]

    def matrix(self) -> F64:
        """Dense numeric features for the learned model (one row per note)."""
        cols = [
            np.log1p(self.n_tokens),
            np.log1p(self.content),
            (self.n_tokens == 0).astype(float),
            (self.content <= 2).astype(float),
            (self.default_phrase >= 0).astype(float),
            self.default_cover / np.maximum(self.n_tokens, 1),
            np.minimum(self.others, 5) / 5.0,
            (self.others >= 2).astype(float),
            self.swapped.astype(float),
        ]
        cols += [np.minimum(getattr(self, c), 3).astype(float) for c in CUES]
        return np.stack(cols, axis=1)

    @staticmethod
    def concat(parts: list[Signals]) -> Signals:
        out: dict[str, Any] = {}
        for f in fields(Signals):
            vals = [getattr(p, f.name) for p in parts]
            if f.name == "first_phrase":
                out[f.name] = {c: np.concatenate([v[c] for v in vals]) for c in CUES}
            else:
                out[f.name] = np.concatenate(vals)
        return Signals(**out)

    def take(self, rows: I64) -> Signals:
        """The signals of notes ``rows`` (an index array), in that order."""
        out: dict[str, Any] = {}
        for f in fields(Signals):
            value = getattr(self, f.name)
            if f.name == "first_phrase":
                out[f.name] = {c: v[rows] for c, v in value.items()}
            else:
                out[f.name] = value[rows]
        return Signals(**out)


def compute(tok: Tokens, hits: Hits, table: PhraseTable) -> Signals:
    """All phrase-based signals for a chunk (templates come later, across the whole batch)."""
    n = tok.n_notes
    n_tok = len(tok.hashes)
    lengths = tok.lengths()

    def per_note(mask: npt.NDArray[np.bool_]) -> I64:
        return np.bincount(tok.note[mask], minlength=n).astype(np.int64)

    default_mask = table.mask_of(DEFAULT)
    covered = table.coverage(hits, n_tok, table.mask_of(DEFAULT, "filler", "outreach"))
    default_cov = table.coverage(hits, n_tok, default_mask)
    names = tok.caps & ~tok.first_in_note()
    content = per_note(~covered & ~names)
    default_phrase = np.full(n, -1, dtype=np.int64)
    sel = default_mask[hits.phrase]
    default_phrase[hits.note[sel]] = hits.phrase[sel]

    runs: dict[str, I64] = {}
    first: dict[str, I64] = {}
    for cat in CUES:
        if cat == "named_event":
            mask = _named_event_hits(tok, hits, table)
        else:
            mask = table.mask_of(cat)[hits.phrase]
        cov = _coverage_of(hits, mask, n_tok)
        starts = cov.copy()
        starts[1:] &= ~cov[:-1] | (tok.note[1:] != tok.note[:-1])
        runs[cat] = per_note(starts)
        fp = np.full(n, -1, dtype=np.int64)
        fp[hits.note[mask]] = hits.phrase[mask]
        first[cat] = fp
    return Signals(
        n_tokens=lengths.astype(np.int64),
        content=content,
        default_cover=per_note(default_cov),
        default_phrase=default_phrase,
        first_phrase=first,
        others=np.zeros(n, dtype=np.int64),
        swapped=np.zeros(n, dtype=bool),
        **runs,
    )


def _coverage_of(hits: Hits, mask: npt.NDArray[np.bool_], n_tok: int) -> npt.NDArray[np.bool_]:
    delta = np.zeros(n_tok + 1, dtype=np.int64)
    np.add.at(delta, hits.start[mask], 1)
    np.add.at(delta, hits.start[mask] + hits.length[mask], -1)
    return np.cumsum(delta[:-1]) > 0


def _named_event_hits(tok: Tokens, hits: Hits, table: PhraseTable) -> npt.NDArray[np.bool_]:
    """Event nouns directly preceded by a name-like token of the same note ("PyCon talk")."""
    mask = table.mask_of("event_noun")[hits.phrase]
    before = hits.start - 1
    ok = before >= 0
    before = np.where(ok, before, 0)
    same = tok.note[before] == hits.note
    first = tok.first_in_note()
    return mask & ok & same & tok.caps[before] & ~first[before]
