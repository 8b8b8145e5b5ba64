"""Web benchmark: 30,000 people and 20,000 open cases in SQLite; 20 concurrent keep-alive
clients on loopback for 10 s against ``/`` and ``/agenda`` (signed in) on ``netiquette serve``,
next to the same server answering a static file of the same size (the stack's floor).

Target: 95th percentile under 50 ms. Uses ``wrk`` when installed (Debian: apt-get install wrk),
else a small threaded Python client with http.client keep-alive.
Run: ``python bench/bench_web.py [--quick] [--clients 20] [--seconds 10]``.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

NOW = datetime(2026, 3, 1, 9, tzinfo=UTC)
WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %.3f %.3f %d\\n", summary.requests, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read +
    summary.errors.write + summary.errors.timeout))
end
"""


def fill(people: int, cases: int) -> None:
    """Bulk-load ``people`` people, ``cases`` of them with an open case and a due action."""
    from netiquette.core.models import Action, Case, Event, Invitation, Person
    from netiquette.services.members import create_member

    member = create_member("Bench Member", signature="Bench")
    levels = ("stranger", "recognized", "acquainted", "known")
    note = "I'd like to add you to my professional network on LinkedIn."
    batch = 5000
    for start in range(0, people, batch):
        n = min(batch, people - start)
        made = Person.objects.bulk_create([
            Person(member=member, display_name=f"Person {i}", first_name="Person",
                   last_name=str(i), name_key=f"person {i}", familiarity=levels[i % 4],
                   company=f"Company {i % 97}", created_at=NOW, updated_at=NOW)
            for i in range(start, start + n)])
        with_case = [p for j, p in enumerate(made) if start + j < cases]
        if not with_case:
            continue
        invs = Invitation.objects.bulk_create([
            Invitation(member=member, person=p, direction="incoming", note=note,
                       sent_at=NOW - timedelta(minutes=k), channel="linkedin",
                       verdict="generic", verdict_score=0.95,
                       verdict_reasons=["the platform's default text (English)"])
            for k, p in enumerate(with_case, start=start)])
        made_cases = Case.objects.bulk_create([
            Case(member=member, invitation=inv, person=inv.person, path="inquire",
                 rule="generic-stranger", why="a stranger with a generic note",
                 state="to_inquire", protocol="have-we-met", opened_at=inv.sent_at,
                 since=inv.sent_at, updated_at=inv.sent_at) for inv in invs])
        Event.objects.bulk_create([
            Event(member=member, case=c, kind="opened", at=c.opened_at, recorded_at=NOW,
                  actor="bench", reason="rule 'generic-stranger'", data={"path": "inquire"})
            for c in made_cases])
        Action.objects.bulk_create([
            Action(member=member, case=c, kind="send_inquiry", due_at=c.opened_at,
                   draft=f"Hi {c.person.first_name},\n\nthank you for the invitation. "
                   "Have we met? I could not place you.\n\nBench")
            for c in made_cases])


