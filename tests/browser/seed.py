"""Seed a database for the browser tests; prints the ids the tests need as JSON.

Run with NETIQUETTE_DB, NETIQUETTE_DATA_DIR, NETIQUETTE_CONFIG_DIR and NETIQUETTE_NOW set."""

from __future__ import annotations

import json
from datetime import timedelta

XSS_CORPUS = [
    "<img src=x onerror=alert(1)>",
    "<script>alert(2)</script>",
    "\"><svg onload=alert(3)>",
    "</textarea><img src=x onerror=alert(4)>",
    "javascript:alert(5)",
    "<iframe src=\"javascript:alert(6)\"></iframe>",
    "'-alert(7)-'",
    "{{7*7}} ${alert(8)}",
]


def main() -> None:
    from netiquette import bootstrap, clock

    bootstrap.setup()
    from netiquette.core.models import Action, Person
    from netiquette.services.cases import complete_action
    from netiquette.services.invitations import NewInvitation, receive_invitation
    from netiquette.services.members import Actor, create_member
    from netiquette.services.people import update_notes

    member = create_member("Jim Browser", signature="Jim")
    a = Actor(member)
    now = clock.now()
    generic = "I'd like to add you to my professional network on LinkedIn."
    ids: dict[str, object] = {}
    old = receive_invitation(a, NewInvitation(name="Olga Older", note=generic,
                                              at=now - timedelta(days=10), channel="linkedin"))
    inquiry = Action.objects.get(case=old, status="open")
    complete_action(a, inquiry.id, at=now - timedelta(days=9))
    for i, payload in enumerate(XSS_CORPUS):
        case = receive_invitation(a, NewInvitation(name=f"{payload} X{i}", note=payload,
                                                   at=now - timedelta(days=5, minutes=i)))
        update_notes(case.person, now, how_we_met=payload, can_say=payload)
    ids["xss_people"] = list(Person.objects.filter(member=member)
                             .exclude(display_name="Olga Older").values_list("id", flat=True))
    ben = receive_invitation(a, NewInvitation(name="Ben Second", note=generic,
                                              at=now - timedelta(hours=2), channel="linkedin"))
    ann = receive_invitation(a, NewInvitation(name="Ann Newest", note=generic,
                                              at=now - timedelta(hours=1), channel="linkedin"))
    ids.update(ann=ann.id, ben=ben.id, old=old.id,
               ann_action=Action.objects.get(case=ann, status="open").id)
    print(json.dumps(ids))


if __name__ == "__main__":
    main()
