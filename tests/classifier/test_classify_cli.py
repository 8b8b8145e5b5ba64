"""`netiquette classify`: JSON Lines in, one JSON line out per input line, bad lines as errors."""

from __future__ import annotations

import json
import subprocess
import sys

import typer
from typer.testing import CliRunner

from netiquette.cli.classify_cmd import classify

app = typer.Typer()
app.command("classify")(classify)
app.command("noop")(lambda: None)  # two commands, so "classify" is a subcommand as in the real app
runner = CliRunner()

TEMPLATE = "Hi {n}, I came across your profile and was impressed by your background at {c}."


def run(stdin: str, *args: str) -> tuple[int, list[dict]]:
    result = runner.invoke(app, ["classify", *args], input=stdin)
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    return result.exit_code, rows


def test_judges_lines_in_order_with_ids() -> None:
    lines = [
        {"id": 1, "message": ""},
        {"id": "b", "message": "Loved your PyCon talk on packaging yesterday!"},
        {"message": "Ich möchte Sie gerne zu meinem beruflichen Netzwerk auf LinkedIn hinzufügen."},
    ]
    code, rows = run("\n".join(json.dumps(x) for x in lines) + "\n")
    assert code == 0
    assert rows[0] == {"id": 1, "verdict": "generic", "score": 1.0, "reasons": ["empty note"]}
    assert rows[1]["id"] == "b" and rows[1]["verdict"] == "personal"
    assert "id" not in rows[2]
    assert rows[2]["verdict"] == "generic"
    assert rows[2]["reasons"][0] == "the platform's default text (German)"
    assert 0.0 <= rows[1]["score"] <= 1.0


def test_whole_input_is_one_batch() -> None:
    merges = [("Jim", "Acme Logistics"), ("Sara", "Globex"), ("Tom", "Initech"), ("Li", "Stark")]
    lines = [
        json.dumps({"id": i, "message": TEMPLATE.format(n=n, c=c), "sender": f"s{i}"})
        for i, (n, c) in enumerate(merges)
    ]
    code, rows = run("\n".join(lines))
    assert code == 0
    assert [r["id"] for r in rows] == [0, 1, 2, 3]
    assert all("same wording as 3 other senders, names swapped" in r["reasons"] for r in rows)


def test_bad_lines_give_errors_and_the_rest_is_judged() -> None:
    big = "x" * 1_100_000
    lines = [
        "this is not json",
        json.dumps({"id": 7, "sender": "a"}),
        json.dumps({"id": 8, "message": 42}),
        json.dumps({"message": big}),
        json.dumps({"id": 10, "message": "hello\u0007there"}),
        json.dumps(["a", "list"]),
        json.dumps({"id": 12, "message": "Thanks for the ride home after Lisa's party."}),
        json.dumps({"id": 13, "message": "ok", "sender": ["x"]}),
        json.dumps({"id": True, "message": "ok"}),
    ]
    code, rows = run("\n".join(lines) + "\n")
    assert code == 0
    assert len(rows) == len(lines)
    errors = {r["line"]: r for r in rows if "error" in r}
    assert sorted(errors) == [1, 2, 3, 4, 5, 6, 8, 9]
    assert "not JSON" in errors[1]["error"]
    assert errors[2] == {"line": 2, "id": 7, "error": "missing field 'message'"}
    assert errors[3]["error"] == "field 'message' must be a string, not a number"
    assert "too long" in errors[4]["error"]
    assert "control character (U+0007)" in errors[5]["error"]
    assert "expected a JSON object" in errors[6]["error"]
    assert "'sender' must be a string" in errors[8]["error"]
    assert "'id' must be a string or an integer" in errors[9]["error"]
    assert rows[6] == {**rows[6], "id": 12, "verdict": "personal"}


def test_blank_lines_are_skipped_and_line_numbers_count_them() -> None:
    code, rows = run('\n{"message": "Hi"}\n\nnope\n')
    assert code == 0
    assert rows[0]["verdict"] == "generic"
    assert rows[1]["line"] == 4


def test_nothing_judged_exits_non_zero() -> None:
    code, rows = run("not json\n{}\n")
    assert code == 2
    assert [r["line"] for r in rows] == [1, 2]
    code, rows = run("")
    assert code == 2 and rows == []


def test_invalid_utf8_is_an_error_line() -> None:
    result = runner.invoke(app, ["classify"], input=b'{"message": "\xff"}\n{"message": "Hi"}\n')
    rows = [json.loads(x) for x in result.stdout.splitlines()]
    assert result.exit_code == 0
    assert rows[0] == {"line": 1, "error": "line is not valid UTF-8"}
    assert rows[1]["verdict"] == "generic"


def test_text_option_judges_one_note() -> None:
    code, rows = run("", "--text", "Maria Rossi suggested I reach out about the Turin pilot.")
    assert code == 0
    assert rows == [
        {
            "verdict": "personal",
            "score": rows[0]["score"],
            "reasons": ["names a mutual contact: Maria Rossi"],
        }
    ]


def test_text_option_with_control_character_fails() -> None:
    code, rows = run("", "--text", "hi\x1bthere")
    assert code == 2
    assert "control character" in rows[0]["error"]


def test_through_a_real_process() -> None:
    script = (
        "import typer\n"
        "from netiquette.cli.classify_cmd import classify\n"
        "app = typer.Typer()\n"
        "app.command('classify')(classify)\n"
        "app.command('noop')(lambda: None)\n"
        "app()\n"
    )
    stdin = '{"id": "x", "message": "Hi"}\nbroken\n'
    proc = subprocess.run(
        [sys.executable, "-c", script, "classify"],
        input=stdin.encode(),
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    rows = [json.loads(x) for x in proc.stdout.decode().splitlines()]
    assert rows[0]["id"] == "x" and rows[0]["verdict"] == "generic"
    assert rows[1]["line"] == 2 and "error" in rows[1]


def test_cli_module_keeps_start_up_lean() -> None:
    code = (
        "import sys; import netiquette.cli.classify_cmd; "
        "print(any(m.startswith(('numpy', 'sklearn', 'scipy', 'netiquette.classifier')) "
        "for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True, timeout=60)
    assert out.stdout.decode().strip() == "False"
