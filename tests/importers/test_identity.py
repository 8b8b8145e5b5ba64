"""Identity helpers: slugs, names, and the rule that different slugs never match."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from netiquette.importers.identity import (
    likely_same,
    name_key,
    name_similarity,
    normalize_name,
    plausible_email,
    profile_slug,
)


@pytest.mark.parametrize(
    ("url", "slug"),
    [("https://www.linkedin.com/in/jane-doe-4a1b2c", "jane-doe-4a1b2c"),
     ("https://www.linkedin.com/in/Jane-Doe/", "jane-doe"),
     ("http://de.linkedin.com/in/j%C3%BCrgen-m%C3%BCller?trk=x#top", "jürgen-müller"),
     ("linkedin.com/in/abc/en", "abc"),
     ("www.linkedin.com/in/abc?originalSubdomain=fr", "abc"),
     ("  https://LINKEDIN.COM/in/MiXeD  ", "mixed")],
)
def test_profile_slug(url, slug):
    assert profile_slug(url) == slug


@pytest.mark.parametrize("url", [None, "", "https://www.linkedin.com/company/acme",
                                 "https://example.com/in/jane", "https://notlinkedin.com/in/x",
                                 "https://www.linkedin.com/in/"])
def test_not_a_profile_url(url):
    assert profile_slug(url) is None


@pytest.mark.parametrize(
    ("name", "normal"),
    [("Dr. Jürgen Müller-Lüdenscheidt, PhD", "jurgen muller-ludenscheidt"),
     ("Doe, Jane", "jane doe"),
     ("Jane Q. Doe", "jane doe"),
     ("Jane Mary Doe", "jane mary doe"),
     ("Prof. Dr. Anna Schmidt", "anna schmidt"),
     ("Mr. John Smith Jr.", "john smith"),
     ("Jane Doe (she/her) 🚀", "jane doe"),
     ("Jane Doe, MBA, PMP", "jane doe"),
     ("Yo-Yo Ma", "yo-yo ma"),
     ("ZOË  ÅSTRÖM", "zoe astrom"),
     ("", "")],
)
def test_normalize_name(name, normal):
    assert normalize_name(name) == normal


def test_name_key():
    assert name_key("Dr. Jane Mary Doe") == "jane doe"
    assert name_key("Cher") == ""


def test_name_similarity():
    assert name_similarity("Jane Mary Doe", "Dr. Jane Doe") == 100
    assert name_similarity("Doe, Jane", "Jane Doe") == 100
    assert name_similarity("José Álvarez", "Jose Alvarez") == 100
    assert name_similarity("Jon Doe", "John Doe") > 90
    assert name_similarity("Jane Doe", "John Smith") < 50
    assert name_similarity("", "Jane Doe") == 0


def test_likely_same():
    assert likely_same(["Dr. Jane Doe"], ["Jane M. Doe"])
    assert likely_same(["Jane Doe"], ["Jane Doe"], "jane-doe", "jane-doe")
    assert likely_same(["J. D."], ["Someone Else"], "jane-doe", "jane-doe")
    assert not likely_same(["Jane Doe"], ["Jane Doe"], "jane-doe", "jane-doe-2")
    assert not likely_same(["Jane"], ["Jane"])  # one word is too little to go on
    assert not likely_same(["Jane Doe"], ["Jane Dow"])


names = st.text(alphabet=st.characters(categories=["L", "Zs", "Pd", "Po"]), max_size=30)
slugs = st.from_regex(r"[a-z0-9-]{1,12}", fullmatch=True)


@given(names, slugs, slugs)
def test_different_slugs_are_never_the_same_person(name, a, b):
    assert likely_same([name], [name], a, b) == (a == b)


any_text = st.text(alphabet=st.characters(categories=["L", "M", "Zs", "Pd", "Po", "So"]),
                  max_size=30)
plain_names = st.from_regex(r"(Dr |Mr |Prof )?[A-Za-z]{1,8}( [A-Za-z]{1,3}){0,3}"
                            r"( (Jr|PhD|MBA|Ma))?", fullmatch=True)


@given(any_text)
def test_marks_are_dropped_as_one_at_a_time(text):
    import unicodedata

    from netiquette.importers.identity import _strip_accents

    assert _strip_accents(text) == "".join(
        c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@given(plain_names | any_text)
@example("Jürgen Weiß")  # (casefold: "weiss")
@example("Anna Marie SCHMIDT")
def test_a_plain_name_is_normalised_as_any_other(name):
    """The quick way for names of ASCII letters and spaces makes what the whole way makes."""
    from netiquette.importers import identity

    normalize_name.cache_clear()
    quick = normalize_name(name)
    plain, identity._PLAIN_NAME = identity._PLAIN_NAME, lambda text: None
    try:
        normalize_name.cache_clear()
        assert normalize_name(name) == quick
    finally:
        identity._PLAIN_NAME = plain
        normalize_name.cache_clear()


@given(names)
def test_normalize_name_is_idempotent(name):
    once = normalize_name(name)
    assert normalize_name(once) == once


@given(slugs)
def test_slug_survives_url_forms(slug):
    for url in (f"https://www.linkedin.com/in/{slug}/", f"http://fr.linkedin.com/in/{slug}?a=b",
                f"linkedin.com/in/{slug.upper()}"):
        assert profile_slug(url) == slug


def test_reading_identities_does_not_load_rapidfuzz():
    """An import matches exactly (slugs, name keys); fuzzy matching loads when first used."""
    import subprocess
    import sys

    code = ("import sys, netiquette.importers.identity as i\n"
            "i.normalize_name('Jane Doe'); i.profile_slug('https://www.linkedin.com/in/j')\n"
            "assert 'rapidfuzz' not in sys.modules\n"
            "assert i.name_similarity('Jane Doe', 'Doe, Jane') == 100.0\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


@pytest.mark.parametrize(
    ("text", "ok"),
    [("jane@example.com", True), ("jane.doe+x@mail.example.co.uk", True),
     ("jane@example", False), ("@example.com", False), ("jane@@example.com", False),
     ("jane doe@example.com", False), ("jane@example.com\u00a0", False),
     ("jane@exa\u2003mple.com", False), ("j@" + "x" * 320 + ".com", False)],
)
def test_plausible_email(text, ok):
    assert plausible_email(text) is ok
