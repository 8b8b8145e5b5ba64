"""The built-in labelled corpus (``data/corpus.jsonl``), written for this project.

Each line: ``{"id", "message", "sender", "lang", "kind", "label"}`` where ``label`` is
``generic`` or ``personal`` and ``kind`` says what the note exercises (``default``,
``template``, ``outreach``, ``empty``, ``personal``, ``short-personal``, ...).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class CorpusNote:
    id: str
    message: str
    sender: str | None
    lang: str
    kind: str
    label: str


def _raw() -> bytes:
    return resources.files(__package__).joinpath("data", "corpus.jsonl").read_bytes()


@lru_cache(maxsize=1)
def load_corpus() -> tuple[CorpusNote, ...]:
    """All corpus notes, in file order."""
    out = []
    for line in _raw().decode("utf-8").splitlines():
        if not line.strip():
            continue
        d = json.loads(line)
        out.append(
            CorpusNote(
                id=str(d["id"]),
                message=d["message"],
                sender=d.get("sender"),
                lang=d.get("lang", "en"),
                kind=d.get("kind", ""),
                label=d["label"],
            )
        )
    return tuple(out)


@lru_cache(maxsize=1)
def corpus_fingerprint() -> str:
    """Changes whenever the corpus file changes (so models retrain on a new corpus)."""
    return hashlib.sha256(_raw()).hexdigest()[:16]
