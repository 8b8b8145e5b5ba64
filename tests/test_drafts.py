"""Filling in protocol texts: ``substitute`` is ``Template.safe_substitute`` with the template
parsed once; drafts come out as before."""

from __future__ import annotations

from string import Template

from hypothesis import example, given, settings
from hypothesis import strategies as st

from netiquette.domain.drafts import DraftFacts, context, render
from netiquette.domain.protocol import PRESETS, build, substitute
from netiquette.protocols import compose

VALUES = {"name": "Ann {0} Lee", "first_name": "Ann", "x": "$y", "company": "}{"}
PIECES = st.sampled_from(["$", "$$", "${", "}", "{", "{0}", "$name", "${name}", "$first_name",
                          "${first_name}x", "$x", "$nope", "${nope}", "$1", "${ name}", "$Name",
                          "$company", "a", " ", "\n", "é", "ı", "$ı", "${K}"])


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(PIECES, st.text(max_size=5)), max_size=12).map("".join))
@example("Hi ${first_name}, $$5 for {0} at $company$")
def test_substitute_is_safe_substitute(template: str) -> None:
    assert substitute(template, VALUES) == Template(template).safe_substitute(VALUES)


def test_a_draft_fills_every_placeholder_once_parsed() -> None:
    protocol = build({"templates": {"send_inquiry": "Hi ${first_name},\n\n$their_note_quoted  \n"
                                    "costs $$5 {not a field}\n\n${signature}\n"}},
                     {}, "p", {})
    facts = DraftFacts(name="Ann Lee", their_note="Hello  there\n friend", my_name="Jim Schibler")
    expected = "Hi Ann,\n\n“Hello there friend”\ncosts $5 {not a field}\n\nJim"
    assert render("send_inquiry", facts, protocol) == expected
    assert render("send_inquiry", facts, protocol) == expected  # parsed once, same result
    assert render("decline", facts, protocol) == ""


TEXT = st.sampled_from(["", " ", "Ann", "ann lee", "Acme.", "hiring.", "  a  b \n c ", "x" * 200,
                        "Zoë Ørsted", "$name", "{0}"])
FACTS = st.builds(DraftFacts, name=TEXT, first_name=TEXT, company=TEXT, position=TEXT,
                  how_we_met=TEXT, their_note=TEXT, can_help_them=TEXT, they_can_help=TEXT,
                  familiarity=TEXT, my_name=TEXT, signature=TEXT, call_at=TEXT)


@settings(max_examples=300, deadline=None)
@given(FACTS, st.sampled_from(sorted(PRESETS)), st.sampled_from(["send_inquiry", "decline",
       "propose_call", "accept", "send_followup", "review", "other"]))
def test_render_is_the_template_filled_with_the_whole_context(
        facts: DraftFacts, preset: str, kind: str) -> None:
    protocol = compose(preset)
    template = protocol.templates.get(kind, "")
    text = Template(template).safe_substitute(context(facts, protocol))
    expected = "\n".join(line.rstrip() for line in text.strip().splitlines())
    assert render(kind, facts, protocol) == expected
