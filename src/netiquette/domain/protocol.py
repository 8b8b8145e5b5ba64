"""Protocols as data: rules that map facts to a path, and one dispatch function that says why.

Pure: text in, :class:`Protocol` or :class:`ProtocolError` out. Reading the preset and override
files is done by :mod:`netiquette.protocols`.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from string import Template
from typing import Any

from netiquette.domain import vocabulary as v
from netiquette.errors import UserError

PRESETS = ("have-we-met", "ask-then-wait", "meet-first", "manual")
FACTS = {"familiarity": v.FAMILIARITIES, "verdict": v.VERDICTS, "channel": v.CHANNELS}
TOP_KEYS = {
    "preset": str,
    "description": str,
    "reply_window_days": int,
    "call_minutes": list,
    "messages_before_accept": int,
    "accept_requires_conversation": bool,
    "rules": list,
    "fallback": dict,
    "templates": dict,
}
RULE_KEYS = {"name": str, "when": dict, "path": str, "why": str}


class ProtocolError(UserError):
    """A protocol file that cannot be used; the message names the file and line."""


@dataclass(frozen=True)
class Rule:
    name: str
    path: str
    why: str
    when: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def matches(self, facts: dict[str, str]) -> bool:
        return all(facts.get(key) in allowed for key, allowed in self.when)


@dataclass(frozen=True)
class Protocol:
    name: str
    description: str
    reply_window_days: int
    call_minutes: tuple[int, ...]
    messages_before_accept: int
    accept_requires_conversation: bool
    rules: tuple[Rule, ...]
    fallback: Rule
    templates: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Choice:
    path: str
    rule: str
    why: str


def choose_path(protocol: Protocol, facts: dict[str, str]) -> Choice:
    """The first rule whose conditions all hold picks the path; the choice says which and why."""
    rule = _first_rule(protocol, facts)
    return Choice(rule.path, rule.name, substitute(rule.why, facts))


class PathChooser:
    """:func:`choose_path` for many cases under one protocol: the rule that applies is worked
    out once per combination of the facts the rules look at."""

    def __init__(self, protocol: Protocol) -> None:
        self.protocol = protocol
        self.names = sorted({key for rule in protocol.rules for key, _ in rule.when})
        self.rules: dict[tuple[str | None, ...], Rule] = {}

    def __call__(self, facts: dict[str, str]) -> Choice:
        key = tuple([facts.get(name) for name in self.names])
        rule = self.rules.get(key)
        if rule is None:
            rule = self.rules[key] = _first_rule(self.protocol, facts)
        return Choice(rule.path, rule.name, substitute(rule.why, facts))


def _first_rule(protocol: Protocol, facts: dict[str, str]) -> Rule:
    for rule in (*protocol.rules, protocol.fallback):
        if rule.matches(facts):
            return rule
    raise AssertionError("the fallback rule always matches")


def substitute(template: str, values: Mapping[str, object]) -> str:
    """``string.Template(template).safe_substitute(values)``, with the template parsed once:
    the protocol's few texts are filled in for thousands of cases in an import."""
    form, names = _parsed(template)
    return form.format(*[str(values[n]) if n in values else written for n, written in names])


