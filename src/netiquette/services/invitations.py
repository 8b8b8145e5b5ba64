"""Recording invitations and opening their cases under the member's protocol."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from netiquette.classifier import Verdict, get_classifier
from netiquette.core.models import Case, Invitation, Person
from netiquette.domain import cases as sm
from netiquette.domain import vocabulary as v
from netiquette.domain.protocol import Choice, choose_path
from netiquette.errors import UserError
from netiquette.services.cases import advance, open_case_of
from netiquette.services.members import Actor
from netiquette.services.people import add_email, create_person, find_person


@dataclass(frozen=True)
class NewInvitation:
    name: str
    note: str
    at: datetime
    profile_url: str = ""
    email: str = ""
    channel: str = v.MANUAL
    source: str = ""
    external_key: str | None = None
    familiarity: str | None = None


def judge_notes(actor: Actor, notes: Sequence[str], senders: Sequence[str] = ()) -> list[Verdict]:
    """One batch through the classifier (templates across senders count); ``senders`` may be
    shorter than ``notes`` (the rest have none)."""
    from netiquette.services.verdicts import model_path

    named: list[str | None] = list(senders[:len(notes)])
    named += [None] * (len(notes) - len(named))
    return get_classifier(model_path(actor.member)).judge_texts(notes, named)


def receive_invitation(actor: Actor, new: NewInvitation, verdict: Verdict | None = None) -> Case:
    """Record an incoming invitation, judge its note, and open its case on the chosen path."""
    if new.channel not in v.CHANNELS:
        raise UserError(f"--channel: '{new.channel}' is not one of {', '.join(v.CHANNELS)}")
    with transaction.atomic():
        person = _person_for(actor, new)
        existing = open_case_of(actor.member, person.id)
        if existing is not None:
            raise UserError(f"{person.display_name} already has an open case ({existing.id})")
        verdict = verdict or judge_notes(actor, [new.note], [new.name])[0]
        invitation = Invitation.objects.create(
            member=actor.member, person=person, direction=v.INCOMING, note=new.note,
            sent_at=new.at, channel=new.channel, source=new.source,
            external_key=new.external_key, verdict=verdict.label,
            verdict_score=verdict.score, verdict_reasons=list(verdict.reasons),
        )
        return open_case(actor, invitation)


def facts_of(invitation: Invitation) -> dict[str, str]:
    """What the protocol's rules decide on: the owner's label wins over the classifier."""
    person = invitation.person
    return {"familiarity": person.familiarity,
            "verdict": invitation.verdict_label or invitation.verdict or v.GENERIC,
            "channel": invitation.channel, "name": person.display_name}


def new_case(actor: Actor, invitation: Invitation) -> tuple[Case, dict[str, str], Choice]:
    """An unsaved case on the path the protocol chooses, with the facts it chose from."""
    person = invitation.person
    facts = facts_of(invitation)
    choice = choose_path(actor.protocol, facts)
    case = Case(member=actor.member, invitation=invitation, person=person, path=choice.path,
                rule=choice.rule, why=choice.why, state="", protocol=actor.protocol.name,
                opened_at=invitation.sent_at, since=invitation.sent_at,
                updated_at=invitation.sent_at)
    return case, facts, choice


def open_case(actor: Actor, invitation: Invitation) -> Case:
    """Run the protocol on an invitation: choose a path, say why, make the first action due."""
    person = invitation.person
    case, facts, choice = new_case(actor, invitation)
    case.save()
    reasons = "; ".join(invitation.verdict_reasons)
    advance(actor, case, sm.CaseEvent(sm.OPENED, invitation.sent_at, path=choice.path),
            reason=f"rule '{choice.rule}': {choice.why}",
            data={"rule": choice.rule, "verdict": facts["verdict"], "verdict_reasons": reasons,
                  "familiarity": person.familiarity,
                  "messages_before_accept": actor.protocol.messages_before_accept})
    return case


def _person_for(actor: Actor, new: NewInvitation) -> Person:
    person = find_person(actor.member, name=new.name, profile_url=new.profile_url,
                         email=new.email)
    if person is None:
        person = create_person(actor.member, name=new.name, at=new.at,
                               profile_url=new.profile_url, email=new.email,
                               familiarity=new.familiarity or v.STRANGER)
        return person
    if new.email:
        add_email(person, new.email)
    if new.familiarity and new.familiarity != person.familiarity:
        from netiquette.services.people import set_familiarity

        set_familiarity(person, new.familiarity, new.at)
    return person
