"""``netiquette people`` (with ``duplicates`` and ``merge``) and ``netiquette person``."""

from __future__ import annotations

from typing import Any

import typer

from netiquette.cli.common import actor, console, emit_json, now, say, setup, table

people_app = typer.Typer(
    help="The people you know of; find and merge people known twice.",
    invoke_without_command=True,
)


@people_app.callback()
def people(
    ctx: typer.Context,
    familiarity: str | None = typer.Option(None, "--familiarity", help="Only this level."),
    search: str | None = typer.Option(None, "--search", help="Names containing this."),
    limit: int = typer.Option(200, "--limit", min=1, help="At most this many."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON array."),
) -> None:
    """The people you know of, with their familiarity."""
    if ctx.invoked_subcommand is not None:
        return
    setup()
    from netiquette.services.people import people_of

    qs = people_of(actor().member).order_by("display_name", "id")
    if familiarity:
        qs = qs.filter(familiarity=familiarity)
    if search:
        qs = qs.filter(display_name__icontains=search)
    rows = list(qs.values("id", "display_name", "familiarity", "company", "profile_url")[:limit])
    if as_json:
        emit_json([{"id": r["id"], "name": r["display_name"], "familiarity": r["familiarity"],
                    "company": r["company"], "profile_url": r["profile_url"]} for r in rows])
        return
    t = table("#", "name", "familiarity", "company")
    for r in rows:
        t.add_row(str(r["id"]), r["display_name"], r["familiarity"], r["company"])
    console().print(t, markup=False)


@people_app.command("duplicates")
def duplicates(
    as_json: bool = typer.Option(False, "--json", help="Print a JSON array."),
) -> None:
    """People you likely know twice: same profile, same e-mail or similar names."""
    setup()
    from netiquette.services.duplicates import find_duplicates

    pairs = find_duplicates(actor().member)
    if as_json:
        emit_json([{"keep": {"id": d.keep.id, "name": d.keep.display_name},
                    "other": {"id": d.other.id, "name": d.other.display_name},
                    "reason": d.reason, "score": round(d.score, 1)} for d in pairs])
        return
    if not pairs:
        say("no likely duplicates")
        return
    t = table("keep", "other", "why")
    for d in pairs:
        t.add_row(f"#{d.keep.id} {d.keep.display_name}", f"#{d.other.id} {d.other.display_name}",
                  d.reason)
    console().print(t, markup=False)
    say("merge a pair with: netiquette people merge KEEP OTHER (numbers; the first is kept)")


@people_app.command("merge")
def merge(
    keep: str = typer.Argument(..., help="The person kept: a name or a person's number."),
    other: str = typer.Argument(..., help="The person merged into it and removed."),
    as_json: bool = typer.Option(False, "--json", help="Print the kept person as JSON."),
) -> None:
    """Merge person B into person A, keeping both histories; B is removed."""
    setup()
    from netiquette.services.duplicates import merge_people
    from netiquette.services.people import get_person

    a = actor()
    k, o = get_person(a.member, keep), get_person(a.member, other)
    other_label = f"{o.display_name} (#{o.id})"
    merged = merge_people(a, k, o, now())
    if as_json:
        emit_json({"id": merged.id, "name": merged.display_name, "merged": o.id,
                   "familiarity": merged.familiarity})
        return
    say(f"merged {other_label} into {merged.display_name} (#{merged.id})")


def person(
    name: str = typer.Argument(..., help="A name or a person's number."),
    familiarity: str | None = typer.Option(None, "--familiarity",
                                           help="Set: stranger, recognized, acquainted, known."),
    how_we_met: str | None = typer.Option(None, "--how-we-met", help="Set how you met."),
    can_say: str | None = typer.Option(None, "--can-say",
                                       help="Set what you can say about them."),
    can_help_them: str | None = typer.Option(None, "--can-help-them",
                                             help="Set how you can help them."),
    they_can_help: str | None = typer.Option(None, "--they-can-help",
                                             help="Set how they can help you."),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Show a person, or set their familiarity and private notes."""
    setup()
    from netiquette.services.people import get_person, set_familiarity, update_notes

    a = actor()
    p = get_person(a.member, name)
    at = now()
    if familiarity:
        set_familiarity(p, familiarity, at)
    update_notes(p, at, how_we_met=how_we_met, can_say=can_say, can_help_them=can_help_them,
                 they_can_help=they_can_help)
    data: dict[str, Any] = {"id": p.id, "name": p.display_name, "familiarity": p.familiarity,
            "company": p.company, "position": p.position, "profile_url": p.profile_url,
            "emails": sorted(p.emails.values_list("address", flat=True)),
            "how_we_met": p.how_we_met, "can_say": p.can_say,
            "can_help_them": p.can_help_them, "they_can_help": p.they_can_help,
            "cases": list(p.cases.order_by("id").values("id", "state", "path", "outcome"))}
    if as_json:
        emit_json(data)
        return
    say(f"{p.display_name} (#{p.id}): {p.familiarity}")
    for key in ("company", "position", "profile_url", "how_we_met", "can_say",
                "can_help_them", "they_can_help"):
        if data[key]:
            say(f"  {key.replace('_', ' ')}: {data[key]}")
    if data["emails"]:
        say(f"  e-mail: {', '.join(data['emails'])}")
    for c in data["cases"]:
        say(f"  case {c['id']}: {c['path']}, {c['state']} {c['outcome']}".rstrip())


def register(root: typer.Typer) -> None:
    root.add_typer(people_app, name="people")
    root.command("person")(person)
