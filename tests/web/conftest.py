"""Web fixtures: two members, each with a seeded inbox, and a signed-in client for each."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

XSS = "<img src=x onerror=alert(1)>"


@dataclass
class Seeded:
    actor: object
    client: object
    case: object  # an open case on the inquire path
    action: object  # its open send_inquiry action
    person: object


def seed(name: str, client_factory) -> Seeded:
    from netiquette import clock
    from netiquette.core.models import Action
    from netiquette.services.invitations import NewInvitation, receive_invitation
    from netiquette.services.members import Actor, create_member

    member = create_member(name, signature=name.split()[0])
    a = Actor(member)
    case = receive_invitation(a, NewInvitation(
        name=f"Stranger of {name.split()[0]}",
        note="I'd like to add you to my professional network on LinkedIn.",
        at=clock.now(), channel="linkedin"))
    receive_invitation(a, NewInvitation(name=f"{XSS} Evil", note=XSS, at=clock.now()))
    action = Action.objects.get(case=case, status="open")
    client = client_factory()
    client.force_login(member)
    return Seeded(a, client, case, action, case.person)


@pytest.fixture
def web(db, clock):
    """Two members, Ann and Bob, each with two open cases; signed-in clients for both."""
    from django.test import Client

    ann = seed("Ann Owner", Client)
    bob = seed("Bob Other", Client)
    return ann, bob
