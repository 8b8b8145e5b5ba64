"""Pure identity helpers: profile slugs, name normalisation and fuzzy name matching.

The rule that matters most: two *different* profile slugs are never the same
person, whatever their names say.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import unquote

_PROFILE_RE = re.compile(
    r"^(?:https?://)?(?:[a-z0-9-]+\.)*linkedin\.com/in/([^/?#\s]+)", re.IGNORECASE
)

TITLES = frozenset({
    "dr", "prof", "professor", "mr", "mrs", "ms", "miss", "mx", "sir", "dame",
    "herr", "frau", "mme", "mlle", "dipl", "ing", "rev", "hon",
})  # fmt: skip
SUFFIXES = frozenset({
    "jr", "sr", "ii", "iii", "iv", "phd", "md", "mba", "msc", "bsc", "ma", "ba", "mph",
    "jd", "llm", "esq", "cpa", "cfa", "pmp", "dds", "dvm", "rn", "frcs", "mcse",
})  # fmt: skip
_AMBIGUOUS_SUFFIXES = frozenset({"ma", "ba", "md", "rn", "ii"})  # also real name tokens
_PAREN_RE = re.compile(r"[(\[{].*?[)\]}]")
_NON_WORD_RE = re.compile(r"[^\w\s-]|_")
_SPACE_RE = re.compile(r"\s")  # the characters of str.isspace()
#: a name of ASCII letters and spaces alone (most are)
_PLAIN_NAME = re.compile(r"[A-Za-z ]+").fullmatch

DEFAULT_THRESHOLD = 90.0


_CANONICAL = "https://www.linkedin.com/in/"
SLUG_MAX = 200  # the store's column
_PLAIN_REST = re.compile(r"[^/?#%\s]+/?")


def full_name(first: str, last: str) -> str:
    """A name from its first and last parts, with single spaces."""
    return " ".join(f"{first} {last}".split())


def profile_slug(url: str | None) -> str | None:
    """Return the slug of a LinkedIn profile URL (``linkedin.com/in/<slug>``), or None.

    Accepts http/https, no scheme, ``www.`` and country subdomains; the slug is
    URL-decoded and lowercased; trailing slashes, sub-paths, query and fragment
    are dropped. Anything that is not a ``/in/`` profile URL gives None, and so does a slug
    longer than :data:`SLUG_MAX` (LinkedIn's own are at most 100 characters).
    """
    if not url:
        return None
    if url.startswith(_CANONICAL):  # the usual form, without a regex or a cache entry
        rest = url[len(_CANONICAL):]
        if _PLAIN_REST.fullmatch(rest):
            slug = rest.rstrip("/").lower()
            return slug if len(slug) <= SLUG_MAX else None
    return _profile_slug(url)


@lru_cache(maxsize=8192)
def _profile_slug(url: str) -> str | None:
    match = _PROFILE_RE.match(url.strip())
    if match is None:
        return None
    slug = unquote(match.group(1)).strip().lower()
    return slug if slug and len(slug) <= SLUG_MAX else None


class _Combining(dict[int, "int | None"]):
    """For ``str.translate``: a combining character (a mark that goes with the letter
    before it) to nothing, any other to itself; each looked up once."""

    def __missing__(self, code: int) -> int | None:
        kept = self[code] = None if unicodedata.combining(chr(code)) else code
        return kept


_WITHOUT_MARKS = _Combining()


def _strip_accents(text: str) -> str:
    if text.isascii():  # nothing to decompose
        return text
    return unicodedata.normalize("NFKD", text).translate(_WITHOUT_MARKS)


def _tokens(part: str) -> list[str]:
    part = _NON_WORD_RE.sub(" ", part.replace(".", " "))
    return [t.strip("-") for t in part.casefold().split() if t.strip("-")]


def plausible_email(text: str) -> bool:
    """An address worth keeping: one ``@`` with something on each side, a dot in the domain,
    no spaces, at most 320 characters. (Not a full RFC 5322 check: exports are lenient.)"""
    local, _, domain = text.partition("@")
    return (text.count("@") == 1 and bool(local) and "." in domain.strip(".")
            and len(text) <= 320 and _SPACE_RE.search(text) is None)


@lru_cache(maxsize=8192)
def normalize_name(name: str | None) -> str:
    """Normalise a person's name for comparison.

    Removes accents, case, punctuation, emoji and parenthesised notes
    ("(she/her)"), leading titles (Dr., Prof., Mr., ...), trailing suffixes and
    credentials (Jr., PhD, MBA, ...), single-letter middle initials, and turns
    "Last, First" into "first last". Middle names are kept; see
    :func:`name_similarity` for how they are weighed.
    """
    if not name:
        return ""
    if _PLAIN_NAME(name):  # ASCII letters and spaces: what the rest makes of it, sooner
        tokens = name.lower().split()
    else:
        text = _strip_accents(name)
        if "(" in text or "[" in text or "{" in text:
            text = _PAREN_RE.sub(" ", text)
        head, _, tail = text.partition(",")
        tail_tokens = _tokens(tail) if tail else []
        tokens = _tokens(head)
        if tail_tokens and not all(t in SUFFIXES or t in TITLES for t in tail_tokens):
            tokens = tail_tokens + tokens  # "Doe, Jane" -> "jane doe"
    while len(tokens) > 1 and tokens[0] in TITLES:
        tokens.pop(0)
    while len(tokens) > 2 and tokens[-1] in SUFFIXES and tokens[-1] not in _AMBIGUOUS_SUFFIXES:
        tokens.pop()
    if len(tokens) > 2:
        tokens = [tokens[0]] + [t for t in tokens[1:-1] if len(t) > 1] + [tokens[-1]]
    return " ".join(tokens)


def forget_names() -> None:
    """Empty the caches of :func:`profile_slug` and :func:`normalize_name` (an import
    fills them; what comes after it has no use for them)."""
    _profile_slug.cache_clear()
    normalize_name.cache_clear()


def name_key(name: str | None) -> str:
    """First and last normalised token ("jane doe"); empty if the name has fewer than two.

    Useful as a blocking key: candidates for a fuzzy match share it or nearly.
    """
    tokens = normalize_name(name).split()
    return f"{tokens[0]} {tokens[-1]}" if len(tokens) >= 2 else ""


def name_similarity(a: str | None, b: str | None) -> float:
    """Similarity of two names in 0..100 after :func:`normalize_name`.

    Word order does not matter; a middle name present on one side only does not
    lower the score when first and last names agree.
    """
    na, nb = normalize_name(a), normalize_name(b)
    if not na or not nb:
        return 0.0
    from rapidfuzz import fuzz  # imported when first needed: an import has no use for it

    score = fuzz.token_sort_ratio(na, nb)
    ta, tb = na.split(), nb.split()
    if len(ta) >= 2 and len(tb) >= 2:
        core_a = f"{ta[0]} {ta[-1]}"
        score = max(score, fuzz.ratio(core_a, f"{tb[0]} {tb[-1]}"))
        score = max(score, fuzz.ratio(core_a, f"{tb[-1]} {tb[0]}"))
    return float(score)


def likely_same(
    a_names: Iterable[str],
    b_names: Iterable[str],
    a_slug: str | None = None,
    b_slug: str | None = None,
    threshold: float = DEFAULT_THRESHOLD,
) -> bool:
    """Whether two people are likely the same human.

    Equal slugs: yes. Two different slugs: never, whatever the names. Otherwise
    some pair of names, each of at least two words, must score ``threshold`` or
    more in :func:`name_similarity` (single-word names are too weak to match).
    """
    if a_slug and b_slug:
        return a_slug == b_slug
    a_list = [n for n in a_names if len(normalize_name(n).split()) >= 2]
    b_list = [n for n in b_names if len(normalize_name(n).split()) >= 2]
    return any(name_similarity(a, b) >= threshold for a in a_list for b in b_list)