@lru_cache(maxsize=256)
def _parsed(template: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """``template`` as a ``str.format`` string with a field per placeholder, and each
    placeholder's name and written form (kept when there is no value), as
    ``Template.safe_substitute`` reads it."""
    pieces: list[str] = []
    names: list[tuple[str, str]] = []
    end = 0
    for found in Template.pattern.finditer(template):
        pieces.append(template[end:found.start()].replace("{", "{{").replace("}", "}}"))
        end = found.end()
        name = found.group("named") or found.group("braced")
        if name is not None:
            pieces.append(f"{{{len(names)}}}")
            names.append((name, found.group()))
        else:  # "$$" is a "$"; a "$" before anything else stays
            pieces.append(Template.delimiter)
    pieces.append(template[end:].replace("{", "{{").replace("}", "}}"))
    return "".join(pieces), tuple(names)


def parse_toml(text: str, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProtocolError(f"{source}: {exc}") from None


def build(
    base: dict[str, Any], override: dict[str, Any], name: str, sources: dict[str, str]
) -> Protocol:
    """Merge ``override`` onto the preset ``base`` and validate the result.

    ``sources`` maps 'base'/'override' to (label, text) pairs used to name lines in errors."""
    for data, which in ((base, "base"), (override, "override")):
        _check_shape(data, sources.get(which, ""), sources.get(which + "_label", which))
    merged = dict(base)
    for key, value in override.items():
        if key == "templates":
            merged["templates"] = {**base.get("templates", {}), **value}
        elif key != "preset":
            merged[key] = value
    rules = tuple(_rule(r, i) for i, r in enumerate(merged.get("rules", [])))
    fb = merged.get("fallback", {"path": v.REVIEW, "why": "no rule matched"})
    fallback = Rule("fallback", fb.get("path", v.REVIEW), fb.get("why", "no rule matched"))
    return Protocol(
        name=name,
        description=str(merged.get("description", "")),
        reply_window_days=int(merged.get("reply_window_days", 7)),
        call_minutes=tuple(merged.get("call_minutes", [15, 30])),
        messages_before_accept=int(merged.get("messages_before_accept", 0)),
        accept_requires_conversation=bool(merged.get("accept_requires_conversation", False)),
        rules=rules,
        fallback=fallback,
        templates=dict(merged.get("templates", {})),
    )


def _rule(data: dict[str, Any], index: int) -> Rule:
    when = tuple((k, tuple(vals)) for k, vals in data.get("when", {}).items())
    return Rule(
        name=data.get("name", f"rule-{index + 1}"),
        path=data["path"],
        why=data.get("why", data.get("name", "")),
        when=when,
    )


def _line_of(text: str, key: str, start: int = 1) -> int:
    pattern = re.compile(rf"^\s*\[*\s*\"?{re.escape(key)}\"?\s*[=\]]")
    lines = text.splitlines()
    for number in range(start, len(lines) + 1):
        if pattern.search(lines[number - 1]):
            return number
    for number, line in enumerate(lines, 1):
        if re.search(rf"\b{re.escape(key)}\b", line):
            return number
    return 1


def _fail(label: str, text: str, key: str, message: str, start: int = 1) -> ProtocolError:
    return ProtocolError(f"{label}, line {_line_of(text, key, start)}: {message}")


def _type_name(t: type) -> str:
    return {str: "a string", int: "a whole number", bool: "true or false", list: "a list",
            dict: "a table"}[t]


def _check_type(value: Any, want: type) -> bool:
    if want is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, want)


def _check_shape(data: dict[str, Any], text: str, label: str) -> None:
    for key, value in data.items():
        if key not in TOP_KEYS:
            known = ", ".join(sorted(TOP_KEYS))
            raise _fail(label, text, key, f"unknown key '{key}' (known keys: {known})")
        if not _check_type(value, TOP_KEYS[key]):
            raise _fail(label, text, key, f"'{key}' must be {_type_name(TOP_KEYS[key])}")
    if "preset" in data and data["preset"] not in PRESETS:
        raise _fail(label, text, "preset", f"unknown preset '{data['preset']}' "
                    f"(choose one of {', '.join(PRESETS)})")
    for key in ("reply_window_days",):
        if key in data and not 0 < data[key] <= 365:
            raise _fail(label, text, key, f"'{key}' must be between 1 and 365")
    if "messages_before_accept" in data and not 0 <= data["messages_before_accept"] <= 20:
        raise _fail(label, text, "messages_before_accept",
                    "'messages_before_accept' must be between 0 and 20")
    for minutes in data.get("call_minutes", []):
        if not _check_type(minutes, int) or not 5 <= minutes <= 240:
            raise _fail(label, text, "call_minutes", "'call_minutes' must list minutes, 5 to 240")
    line = 1
    for rule in data.get("rules", []):
        line = _line_of(text, "rules", line) + 1 if text else 1
        _check_rule(rule, text, label, line)
    if "fallback" in data:
        _check_rule({"name": "fallback", **data["fallback"]}, text, label, 1, need_name=False)
    for kind, template in data.get("templates", {}).items():
        if kind not in v.ACTION_KINDS:
            raise _fail(label, text, kind, f"unknown template '{kind}' "
                        f"(action kinds: {', '.join(v.ACTION_KINDS)})")
        if not isinstance(template, str):
            raise _fail(label, text, kind, f"template '{kind}' must be a string")
        _check_template(template, text, label, kind)


def _check_rule(rule: Any, text: str, label: str, line: int, need_name: bool = True) -> None:
    if not isinstance(rule, dict):
        raise _fail(label, text, "rules", "each rule must be a table", line)
    for key, value in rule.items():
        if key not in RULE_KEYS:
            raise _fail(label, text, key, f"unknown key '{key}' in a rule "
                        f"(known: {', '.join(RULE_KEYS)})", line)
        if not _check_type(value, RULE_KEYS[key]):
            raise _fail(label, text, key, f"'{key}' must be {_type_name(RULE_KEYS[key])}", line)
    if "path" not in rule:
        raise _fail(label, text, "rules", "a rule needs a 'path'", line)
    if rule["path"] not in v.PATHS:
        raise _fail(label, text, "path", f"unknown path '{rule['path']}' "
                    f"(choose one of {', '.join(v.PATHS)})", line)
    for fact, allowed in rule.get("when", {}).items():
        if fact not in FACTS:
            raise _fail(label, text, fact, f"unknown fact '{fact}' in 'when' "
                        f"(known: {', '.join(FACTS)})", line)
        values = allowed if isinstance(allowed, list) else None
        if values is None or not all(isinstance(x, str) for x in values):
            raise _fail(label, text, fact, f"'{fact}' must be a list of strings", line)
        for value in values:
            if value not in FACTS[fact]:
                raise _fail(label, text, fact, f"unknown {fact} '{value}' "
                            f"(choose from {', '.join(FACTS[fact])})", line)


PLACEHOLDERS = frozenset({
    "first_name", "name", "company", "position", "how_we_met", "their_note", "their_note_quoted",
    "their_note_clause", "company_clause", "can_help_them_clause", "they_can_help_clause",
    "my_name", "my_first_name", "signature", "call_minutes", "reply_window_days", "call_at",
    "familiarity",
})


def _check_template(template: str, text: str, label: str, kind: str) -> None:
    try:
        names = Template(template).get_identifiers()
    except ValueError:
        names = []
    if not Template(template).is_valid():
        raise _fail(label, text, kind, f"template '{kind}' has a stray '$' (write $$ for a $)")
    for placeholder in names:
        if placeholder not in PLACEHOLDERS:
            raise _fail(label, text, kind, f"template '{kind}' uses unknown placeholder "
                        f"'${{{placeholder}}}' (known: {', '.join(sorted(PLACEHOLDERS))})")
