"""The note classifier: is an invitation's note generic or personal?

Contract used by the rest of netiquette (keep it stable):

- ``Note(message, sender=None, recipient=None)``: one note to judge.
- ``Verdict(label, score, reasons)``: ``label`` is ``"generic"`` or ``"personal"``;
  ``score`` in [0, 1] is how *generic* the note looks (label is ``generic`` iff score >= 0.5);
  ``reasons`` are sentences a person can read.
- ``Classifier(model_path=None, extra_defaults=None).judge(notes)`` judges a whole batch at once
  (templates across senders count) and returns one Verdict per note, in order;
  ``judge_texts(texts, senders)`` does the same for notes given as two parallel lists.
- ``Classifier.learn(labels, model_path)`` trains on the owner's labels
  (pairs of message and label) plus the built-in corpus; it retrains only when labels changed
  and returns whether it trained.
- ``get_classifier(model_path=None)`` returns a ready classifier.

How it decides: built-in signals (empty notes, the platform's default texts per language,
templates across senders, outreach phrasing, specificity) give a score and the reasons; when a
learned model is present (see ``model``) it refines the score. With no model the signals decide.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from .corpus import corpus_fingerprint, load_corpus
from .defaults import DefaultTexts, load_defaults
from .model import OWNER_WEIGHT, LearnedModel, fit, label_hash
from .phrases import PhraseTable, load_phrase_entries
from .pipeline import Analysis, analyse
from .scoring import fallback_reason, reasons_for, sigmoid

GENERIC = "generic"
PERSONAL = "personal"
LABELS = (GENERIC, PERSONAL)

__all__ = ["GENERIC", "PERSONAL", "Classifier", "Note", "Verdict", "get_classifier"]


@dataclass(frozen=True)
class Note:
    message: str
    sender: str | None = None
    recipient: str | None = None


@dataclass(frozen=True)
class Verdict:
    label: str
    score: float
    reasons: tuple[str, ...] = field(default_factory=tuple)


class Classifier:
    """Judges notes; see the module docstring for the contract.

    ``extra_defaults`` names the owner's own file of default texts (same shape as
    ``data/default_texts.toml``), added to the shipped list.
    """

    def __init__(self, model_path: Path | None = None, extra_defaults: Path | None = None) -> None:
        self.model_path = model_path
        self.defaults, self.table = _phrases(extra_defaults, _stamp(extra_defaults))
        self.model: LearnedModel | None = None
        if model_path is not None and Path(model_path).exists():
            self.model = LearnedModel.load(Path(model_path))

    def judge(self, notes: Sequence[Note]) -> list[Verdict]:
        """One verdict per note, in order; the notes are judged as one batch."""
        return self.judge_texts([n.message for n in notes], [n.sender for n in notes])

    def judge_texts(self, texts: Sequence[str], senders: Sequence[str | None]) -> list[Verdict]:
        """As :meth:`judge`, for notes given as their texts and senders (parallel lists)."""
        texts = [t or "" for t in texts]
        if not texts:
            return []
        model = self.model
        a = analyse(texts, senders, self.table, want_words=model is not None)
        z = a.rule_logits
        learned = np.zeros(len(texts), dtype=bool)
        if model is not None and a.words is not None:
            zm = model.logits(a.words, a.features())
            learned = (a.signals.n_tokens > 0) & ((zm >= 0) != (z >= 0))
            z = np.where(a.signals.n_tokens > 0, zm, z)
        scores = sigmoid(z)
        # Building a million small objects would trigger the cyclic garbage collector over and
        # over (they hold no cycles); pause it for the loop so the cost stays linear.
        paused = gc.isenabled()
        gc.disable()
        try:
            return self._verdicts(texts, scores, learned, a)
        finally:
            if paused:
                gc.enable()

    def _verdicts(
        self, texts: Sequence[str], scores: np.ndarray, learned: np.ndarray, a: Analysis
    ) -> list[Verdict]:
        """A note's verdict follows from its text and its template counts (the other senders,
        names swapped) alone, so notes alike share one verdict, worked out once."""
        done: dict[tuple[str, int, bool], Verdict] = {}
        others, swapped = a.signals.others.tolist(), a.signals.swapped.tolist()
        out = []
        for i, text in enumerate(texts):
            key = (text, others[i], swapped[i])
            verdict = done.get(key)
            if verdict is None:
                verdict = done[key] = self._verdict(i, text, float(scores[i]), bool(learned[i]), a)
            out.append(verdict)
        return out

    def _verdict(self, i: int, text: str, score: float, learned: bool, a: Analysis) -> Verdict:
        model = self.model
        reasons = reasons_for(i, a.signals, text, self.table, self.defaults)
        remembered = model.memory.get(int(a.text_hash[i])) if model else None
        if remembered is not None and a.signals.n_tokens[i] > 0:
            score = 0.97 if remembered == GENERIC else 0.03
            reasons.insert(0, f"you marked this note as {remembered} before")
        elif learned:
            lean = GENERIC if score >= 0.5 else PERSONAL
            reasons.append(f"the model learned from your labels leans {lean}")
        generic = score >= 0.5
        reasons += fallback_reason(generic, reasons)
        return Verdict(GENERIC if generic else PERSONAL, round(score, 4), tuple(reasons))

    def judge_text(self, message: str) -> Verdict:
        """The verdict on one note on its own."""
        return self.judge([Note(message)])[0]

    def learn(self, labels: Iterable[tuple[str, str]], model_path: Path) -> bool:
        """Train on the owner's labels plus the built-in corpus; save the model atomically.

        Returns True when a model was trained, False when the model at ``model_path`` was
        already trained on exactly these labels (it is then loaded, not retrained).
        Raises ValueError for a label other than ``generic`` or ``personal``.
        """
        pairs = [(str(m), str(lab)) for m, lab in labels]
        for _, lab in pairs:
            if lab not in LABELS:
                raise ValueError(f"label must be 'generic' or 'personal', not {lab!r}")
        model_path = Path(model_path)
        fingerprint = label_hash(pairs + [("", corpus_fingerprint())])
        existing = LearnedModel.load(model_path) if model_path.exists() else None
        if existing is not None and existing.label_hash == fingerprint:
            self.model, self.model_path = existing, model_path
            return False
        corpus = load_corpus()
        texts = [c.message for c in corpus] + [m for m, _ in pairs]
        senders = [c.sender for c in corpus] + [None] * len(pairs)
        y = np.array([c.label == GENERIC for c in corpus] + [lab == GENERIC for _, lab in pairs])
        weights = np.array([1.0] * len(corpus) + [OWNER_WEIGHT] * len(pairs))
        a = analyse(texts, senders, self.table, want_words=True)
        assert a.words is not None
        model = fit(a.words, a.features(), y.astype(np.int64), weights, fingerprint)
        model.n_labels = len(pairs)
        for i, (_, lab) in enumerate(pairs):
            model.memory[int(a.text_hash[len(corpus) + i])] = lab
        model.save(model_path)
        self.model, self.model_path = model, model_path
        return True


def _stamp(path: Path | None) -> tuple[int, int] | None:
    """When and how large the owner's file is (a changed file is read again)."""
    try:
        found = Path(path).stat() if path is not None else None
    except OSError:
        return None  # load_defaults says what is wrong with it
    return (found.st_mtime_ns, found.st_size) if found is not None else None


@lru_cache(maxsize=4)
def _phrases(extra: Path | None, stamp: tuple[int, int] | None) -> tuple[DefaultTexts,
                                                                        PhraseTable]:
    """The default texts and the phrase table built from them, once per process and
    owner's file (``stamp``: its time and size). Both are only read once built; building
    them took 35 ms and 4 MB for every classifier, i.e. for every note judged on its own."""
    defaults = load_defaults(extra)
    return defaults, PhraseTable(defaults.entries() + load_phrase_entries())


def get_classifier(model_path: Path | None = None) -> Classifier:
    """A ready classifier, with the learned model at ``model_path`` when there is one."""
    return Classifier(model_path)
