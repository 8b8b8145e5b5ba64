"""The owner's verdict labels, which the classifier learns from."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from django.contrib.auth.models import User
from django.db import transaction

from netiquette.core.models import Case, Invitation
from netiquette.domain import vocabulary as v
from netiquette.errors import UserError
from netiquette.paths import data_dir
from netiquette.services.members import Actor


def model_path(member: User) -> Path:
    """Where the member's trained classifier model lives."""
    return data_dir() / "models" / f"classifier-{member.pk}.pkl"


def set_verdict(actor: Actor, case: Case, label: str, at: datetime) -> Case:
    """The owner overrides the note's verdict. The label is kept for the classifier to learn
    from; a case that has not moved yet is routed again under the corrected verdict."""
    from netiquette.domain import cases as sm
    from netiquette.domain.protocol import choose_path
    from netiquette.services.cases import advance
    from netiquette.services.invitations import facts_of

    if label not in v.VERDICTS:
        raise UserError(f"verdict '{label}' is not one of {', '.join(v.VERDICTS)}")
    with transaction.atomic():
        inv = case.invitation
        inv.verdict_label = label
        inv.save(update_fields=["verdict_label"])
        untouched = case.state == sm.START.get(case.path) and not case.events.exclude(
            kind=sm.OPENED).exists()
        if untouched:
            choice = choose_path(actor.protocol, facts_of(inv))
            if choice.path != case.path:
                case.rule, case.why = choice.rule, choice.why
                advance(actor, case, sm.CaseEvent(sm.DECIDED, at, path=choice.path),
                        reason=f"verdict corrected to {label}; rule '{choice.rule}': "
                        f"{choice.why}")
    relearn(actor)
    return case


def labels_of(member: User) -> list[tuple[str, str]]:
    return list(Invitation.objects.filter(member=member).exclude(verdict_label="")
                .order_by("id").values_list("note", "verdict_label"))


def relearn(actor: Actor) -> bool:
    """Retrain the member's classifier on their labels (it skips work when nothing changed)."""
    from netiquette.classifier import get_classifier

    path = model_path(actor.member)
    path.parent.mkdir(parents=True, exist_ok=True)
    return get_classifier().learn(labels_of(actor.member), path)
