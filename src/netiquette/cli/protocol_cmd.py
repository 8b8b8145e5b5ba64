"""``netiquette protocol …``: show, switch and check protocols."""

from __future__ import annotations

from pathlib import Path

import typer

from netiquette.cli.common import actor, emit_json, say, setup

app = typer.Typer(help="Your protocol: how invitations are handled.", no_args_is_help=True)


@app.command("show")
def show(as_json: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """Print the protocol in force: its rules in order, numbers and templates."""
    p = actor().protocol
    if as_json:
        emit_json({
            "preset": p.name, "description": p.description,
            "reply_window_days": p.reply_window_days, "call_minutes": list(p.call_minutes),
            "messages_before_accept": p.messages_before_accept,
            "accept_requires_conversation": p.accept_requires_conversation,
            "rules": [{"name": r.name, "when": {k: list(x) for k, x in r.when},
                       "path": r.path, "why": r.why} for r in (*p.rules, p.fallback)],
            "templates": p.templates,
        })
        return
    say(f"protocol: {p.name} — {p.description}")
    say(f"reply window: {p.reply_window_days} days; calls: "
        f"{' or '.join(map(str, p.call_minutes))} minutes"
        + (f"; {p.messages_before_accept} messages instead of a call"
           if p.messages_before_accept else ""))
    say("rules, first match wins:")
    for i, r in enumerate((*p.rules, p.fallback), 1):
        cond = " and ".join(f"{k} in {'/'.join(x)}" for k, x in r.when) or "always"
        say(f"  {i}. {r.name}: when {cond} -> {r.path}")
    say("templates: " + ", ".join(sorted(p.templates)))


@app.command("use")
def use(preset: str = typer.Argument(..., help="have-we-met, ask-then-wait, meet-first "
                                     "or manual")) -> None:
    """Switch to a preset (your protocol.toml overrides still apply on top)."""
    setup()
    from netiquette.services.protocol_service import use_preset

    use_preset(actor().profile, preset)
    say(f"protocol is now {preset}")


@app.command("check")
def check(file: Path = typer.Argument(..., help="A protocol TOML file.")) -> None:
    """Check a protocol file; errors name their line."""
    from netiquette.protocols import check_file

    p = check_file(file)
    say(f"{file}: ok ({p.name} with {len(p.rules)} rules)")
