"""Protocols as data: presets, overrides, path choice with reasons, errors with line numbers."""

from __future__ import annotations

import pytest

from netiquette.domain import vocabulary as v
from netiquette.domain.protocol import PRESETS, PathChooser, ProtocolError, choose_path
from netiquette.protocols import check_file, compose


def facts(familiarity: str, verdict: str, name: str = "Ann Lee") -> dict[str, str]:
    return {"familiarity": familiarity, "verdict": verdict, "channel": "linkedin", "name": name}


@pytest.mark.parametrize(
    "familiarity, verdict, path, rule",
    [
        ("known", "generic", "accept", "known"),
        ("recognized", "generic", "converse", "seen-before"),
        ("acquainted", "personal", "converse", "seen-before"),
        ("stranger", "personal", "converse", "personal-stranger"),
        ("stranger", "generic", "inquire", "generic-stranger"),
    ],
)
def test_default_protocol_encodes_the_practice(familiarity, verdict, path, rule):
    p = compose("have-we-met")
    assert p.reply_window_days == 7
    assert p.call_minutes == (15, 30)
    choice = choose_path(p, facts(familiarity, verdict))
    assert (choice.path, choice.rule) == (path, rule)
    assert choice.why


def test_why_names_the_person():
    choice = choose_path(compose("have-we-met"), facts("known", "generic", "Maria Rossi"))
    assert choice.why == "you know Maria Rossi"


def test_manual_sends_everything_to_review():
    choice = choose_path(compose("manual"), facts("known", "personal"))
    assert choice.path == "review"


def test_a_path_chooser_chooses_as_choose_path_does():
    for name in PRESETS:
        p = compose(name)
        chooser = PathChooser(p)
        for _ in range(2):  # the second time from what the chooser remembers
            for familiarity in v.FAMILIARITIES:
                for verdict in (*v.VERDICTS, "other"):
                    for channel in v.CHANNELS:
                        f = {**facts(familiarity, verdict, f"Ann {channel}"), "channel": channel}
                        assert chooser(f) == choose_path(p, f)


def test_every_preset_loads_and_has_every_template():
    for name in PRESETS:
        p = compose(name)
        assert set(p.templates) >= {"send_inquiry", "decline", "propose_call", "accept",
                                     "send_followup"}


def test_ask_then_wait_asks_a_question_not_have_we_met():
    p = compose("ask-then-wait")
    assert "have we met" not in p.templates["send_inquiry"].lower()
    assert "?" in p.templates["send_inquiry"]
    assert p.messages_before_accept == 2


def test_override_file_changes_window_and_rules(tmp_path):
    f = tmp_path / "protocol.toml"
    f.write_text('reply_window_days = 10\n[[rules]]\nname = "all-review"\npath = "review"\n')
    p = compose("have-we-met", f.read_text(), str(f))
    assert p.reply_window_days == 10
    assert choose_path(p, facts("known", "generic")).rule == "all-review"
    assert "send_inquiry" in p.templates  # templates still come from the preset


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("reply_window_days = 7\ncolour = 'blue'\n", 2, "unknown key 'colour'"),
        ("\n\nreply_window_days = 'seven'\n", 3, "must be a whole number"),
        ('[[rules]]\nname = "x"\npath = "ignore"\n', 3, "unknown path 'ignore'"),
        ('[[rules]]\npath = "accept"\nwhen = { mood = ["good"] }\n', 3, "unknown fact 'mood'"),
        ('[templates]\nsend_inquiry = "Hi ${nickname}"\n', 2, "unknown placeholder"),
        ("reply_window_days = = 3\n", 1, "line 1"),
    ],
)
def test_check_reports_errors_with_line_numbers(tmp_path, text, line, words):
    f = tmp_path / "bad.toml"
    f.write_text(text)
    with pytest.raises(ProtocolError) as err:
        check_file(f)
    message = str(err.value)
    assert str(f) in message
    assert f"line {line}" in message
    assert words in message
    assert "\n" not in message
