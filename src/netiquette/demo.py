"""``make demo``: load the bundled sample into a fresh database, run the protocol, print the
agenda. Run as ``python -m netiquette.demo`` with NETIQUETTE_DB pointing at a new file."""

from __future__ import annotations

import json
from datetime import timedelta
from importlib import resources
from pathlib import Path
from typing import Any


def sample() -> dict[str, Any]:
    text = (resources.files("netiquette") / "data" / "sample" / "invitations.json").read_text(
        "utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


def load_sample(data: dict[str, Any]) -> int:
    """Create the member, the people they know, and the invitations; returns cases opened."""
    from netiquette import clock
    from netiquette.services.invitations import NewInvitation, receive_invitation
    from netiquette.services.members import Actor, create_member
    from netiquette.services.people import create_person

    now = clock.now()
    member = create_member(data["member"]["name"], signature=data["member"]["signature"])
    actor = Actor(member)
    for p in data["people"]:
        create_person(member, name=p["name"], at=now, familiarity=p["familiarity"],
                      company=p.get("company", ""), how_we_met=p.get("how_we_met", ""))
    for inv in data["invitations"]:
        at = now - timedelta(days=inv["days_ago"], hours=1)
        case = receive_invitation(actor, NewInvitation(name=inv["from"], note=inv["note"],
                                                       at=at, channel="linkedin",
                                                       source="sample"))
        _play_history(actor, case, inv, now)
    return len(data["invitations"])


def _play_history(actor: Any, case: Any, inv: dict[str, Any], now: Any) -> None:
    """Some sample inquiries went out days ago, and some got answers."""
    from netiquette.services.cases import complete_action, record_reply

    if "inquired_days_ago" in inv:
        action = case.actions.get(status="open", kind="send_inquiry")
        complete_action(actor, action.id, at=now - timedelta(days=inv["inquired_days_ago"]))
    if "reply" in inv:
        record_reply(actor, case, inv["reply"]["text"],
                     now - timedelta(days=inv["reply"]["days_ago"]))


def main() -> None:
    from netiquette import bootstrap

    bootstrap.setup()
    from django.conf import settings

    count = load_sample(sample())
    print(f"loaded {count} sample invitations into {Path(settings.DATABASES['default']['NAME'])}")
    from netiquette.cli.app import app

    app(["agenda"], standalone_mode=False)


if __name__ == "__main__":
    main()
