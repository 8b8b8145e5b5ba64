"""``netiquette classify``: judge notes read as JSON Lines, or one note given with ``--text``.

Input, one object per line: ``{"message": "...", "id": ..., "sender": "...", "recipient": "..."}``
(``message`` required). Output, one line per input line, in input order:
``{"id": ..., "verdict": "generic"|"personal", "score": 0.93, "reasons": [...]}``, or for a
line that cannot be judged ``{"line": 3, "id": ..., "error": "what is wrong"}``. The whole input is
judged as one batch, so the same wording from several senders counts. The exit code is 2 only
when nothing could be judged.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any, Optional

import typer

MAX_NOTE_CHARS = 20_000
MAX_LINE_BYTES = 1_000_000
_TEXT_FIELDS = ("message", "sender", "recipient")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # Cc except tab, LF, CR


def classify(
    text: Optional[str] = typer.Option(  # noqa: UP045 (Typer reads the annotation)
        None, "--text", help="Judge this one note instead of reading JSON Lines on stdin."
    ),
) -> None:
    """Judge invitation notes: generic or personal, with a score and readable reasons."""
    from netiquette.classifier import Note, get_classifier

    if text is not None:
        problem = _text_problem(text, "text")
        if problem:
            _emit({"line": 1, "error": problem})
            raise typer.Exit(2)
        verdict = get_classifier().judge([Note(text)])[0]
        _emit(_verdict_row(None, verdict))
        return

    rows: list[dict[str, Any]] = []
    notes: list[Note] = []
    slots: list[int] = []
    for number, raw in enumerate(sys.stdin.buffer, start=1):
        if not raw.strip():
            continue
        parsed = _parse_line(raw, number)
        if "error" in parsed:
            rows.append(parsed)
            continue
        slots.append(len(rows))
        rows.append({"id": parsed["id"]} if "id" in parsed else {})
        notes.append(Note(parsed["message"], parsed.get("sender"), parsed.get("recipient")))
    if notes:
        verdicts = get_classifier().judge(notes)
        for slot, verdict in zip(slots, verdicts, strict=True):
            rows[slot] = _verdict_row(rows[slot].get("id"), verdict, "id" in rows[slot])
    for row in rows:
        _emit(row)
    if not notes:
        raise typer.Exit(2)


def _parse_line(raw: bytes, number: int) -> dict[str, Any]:
    """The note on one input line, or ``{"line": n, "error": ...}`` naming what is wrong."""

    def error(message: str, **extra: Any) -> dict[str, Any]:
        return {"line": number, **extra, "error": message}

    if len(raw) > MAX_LINE_BYTES:
        return error(f"line is too long ({len(raw):,} bytes; at most {MAX_LINE_BYTES:,})")
    try:
        obj = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return error("line is not valid UTF-8")
    except json.JSONDecodeError as exc:
        return error(f"line is not JSON: {exc.msg} at column {exc.colno}")
    if not isinstance(obj, dict):
        return error(f"expected a JSON object, got {type(obj).__name__}")
    ident = {"id": obj["id"]} if "id" in obj else {}
    if "id" in obj:
        value = obj["id"]
        if isinstance(value, bool) or not isinstance(value, str | int):
            return error(f"field 'id' must be a string or an integer, not {_json_type(value)}")
    if "message" not in obj:
        return error("missing field 'message'", **ident)
    for name in _TEXT_FIELDS:
        value = obj.get(name)
        if value is None and name != "message":
            continue
        if not isinstance(value, str):
            return error(f"field '{name}' must be a string, not {_json_type(value)}", **ident)
        problem = _text_problem(value, name)
        if problem:
            return error(problem, **ident)
    return obj


def _text_problem(value: str, name: str) -> str | None:
    if len(value) > MAX_NOTE_CHARS:
        return f"field '{name}' is too long ({len(value):,} characters; at most {MAX_NOTE_CHARS:,})"
    bad = _CONTROL.search(value)
    if bad:
        code = ord(bad.group())
        return f"field '{name}' contains a control character (U+{code:04X}) at {bad.start()}"
    return None


def _json_type(value: object) -> str:
    names = {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        list: "a list",
        dict: "an object",
    }
    return "null" if value is None else names.get(type(value), type(value).__name__)


def _verdict_row(ident: Any, verdict: Any, has_id: bool = False) -> dict[str, Any]:
    row: dict[str, Any] = {"id": ident} if has_id else {}
    row.update(verdict=verdict.label, score=verdict.score, reasons=list(verdict.reasons))
    return row


def _emit(row: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
