"""Verdicts and reasons a person reading them would expect."""

from __future__ import annotations

import tomllib
from collections import Counter
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netiquette.classifier import GENERIC, PERSONAL, Classifier, Note, Verdict, get_classifier
from netiquette.classifier.corpus import load_corpus


@pytest.fixture(scope="module")
def clf() -> Classifier:
    return get_classifier()


def test_corpus_is_large_multilingual_and_has_both_kinds() -> None:
    corpus = load_corpus()
    labels = Counter(c.label for c in corpus)
    assert len(corpus) >= 300
    assert labels[GENERIC] >= 100 and labels[PERSONAL] >= 100
    assert len({c.lang for c in corpus}) >= 8
    templates = Counter(c.sender.split("-")[0] for c in corpus if c.kind == "template")
    assert sum(1 for n in templates.values() if n >= 3) >= 20


def test_built_in_signals_judge_the_corpus(clf: Classifier) -> None:
    corpus = load_corpus()
    verdicts = clf.judge([Note(c.message, c.sender) for c in corpus])
    wrong = [
        (c.label, c.message) for c, v in zip(corpus, verdicts, strict=True) if v.label != c.label
    ]
    assert len(wrong) <= len(corpus) * 0.03, wrong
    personal_as_generic = [m for label, m in wrong if label == PERSONAL]
    assert len(personal_as_generic) <= 2, personal_as_generic


def test_every_short_personal_note_is_personal(clf: Classifier) -> None:
    short = [c for c in load_corpus() if c.kind == "short-personal"]
    assert short
    for c, v in zip(short, clf.judge([Note(c.message, c.sender) for c in short]), strict=True):
        assert v.label == PERSONAL, (c.message, v)


@pytest.mark.parametrize("message", ["", "   ", "\n\t"])
def test_empty_note(clf: Classifier, message: str) -> None:
    assert clf.judge_text(message) == Verdict(GENERIC, 1.0, ("empty note",))


@pytest.mark.parametrize("message", ["Hi", "Hello Anna!", "Hi Marco, thanks!", "Let's connect."])
def test_near_empty_note(clf: Classifier, message: str) -> None:
    v = clf.judge_text(message)
    assert v.label == GENERIC
    assert "nothing beyond a greeting and a name" in v.reasons


def _default_texts() -> list[tuple[str, str, str]]:
    data = resources.files("netiquette.classifier").joinpath("data", "default_texts.toml")
    table = tomllib.loads(data.read_text(encoding="utf-8"))
    return [(lang, t["name"], text) for lang, t in table.items() for text in t["texts"]]


@pytest.mark.parametrize(("lang", "name", "text"), _default_texts())
def test_default_text_found_inside_greeting_and_signature(
    clf: Classifier, lang: str, name: str, text: str
) -> None:
    wrapped = f"Hi Ingrid,\n\n{text.upper()}\n\nBest regards,\nKarl-Heinz Müller\nCFO | Acme GmbH"
    v = clf.judge_text(wrapped)
    assert v.label == GENERIC
    assert v.reasons[0] == f"the platform's default text ({name})"


def test_languages_of_the_default_texts(clf: Classifier) -> None:
    names = {name for _, name, _ in _default_texts()}
    wanted = {
        "English",
        "French",
        "German",
        "Spanish",
        "Portuguese",
        "Italian",
        "Dutch",
        "Swedish",
        "Polish",
        "Turkish",
        "Japanese",
        "Chinese",
    }
    assert wanted <= names


def test_owner_extends_default_texts(tmp_path: Path) -> None:
    extra = tmp_path / "mine.toml"
    extra.write_text('[eo]\nname = "Esperanto"\ntexts = ["Mi ŝatus aldoni vin al mia reto."]\n')
    note = "Saluton Ana! Mi ŝatus aldoni vin al mia reto. Petro"
    assert "Esperanto" not in " ".join(Classifier().judge_text(note).reasons)
    v = Classifier(extra_defaults=extra).judge_text(note)
    assert v.label == GENERIC
    assert "the platform's default text (Esperanto)" in v.reasons
    # the owner edits the file: the next classifier reads it again
    extra.write_text('[la]\nname = "Latin"\ntexts = ["Te in retem meam addere velim."]\n')
    again = Classifier(extra_defaults=extra)
    assert "Esperanto" not in " ".join(again.judge_text(note).reasons)
    assert "the platform's default text (Latin)" in again.judge_text(
        "Salve Marce! Te in retem meam addere velim.").reasons


TEMPLATE = (
    "Hello {first}, I read about {company}'s growth in {city} and think our onboarding tool "
    "could save your team weeks every quarter. Would you be free for a short chat on Thursday?"
)
MERGES = [
    ("Jim", "Acme Logistics", "Cleveland"),
    ("Sarah", "Globex", "Austin"),
    ("Kenji", "Northwind Traders", "Osaka"),
    ("Ana", "Blue Harbor Capital", "Porto"),
    ("Olga", "Helios", "Riga"),
]


