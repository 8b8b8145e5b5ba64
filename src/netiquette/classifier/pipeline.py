"""One pass over a batch: tokens, phrases, signals, MinHash per chunk; templates across all.

Everything up to the templates depends on a note's text alone, so it runs once per distinct
text (a batch of invitations repeats the empty note, the default texts and the templates
thousands of times) and is then spread over the notes; template detection, which counts
senders, runs on every note. Texts are processed in chunks (``CHUNK`` texts) so memory stays
flat however large the batch; only compact per-note results (signals, signatures, text hashes)
are kept for the whole batch, where template detection runs once across every chunk.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from . import signals as sig_mod
from . import templates
from .model import word_matrix
from .normalize import I64, U64, Tokens, Vocab, masked_stream, text_hashes, tokenize
from .phrases import PhraseTable
from .scoring import rule_logits
from .signals import F64, Signals

if TYPE_CHECKING:  # SciPy is imported only when word features are asked for (a model's)
    from scipy import sparse

CHUNK = 20_000


@dataclass
class Analysis:
    signals: Signals
    rule_logits: F64
    text_hash: U64
    words: sparse.csr_matrix | None  # hashed word features, when asked for

    def features(self) -> F64:
        """Dense features for the model: the signals plus the rule score."""
        return np.hstack([self.signals.matrix(), (self.rule_logits / 5.0)[:, None]])


def analyse(
    texts: Sequence[str],
    senders: Sequence[str | None],
    table: PhraseTable,
    want_words: bool = False,
) -> Analysis:
    """Judge-ready signals for a whole batch (templates across senders included)."""
    first: dict[str, int] = {}  # distinct text -> its index among the distinct texts
    of_note = np.fromiter(
        (first.setdefault(t, len(first)) for t in texts), dtype=np.int64, count=len(texts)
    )
    distinct = list(first)
    vocab = Vocab()
    parts: list[Signals] = []
    sigs, elig, hashes, words = [], [], [], []
    for lo in range(0, max(len(distinct), 1), CHUNK):
        chunk = distinct[lo : lo + CHUNK]
        tok = tokenize(chunk, vocab)
        hits = table.match(tok)
        parts.append(sig_mod.compute(tok, hits, table))
        s, e = templates.signatures(tok)
        sigs.append(s)
        elig.append(e)
        hashes.append(text_hashes(tok))
        if want_words:
            words.append(_words(tok))
    signals = Signals.concat(parts).take(of_note)
    text_hash = np.concatenate(hashes)[of_note]
    groups = templates.find_templates(
        np.concatenate(sigs)[of_note], np.concatenate(elig)[of_note], sender_ids(senders),
        text_hash,
    )
    signals.others = groups.others
    signals.swapped = groups.swapped
    stacked = None
    if want_words:
        from scipy import sparse

        stacked = sparse.vstack(words, format="csr")[of_note]
    return Analysis(
        signals=signals, rule_logits=rule_logits(signals), text_hash=text_hash, words=stacked
    )


def _words(tok: Tokens) -> sparse.csr_matrix:
    h, note = masked_stream(tok)
    return word_matrix(h, note, tok.n_notes)


def sender_ids(senders: Sequence[str | None]) -> I64:
    """An integer per sender; notes without a sender each count as a sender of their own."""
    ids: dict[str, int] = {}
    out = np.empty(len(senders), dtype=np.int64)
    for i, s in enumerate(senders):
        if s is None or not s.strip():
            out[i] = -1 - i
        else:
            out[i] = ids.setdefault(s.strip().lower(), len(ids))
    return out
