"""The README documents every command the CLI has (sqlite-utils' test_docs habit)."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer.main

README = (Path(__file__).parent.parent / "README.md").read_text("utf-8")


def _commands() -> list[str]:
    from netiquette.cli.app import app

    root = typer.main.get_command(app)
    names = []
    for name, cmd in root.commands.items():  # type: ignore[attr-defined]
        if hasattr(cmd, "commands"):
            names += [f"{name} {sub}" for sub in cmd.commands]
        else:
            names.append(name)
    return sorted(names)


@pytest.mark.parametrize("command", _commands())
def test_every_command_is_in_the_readme_reference(command):
    assert f"`netiquette {command}" in README, f"document 'netiquette {command}' in README.md"


def test_readme_opens_with_the_two_setup_commands():
    head = README.split("\n## ")[0]
    assert "make demo" in head and "make test" in head