def test_template_across_senders_with_names_swapped(clf: Classifier) -> None:
    notes = [
        Note(TEMPLATE.format(first=f, company=c, city=city), sender=f"sender{i}")
        for i, (f, c, city) in enumerate(MERGES)
    ]
    others = [Note("Thanks for the ride home after Lisa's party.", sender="friend")]
    verdicts = clf.judge(notes + others)
    for v in verdicts[:5]:
        assert v.label == GENERIC
        assert "same wording as 4 other senders, names swapped" in v.reasons
    assert verdicts[5].label == PERSONAL


def test_one_note_alone_is_no_template(clf: Classifier) -> None:
    v = clf.judge_text(TEMPLATE.format(first="Jim", company="Acme", city="Cleveland"))
    assert not any("same wording" in r for r in v.reasons)


def test_same_sender_repeating_is_no_template(clf: Classifier) -> None:
    note = "Congrats on the new role at Fintory, the onboarding flow you shipped looks lovely."
    verdicts = clf.judge([Note(note, sender="kim"), Note(note, sender="Kim ")])
    assert all(not any("same wording" in r for r in v.reasons) for v in verdicts)


def test_exact_copies_from_several_senders(clf: Classifier) -> None:
    note = "Our platform helps teams like yours close the books twice as fast, worth a look?"
    verdicts = clf.judge([Note(note, sender=s) for s in "abc"])
    assert "same wording as 2 other senders" in verdicts[0].reasons


def test_shared_event_is_named(clf: Classifier) -> None:
    v = clf.judge_text("Great chatting with you at the PMI Cleveland dinner last night!")
    assert v.label == PERSONAL
    assert "mentions a shared event: 'PMI Cleveland dinner'" in v.reasons


def test_mutual_contact_is_named(clf: Classifier) -> None:
    v = clf.judge_text("Maria Rossi suggested I reach out about the cold-chain pilot in Turin.")
    assert v.label == PERSONAL
    assert "names a mutual contact: Maria Rossi" in v.reasons


@pytest.mark.parametrize(
    "message",
    [
        "Schön, dich gestern beim Stammtisch in Köln kennengelernt zu haben!",
        "Merci pour notre échange après la table ronde à Station F hier soir.",
        "Javier Ruiz me recomendó que te escribiera sobre la vacante de analista.",
        "Abbiamo lavorato insieme in Pirelli nel 2015, nel team qualità.",
    ],
)
def test_specificity_in_other_languages(clf: Classifier, message: str) -> None:
    v = clf.judge_text(message)
    assert v.label == PERSONAL
    assert any(r.startswith(("mentions", "names", "refers")) for r in v.reasons), v.reasons


def test_mass_outreach_phrasing_is_named(clf: Classifier) -> None:
    v = clf.judge_text("Hi Jim, I'm looking to expand my network with leaders in logistics.")
    assert v.label == GENERIC
    assert "mass-outreach phrasing: 'expand my network'" in v.reasons


def test_long_template_naming_the_recipients_company(clf: Classifier) -> None:
    v = clf.judge_text(
        "Hello Dana, I hope this message finds you well. As the CFO at Crescent Bank you are "
        "probably thinking about how to scale your business in Leeds. Our platform helps "
        "insurance leaders generate qualified leads on autopilot. Would you be open to a 15 "
        "minute call to see if there is a fit? No strings attached."
    )
    assert v.label == GENERIC


def test_personal_note_gets_a_readable_reason(clf: Classifier) -> None:
    v = clf.judge_text(
        "Saw you moved to Berlin, congrats! The garden you planted at our old office is thriving."
    )
    assert v.label == PERSONAL
    assert v.reasons


def test_batch_order_and_length(clf: Classifier) -> None:
    notes = [Note(""), Note("Loved your PyCon talk on packaging yesterday!"), Note("Hi")]
    labels = [v.label for v in clf.judge(notes)]
    assert labels == [GENERIC, PERSONAL, GENERIC]
    assert clf.judge([]) == []


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(max_size=300), min_size=1, max_size=8))
def test_any_text_gets_a_consistent_verdict(texts: list[str]) -> None:
    verdicts = _SHARED.judge([Note(t) for t in texts])
    assert len(verdicts) == len(texts)
    for v in verdicts:
        assert 0.0 <= v.score <= 1.0
        assert v.label == (GENERIC if v.score >= 0.5 else PERSONAL)
        assert v.reasons and all(isinstance(r, str) and r for r in v.reasons)


_SHARED = Classifier()


def test_repeated_notes_are_judged_as_when_alone(clf: Classifier) -> None:
    """A batch works each distinct text out once; a note's verdict still depends on its own
    template counts, and is the verdict it gets in a batch without the repeats."""
    template = "Hi {}, I came across your profile and would love to connect with you here!"
    notes = [Note(template.format(n), sender=n) for n in ("Ann", "Bo", "Cy")]
    talk = "Loved your talk on packaging yesterday, the part about wheels was great."
    notes += [Note(talk, sender="Di"), Note("")]
    once = clf.judge(notes)
    again = clf.judge(notes * 3)
    assert again == once * 3
    assert "same wording as 2 other senders, names swapped" in once[0].reasons
    copied = clf.judge([*notes, Note(talk, sender="Ed")])
    assert copied[:3] == once[:3]
    assert copied[3] == copied[5] != once[3]
    assert "same wording as 1 other sender" in copied[3].reasons
    texts, senders = [n.message for n in notes], [n.sender for n in notes]
    assert clf.judge_texts(texts, senders) == once
