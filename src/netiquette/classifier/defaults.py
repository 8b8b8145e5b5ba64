"""The platform's default invitation texts, per language, kept as data.

The shipped list is ``data/default_texts.toml``; the owner may add a file of the same shape
(one table per language with ``name`` and ``texts``). Tables with the same key are merged:
the owner's texts are added and their ``name`` wins.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .phrases import read_toml

CATEGORY = "default"


class DefaultsError(ValueError):
    """The owner's default-texts file is not of the expected shape."""


@dataclass
class DefaultTexts:
    names: dict[str, str] = field(default_factory=dict)  # language key -> readable name
    texts: dict[str, list[str]] = field(default_factory=dict)

    def entries(self) -> list[tuple[str, str, str]]:
        """(category, language, text) rows for the phrase table."""
        return [(CATEGORY, lang, t) for lang, texts in self.texts.items() for t in texts]

    def language_name(self, lang: str) -> str:
        return self.names.get(lang, lang)


def load_defaults(extra: Path | None = None) -> DefaultTexts:
    """The shipped default texts, extended by the owner's file ``extra`` when given."""
    out = DefaultTexts()
    _merge(out, read_toml(None, "default_texts.toml"), "default_texts.toml")
    if extra is not None:
        _merge(out, read_toml(extra, ""), str(extra))
    return out


def _merge(out: DefaultTexts, data: dict[str, object], source: str) -> None:
    for lang, table in data.items():
        if not isinstance(table, dict):
            raise DefaultsError(f"{source}: [{lang}] must be a table with name and texts")
        texts = table.get("texts", [])
        if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
            raise DefaultsError(f"{source}: [{lang}] texts must be a list of strings")
        name = table.get("name")
        if name is not None and not isinstance(name, str):
            raise DefaultsError(f"{source}: [{lang}] name must be a string")
        if name:
            out.names[lang] = name
        out.names.setdefault(lang, lang)
        out.texts.setdefault(lang, []).extend(texts)
