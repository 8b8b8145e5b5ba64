"""The benchmark's export generator: deterministic, in the real layout, read back cleanly;
and reading stays flat in memory as the export grows."""

from __future__ import annotations

import tracemalloc
from collections import Counter
from pathlib import Path

from netiquette.importers.linkedin import open_export
from netiquette.importers.records import BadRow, InvitationRecord, MessageRecord


def generate(gen, out: Path, *extra: str) -> Path:
    assert gen.main([str(out), "--connections", "300", "--invitations", "200",
                     "--messages", "1500", *extra]) == 0
    return out


def test_same_seed_same_bytes(gen, tmp_path):
    a = generate(gen, tmp_path / "a")
    b = generate(gen, tmp_path / "b")
    c = generate(gen, tmp_path / "c", "--seed", "5")
    for name in ("Connections.csv", "Invitations.csv", "messages.csv"):
        assert (a / name).read_bytes() == (b / name).read_bytes()
        assert (a / name).read_bytes() != (c / name).read_bytes()


def test_generated_export_reads_back_cleanly(gen, tmp_path):
    export = open_export(generate(gen, tmp_path / "zipped.zip", "--zip"))
    assert export.kinds() == {"profile", "connections", "invitations", "messages"}
    assert sorted(Path(n.split(":")[-1]).name for n, _ in export.ignored) == [
        "Skills.csv", "guide_messages.csv"]
    items = list(export.stream())
    counts = Counter(type(i).__name__ for i in items)
    assert counts == {"ProfileRecord": 1, "ConnectionRecord": 300, "InvitationRecord": 200,
                      "MessageRecord": 1500}
    assert not [i for i in items if isinstance(i, BadRow)]
    messages = [i for i in items if isinstance(i, MessageRecord)]
    assert max(len(m.content) for m in messages) > 131072  # beyond csv's default limit
    assert any("\n" in m.content for m in messages)
    pending = {i.inviter_slug for i in items
               if isinstance(i, InvitationRecord) and i.direction == "incoming"}
    asked = {s for m in messages if m.content.endswith("Have we met?") for s in m.recipient_slugs}
    assert asked and asked <= pending  # inquiries go to inviters ...
    invited_at = {i.inviter_slug: i.sent_at for i in items if isinstance(i, InvitationRecord)}
    for m in messages:
        assert m.sent_at <= gen.NOW
        if m.content.endswith("Have we met?"):
            assert m.sent_at > invited_at[m.recipient_slugs[0]]  # ... after they invited


def peak_while_streaming(path: Path) -> int:
    tracemalloc.start()
    try:
        for _ in open_export(path).stream():
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_stays_flat_as_the_export_grows(gen, tmp_path):
    small = gen.main([str(tmp_path / "s.zip"), "--zip", "--connections", "500",
                      "--invitations", "500", "--messages", "2000"])
    large = gen.main([str(tmp_path / "l.zip"), "--zip", "--connections", "5000",
                      "--invitations", "5000", "--messages", "40000"])
    assert small == large == 0
    small_peak = peak_while_streaming(tmp_path / "s.zip")
    large_peak = peak_while_streaming(tmp_path / "l.zip")
    print(f"peak {small_peak / 1e6:.1f} MB for 3k rows, {large_peak / 1e6:.1f} MB for 50k")
    assert large_peak < 2 * small_peak + 4_000_000  # 17x the rows, not 17x the memory