def page_sizes(paths: list[str]) -> dict[str, int]:
    from django.contrib.auth.models import User
    from django.test import Client

    client = Client()
    client.force_login(User.objects.get(username="bench-member"))
    sizes = {}
    for path in paths:
        response = client.get(path, HTTP_HOST="127.0.0.1")
        assert response.status_code == 200, (path, response.status_code)
        sizes[path] = len(response.content)
    return sizes


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(port: int, env: dict[str, str],
                 extra: tuple[str, ...] = ()) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen([sys.executable, "-m", "netiquette", "serve", "--port", str(port),
                             *extra],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert proc.stdout is not None
    url = ""
    for _ in range(10):
        line = proc.stdout.readline()
        found = re.search(r"(http://\S+/login\?token=\S+)", line)
        if found:
            url = found.group(1)
            break
    if not url:
        proc.kill()
        raise SystemExit("netiquette serve printed no sign-in link")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return proc, url
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("netiquette serve did not start")


def sign_in(port: int, login_url: str) -> str:
    """Sign in through the link and keep the cookies a browser would: the session's, and the
    CSRF cookie the first page sets."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", login_url.split(str(port), 1)[1])
    response = conn.getresponse()
    response.read()
    session = re.search(r"netiquette_session=([^;]+)", response.getheader("Set-Cookie") or "")
    if response.status != 302 or not session:
        raise SystemExit(f"sign-in failed: {response.status}")
    cookie = f"netiquette_session={session.group(1)}"
    conn.request("GET", "/", headers={"Cookie": cookie})
    response = conn.getresponse()
    response.read()
    csrf = re.search(r"netiquette_csrftoken=([^;]+)", response.getheader("Set-Cookie") or "")
    if response.status != 200 or not csrf:
        raise SystemExit(f"the inbox after sign-in failed: {response.status}")
    return f"{cookie}; netiquette_csrftoken={csrf.group(1)}"


def load_wrk(port: int, path: str, cookie: str, clients: int, seconds: float,
             script: Path) -> tuple[float, float, float, int]:
    out = subprocess.run(["wrk", "-t", "2", "-c", str(clients), "-d", f"{seconds:g}s",
                          "-H", f"Cookie: {cookie}", "-s", str(script),
                          f"http://127.0.0.1:{port}{path}"],
                         capture_output=True, text=True, check=True).stdout
    found = re.search(r"RESULT (\d+) (\d+) ([\d.]+) ([\d.]+) (\d+)", out)
    assert found, out
    requests, micros, p50, p95, errors = found.groups()
    return int(requests) / (int(micros) / 1e6), float(p50), float(p95), int(errors)


def load_python(port: int, path: str, cookie: str, clients: int,
                seconds: float) -> tuple[float, float, float, int]:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        while time.monotonic() < stop:
            t0 = time.perf_counter()
            conn.request("GET", path, headers={"Cookie": cookie})
            response = conn.getresponse()
            response.read()
            mine.append((time.perf_counter() - t0) * 1000)
            if response.status != 200:
                errors[0] += 1
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    q = statistics.quantiles(latencies, n=100)
    return len(latencies) / elapsed, q[49], q[94], errors[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, 3 s runs")
    parser.add_argument("--people", type=int, default=30_000)
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--python-client", action="store_true", help="never use wrk")
    parser.add_argument("--workers", type=int, default=0, help="serve --workers (0: default)")
    parser.add_argument("--threads", type=int, default=0, help="serve --threads (0: default)")
    args = parser.parse_args()
    if args.quick:
        args.people, args.cases, args.seconds = 3000, 2000, 3

    tmp = Path(tempfile.mkdtemp(prefix="netiquette-bench-web-"))
    static = tmp / "static"
    static.mkdir()
    env = {**os.environ, "NETIQUETTE_DB": str(tmp / "bench.sqlite3"),
           "NETIQUETTE_DATA_DIR": str(tmp / "data"), "NETIQUETTE_CONFIG_DIR": str(tmp / "cfg"),
           "NETIQUETTE_NOW": NOW.isoformat(), "NETIQUETTE_STATIC_ROOT": str(static)}
    env.pop("NETIQUETTE_MEMBER", None)
    os.environ.update(env)
    from netiquette import bootstrap

    bootstrap.setup()
    t0 = time.perf_counter()
    fill(args.people, args.cases)
    print(f"filled {args.people:,} people and {args.cases:,} open cases "
          f"in {time.perf_counter() - t0:.1f} s")
    pages = ["/", "/agenda"]
    sizes = page_sizes(pages)
    for path, size in sizes.items():
        name = "inbox" if path == "/" else path.strip("/")
        (static / f"floor-{name}.html").write_bytes(b"x" * size)

    use_wrk = shutil.which("wrk") is not None and not args.python_client
    script = tmp / "report.lua"
    script.write_text(WRK_SCRIPT)
    port = free_port()
    extra = [*(["--workers", str(args.workers)] if args.workers else []),
             *(["--threads", str(args.threads)] if args.threads else [])]
    proc, login_url = start_server(port, env, tuple(extra))
    try:
        cookie = sign_in(port, login_url)
        client = "wrk" if use_wrk else "python threads (http.client keep-alive)"
        print(f"{args.clients} keep-alive clients for {args.seconds:g} s each, via {client}")
        print(f"{'page':<10}{'bytes':>8}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}  |"
              f"{'floor req/s':>12}{'p50 ms':>9}{'p95 ms':>9}  |{'p95 ratio':>10}")
        worst = 0.0
        for path in pages:
            name = "inbox" if path == "/" else path.strip("/")
            runs = []
            for target in (path, f"/static/floor-{name}.html"):
                if use_wrk:
                    runs.append(load_wrk(port, target, cookie, args.clients, args.seconds,
                                         script))
                else:
                    runs.append(load_python(port, target, cookie, args.clients, args.seconds))
            (rps, p50, p95, err), (frps, fp50, fp95, ferr) = runs
            worst = max(worst, p95)
            ratio = p95 / fp95 if fp95 else 0.0
            print(f"{path:<10}{sizes[path]:>8}{rps:>9.0f}{p50:>9.1f}{p95:>9.1f}  |"
                  f"{frps:>12.0f}{fp50:>9.1f}{fp95:>9.1f}  |{ratio:>9.1f}x")
            if err or ferr:
                print(f"  errors: {err} on {path}, {ferr} on its floor")
        verdict = "met" if worst < 50 else "NOT met"
        print(f"target p95 < 50 ms: {verdict} (worst p95 {worst:.1f} ms)")
    finally:
        proc.terminate()
        proc.wait(timeout=15)
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
