"""Members: Django auth users, each with a profile (name, signature, protocol)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.text import slugify

from netiquette import clock
from netiquette.core.models import MemberProfile
from netiquette.domain.protocol import Protocol
from netiquette.errors import NotFound, UserError


class NoMember(UserError):
    """There is no member yet: run ``netiquette init``."""


@dataclass
class Actor:
    """Who acts (a member) and, lazily, the protocol in force for them."""

    member: User
    protocol_file: Path | None = None

    @cached_property
    def profile(self) -> MemberProfile:
        return self.member.profile  # type: ignore[attr-defined,no-any-return]

    @cached_property
    def protocol(self) -> Protocol:
        from netiquette.services.protocol_service import protocol_in_force

        return protocol_in_force(self.profile, self.protocol_file)


def create_member(name: str, signature: str = "", username: str | None = None) -> User:
    """Create a member called ``name``; the username is derived from it unless given."""
    name = " ".join(name.split())
    if not name:
        raise UserError("--name: a member needs a name")
    base = username or slugify(name) or "member"
    candidate, n = base, 1
    with transaction.atomic():
        while User.objects.filter(username=candidate).exists():
            n += 1
            candidate = f"{base}-{n}"
        first, _, last = name.partition(" ")
        user = User.objects.create(
            username=candidate, first_name=first[:150], last_name=last[:150],
            date_joined=clock.now(),
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
        MemberProfile.objects.create(member=user, display_name=name, signature=signature)
    return user


def members() -> list[User]:
    return list(User.objects.filter(profile__isnull=False).order_by("id"))


def resolve_member(selector: str | None) -> User:
    """The member a command acts as: ``selector`` (username, name or id) or the only one."""
    qs = User.objects.filter(profile__isnull=False).select_related("profile")
    if selector:
        found = (
            qs.filter(username=selector).first()
            or qs.filter(profile__display_name__iexact=selector).first()
            or (qs.filter(id=int(selector)).first() if selector.isdigit() else None)
        )
        if found is None:
            raise NotFound(f"--member: no member '{selector}'")
        return found
    first_two = list(qs.order_by("id")[:2])
    if not first_two:
        raise NoMember('no member yet: run  netiquette init --name "Your Name"')
    if len(first_two) > 1:
        raise UserError("there are several members: choose one with --member NAME")
    return first_two[0]


def update_profile(actor: Actor, *, name: str | None = None, signature: str | None = None) -> None:
    profile = actor.profile
    if name is not None:
        profile.display_name = " ".join(name.split())
    if signature is not None:
        profile.signature = signature
    profile.save()
