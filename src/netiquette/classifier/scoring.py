"""Built-in signals to a score and to reasons a person can read.

The score is a logistic function of a weighted sum of signals (positive = generic). The
weights are hand-set and readable; the learned model (``model``) may refine the score, but the
reasons always come from here, so a verdict can be explained without the model.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from . import specificity
from .defaults import DefaultTexts
from .phrases import PhraseTable
from .signals import F64, Signals

BIAS = -0.4
W_CONTENT = 0.07  # per word of the sender's own, up to MAX_CONTENT
MAX_CONTENT = 25
W_DEFAULT = 6.0  # the default text and little else
W_DEFAULT_PLUS = 3.0  # the default text with some words of one's own around it
W_NEAR_EMPTY = 3.5
W_TEMPLATE = 5.0  # same wording as two or more other senders
W_TEMPLATE_ONE = 2.0  # as exactly one other sender
W_OUTREACH = 1.7  # per outreach phrase, up to three
W_OUTREACH_WEAK = 0.8  # per weak outreach phrase, up to two
W_SPEC = {
    "event": 3.0,
    "mutual": 3.5,
    "post": 2.0,
    "conversation": 2.5,
    "worked": 3.0,
    "time": 1.2,
}
MAX_SPEC = 6.0
NEAR_EMPTY = 2  # content words at most


def rule_logits(s: Signals) -> F64:
    """Log-odds that each note is generic, from the built-in signals alone."""
    z = np.full(len(s.n_tokens), BIAS)
    has_default = s.default_phrase >= 0
    z += np.where(has_default, np.where(s.content <= 3, W_DEFAULT, W_DEFAULT_PLUS), 0.0)
    z += np.where((s.content <= NEAR_EMPTY) & ~has_default, W_NEAR_EMPTY, 0.0)
    z += np.where(s.others >= 2, W_TEMPLATE, np.where(s.others == 1, W_TEMPLATE_ONE, 0.0))
    z += W_OUTREACH * np.minimum(s.outreach, 3) + W_OUTREACH_WEAK * np.minimum(s.outreach_weak, 2)
    z -= W_CONTENT * np.minimum(s.content, MAX_CONTENT)
    spec = np.zeros_like(z)
    for cat, w in W_SPEC.items():
        count = s.event + s.named_event if cat == "event" else getattr(s, cat)
        spec += w * (count > 0)
    z -= np.minimum(spec, MAX_SPEC)
    z[s.n_tokens == 0] = 20.0
    return z


def sigmoid(z: F64) -> F64:
    out: F64 = 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))
    return out


def reasons_for(
    i: int, s: Signals, text: str, table: PhraseTable, defaults: DefaultTexts
) -> list[str]:
    """Readable reasons for note ``i``, strongest first."""
    if s.n_tokens[i] == 0:
        return ["empty note" if not text.strip() else "no words in the note, only symbols"]
    out: list[str] = []
    dp = int(s.default_phrase[i])
    if dp >= 0:
        lang = defaults.language_name(table.phrases[dp].lang)
        out.append(f"the platform's default text ({lang})")
    others = int(s.others[i])
    if others >= 1:
        senders = "sender" if others == 1 else "senders"
        swapped = ", names swapped" if s.swapped[i] else ""
        out.append(f"same wording as {others} other {senders}{swapped}")
    for cat in ("outreach", "outreach_weak"):
        if getattr(s, cat)[i]:
            out.append(f"mass-outreach phrasing: '{_phrase(table, s, cat, i)}'")
    if (
        s.content[i] <= NEAR_EMPTY
        and dp < 0
        and not (s.outreach[i] or s.outreach_weak[i])
        and others < 1
    ):
        out.append("nothing beyond a greeting and a name")
    out.extend(_specific_reasons(i, s, text, table))
    return out


def _specific_reasons(i: int, s: Signals, text: str, table: PhraseTable) -> list[str]:
    out = []
    if s.event[i] or s.named_event[i]:
        name = specificity.event_name(text)
        out.append(f"mentions a shared event: '{name}'" if name else "mentions meeting in person")
    if s.mutual[i]:
        name = specificity.mutual_contact(text)
        out.append(f"names a mutual contact: {name}" if name else "mentions a mutual contact")
    if s.post[i]:
        out.append(
            f"refers to something the recipient wrote or said: '{_phrase(table, s, 'post', i)}'"
        )
    if s.conversation[i]:
        out.append(f"refers to a conversation: '{_phrase(table, s, 'conversation', i)}'")
    if s.worked[i]:
        out.append(f"mentions working or studying together: '{_phrase(table, s, 'worked', i)}'")
    if s.time[i]:
        out.append(f"mentions a specific time: '{_phrase(table, s, 'time', i)}'")
    return out


def _phrase(table: PhraseTable, s: Signals, cat: str, i: int) -> str:
    pid = int(s.first_phrase[cat][i])
    return table.phrases[pid].text if pid >= 0 else cat


def fallback_reason(label_generic: bool, reasons: Sequence[str]) -> list[str]:
    """A reason for notes no signal spoke about."""
    if reasons:
        return []
    if label_generic:
        return ["reads like a note that could go to anyone"]
    return ["written by the sender: no default text, template or outreach phrasing found"]
