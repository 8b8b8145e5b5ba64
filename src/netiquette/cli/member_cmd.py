"""``netiquette member …``: accounts on a shared instance. The administrator (whoever runs
the command line) invites members; each chooses a password through a single-use link."""

from __future__ import annotations

import typer

from netiquette.cli.common import console, emit_json, say, setup, table

app = typer.Typer(help="Members of a shared instance: invite, list, reset a password.",
                  no_args_is_help=True)

URL_HELP = ("The address members open the web app at (what netiquette serve listens on, "
            "or the instance's public address).")
DEFAULT_URL = "http://127.0.0.1:8765"


def _link(url: str, token: str) -> str:
    return f"{url.rstrip('/')}/welcome?token={token}"


def _days() -> int:
    from netiquette.services.webauth import WELCOME_TOKEN_TTL

    return WELCOME_TOKEN_TTL.days


@app.command("invite")
def invite(
    name: str = typer.Argument(..., help="The member's name, as people know them."),
    username: str = typer.Option("", "--username", help="Their username for signing in "
                                 "(default: made from the name)."),
    signature: str = typer.Option("", "--signature", help="How their messages are signed "
                                  "(default: their first name)."),
    url: str = typer.Option(DEFAULT_URL, "--url", help=URL_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print the invitation as JSON."),
) -> None:
    """Create a member and print the single-use link where they choose their password."""
    setup()
    from netiquette.services.webauth import invite_member

    user, token = invite_member(name, username=username, signature=signature)
    link = _link(url, token)
    if as_json:
        emit_json({"id": user.pk, "username": user.username, "name": " ".join(name.split()),
                   "link": link, "valid_days": _days()})
        return
    say(f"member {user.username} invited: {' '.join(name.split())}")
    say(f"Send them this link; it works once, for {_days()} days:")
    say(f"    {link}")


@app.command("reset")
def reset(
    member: str = typer.Argument(..., help="The member (username, name or number)."),
    url: str = typer.Option(DEFAULT_URL, "--url", help=URL_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print the link as JSON."),
) -> None:
    """Print a fresh single-use link where the member chooses a new password."""
    setup()
    from netiquette.errors import NotFound
    from netiquette.services.members import resolve_member
    from netiquette.services.webauth import password_link_token

    try:
        user = resolve_member(member)
    except NotFound:
        raise NotFound(f"member: no member '{member}' (see netiquette member list)") from None
    link = _link(url, password_link_token(user))
    if as_json:
        emit_json({"username": user.username, "link": link, "valid_days": _days()})
        return
    say(f"A new password for {user.username}: send them this link (works once, for "
        f"{_days()} days; their old password works until they use it):")
    say(f"    {link}")


@app.command("list")
def list_members(
    as_json: bool = typer.Option(False, "--json", help="Print the members as JSON."),
) -> None:
    """The members, whether each has chosen a password, and when they last signed in."""
    setup()
    from netiquette.services.webauth import member_accounts

    accounts = member_accounts()
    if as_json:
        emit_json(accounts)
        return
    if not accounts:
        say('no members yet: netiquette init --name "Your Name" (or member invite NAME)')
        return
    t = table("#", "username", "name", "password", "last sign-in")
    for a in accounts:
        t.add_row(str(a["id"]), str(a["username"]), str(a["name"]),
                  "set" if a["password"] else "not yet", str(a["last_login"] or "never"))
    console().print(t)
