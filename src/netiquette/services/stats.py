"""Figures about a member's practice: the funnel, the reply rate to inquiries next to the
practice's reference figures, time to decision, and the network's make-up by familiarity."""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

from django.contrib.auth.models import User
from django.db.models import Count

from netiquette.core.models import Case, Event, Person
from netiquette.domain import cases as sm
from netiquette.domain import vocabulary as v

#: "fewer than 10% answer a 'Have we met?'"; "more than 75% never answer a polite inquiry"
REFERENCE_REPLY_RATES = (
    ("ref: “Have we met?”", 0.10),
    ("ref: polite inquiry", 0.25),
)


@dataclass(frozen=True)
class Stats:
    funnel: list[tuple[str, int]]
    inquired: int
    replied_to_inquiry: int
    reply_rate: float | None
    references: tuple[tuple[str, float], ...]
    decided: int
    median_days_to_decision: float | None
    familiarity: list[tuple[str, int]]
    people: int


def _cases_with(member: User, kinds: tuple[str, ...]) -> int:
    return (Event.objects.filter(member=member, kind__in=kinds)
            .values("case_id").distinct().count())


def member_stats(member: User) -> Stats:
    cases = Case.objects.filter(member=member)
    received = cases.count()
    inquired = _cases_with(member, (sm.INQUIRY_SENT,))
    replied = _cases_with(member, (sm.REPLY_RECEIVED,))
    replied_to_inquiry = (Event.objects.filter(member=member, kind=sm.REPLY_RECEIVED,
                                               case__events__kind=sm.INQUIRY_SENT)
                          .values("case_id").distinct().count())
    conversed = _cases_with(member, (sm.CALL_HELD,))
    outcomes = dict(cases.filter(state=sm.CLOSED).values_list("outcome")
                    .annotate(n=Count("id")).values_list("outcome", "n"))
    funnel = [("received", received), ("inquired", inquired), ("replied", replied),
              ("conversed", conversed), ("accepted", outcomes.get("accepted", 0)),
              ("declined", outcomes.get("declined", 0))]
    durations = [
        (closed - opened).total_seconds() / 86400
        for opened, closed in cases.filter(outcome__in=("accepted", "declined"),
                                           closed_at__isnull=False)
        .values_list("opened_at", "closed_at")[:50_000]
        if closed is not None
    ]
    by_level = dict(Person.objects.filter(member=member).values_list("familiarity")
                    .annotate(n=Count("id")).values_list("familiarity", "n"))
    make_up = [(level, by_level.get(level, 0)) for level in v.FAMILIARITIES]
    return Stats(
        funnel=funnel, inquired=inquired, replied_to_inquiry=replied_to_inquiry,
        reply_rate=(replied_to_inquiry / inquired) if inquired else None,
        references=REFERENCE_REPLY_RATES, decided=len(durations),
        median_days_to_decision=round(median(durations), 1) if durations else None,
        familiarity=make_up, people=sum(n for _, n in make_up),
    )
