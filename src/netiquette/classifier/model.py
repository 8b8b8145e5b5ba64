"""The learned refinement: a logistic regression over hashed words and the built-in signals.

Trained with scikit-learn on the built-in corpus plus the owner's labels; stored without
pickle as a NumPy ``.npz`` file (coefficients plus JSON metadata) so that loading a model runs
no code and needs no scikit-learn. The file carries ``FORMAT_VERSION``; a file of another
version is ignored (the built-in signals decide until the next ``learn``). Saving writes a
temporary file in the same folder and renames it over the old one (``os.replace``), so a
reader sees the old model or the new one, never half a file. ``label_hash`` identifies the
labels a model was trained on, so unchanged labels never cause retraining.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from .normalize import U64
from .signals import F64

if TYPE_CHECKING:  # SciPy is imported only where a model is used (it takes long to import)
    from scipy import sparse

FORMAT_VERSION = 1
WORD_BITS = 18
N_WORDS = 1 << WORD_BITS
OWNER_WEIGHT = 4.0  # an owner's label counts as this many corpus notes


def word_matrix(hashes: U64, note: npt.NDArray[np.int64], n_notes: int) -> sparse.csr_matrix:
    """Binary hashed unigrams and bigrams of the (masked) token stream, one row per note."""
    from scipy import sparse

    with np.errstate(over="ignore"):
        bi = hashes[:-1] * np.uint64(31) + hashes[1:]
    same = note[:-1] == note[1:]
    cols = np.concatenate([hashes, bi[same]]) & np.uint64(N_WORDS - 1)
    rows = np.concatenate([note, note[:-1][same]])
    m = sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.float64), (rows, cols.astype(np.int64))),
        shape=(n_notes, N_WORDS),
    )
    m.sum_duplicates()
    m.data[:] = 1.0
    return m


def label_hash(labels: Iterable[tuple[str, str]]) -> str:
    """A fingerprint of a set of labels (order-independent)."""
    h = hashlib.sha256(f"v{FORMAT_VERSION}".encode())
    for message, label in sorted(set(labels)):
        h.update(json.dumps([message, label]).encode())
    return h.hexdigest()


@dataclass
class LearnedModel:
    coef_words: F64
    coef_signals: F64
    intercept: float
    label_hash: str
    memory: dict[int, str] = field(default_factory=dict)  # owner's exact notes -> label
    n_labels: int = 0

    def logits(self, words: sparse.csr_matrix, signals: F64) -> F64:
        out: F64 = words @ self.coef_words + signals @ self.coef_signals + self.intercept
        return out

    def save(self, path: Path) -> None:
        """Write atomically: temporary file in the same folder, then ``os.replace``."""
        path.parent.mkdir(parents=True, exist_ok=True)
        meta = {
            "format_version": FORMAT_VERSION,
            "label_hash": self.label_hash,
            "intercept": self.intercept,
            "n_labels": self.n_labels,
            "memory": {str(k): v for k, v in self.memory.items()},
        }
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                np.savez_compressed(
                    fh,
                    coef_words=self.coef_words,
                    coef_signals=self.coef_signals,
                    meta=np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8),
                )
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    @staticmethod
    def load(path: Path) -> LearnedModel | None:
        """The model at ``path``; None when missing, unreadable or of another format version."""
        try:
            with np.load(path, allow_pickle=False) as data:
                meta = json.loads(bytes(data["meta"]).decode())
                if meta.get("format_version") != FORMAT_VERSION:
                    return None
                return LearnedModel(
                    coef_words=np.asarray(data["coef_words"], dtype=np.float64),
                    coef_signals=np.asarray(data["coef_signals"], dtype=np.float64),
                    intercept=float(meta["intercept"]),
                    label_hash=str(meta["label_hash"]),
                    memory={int(k): str(v) for k, v in meta.get("memory", {}).items()},
                    n_labels=int(meta.get("n_labels", 0)),
                )
        except (OSError, ValueError, KeyError):
            return None


def fit(
    words: sparse.csr_matrix, signals: F64, y: npt.NDArray[np.int64], weights: F64, hash_: str
) -> LearnedModel:
    """Train the logistic regression (``y`` = 1 for generic)."""
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    x = sparse.hstack([words, sparse.csr_matrix(signals)], format="csr")
    clf = LogisticRegression(C=0.5, max_iter=2000)
    clf.fit(x, y, sample_weight=weights)
    coef = clf.coef_.ravel()
    return LearnedModel(
        coef_words=coef[:N_WORDS].copy(),
        coef_signals=coef[N_WORDS:].copy(),
        intercept=float(clf.intercept_[0]),
        label_hash=hash_,
    )
