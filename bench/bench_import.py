"""Import benchmark: a synthetic export (30,000 connections, 20,000 invitations, 300,000
messages by default) through the whole ``netiquette import linkedin`` process, next to loading
the same three CSV files into bare tables with the ``sqlite3`` shell's ``.import``.

Prints both times and their ratio (target within 2x), the import's peak memory (target under
150 MB) and a no-change re-import's time (target under a third of the first; an unchanged export
is recognised by its tables' fingerprints and not read), and for comparison the time of a
re-import after one message was added (every table is read again). Memory is the largest
RSS of one process and, the one held to the target, the largest sum over the import's
processes at one time (a large messages table is read by a second process).
Times are medians of ``--runs`` first imports, each next to a baseline run (default 3), and
are timed as the baseline is, without watching memory: the memory is measured in one more
first import (sampling every 5 ms takes a few per cent of a core from an import that keeps
both of a two-core machine's busy: 0.03 s).
Run: ``python bench/bench_import.py [--quick] [--scale F] [--runs N]``.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants (Linux /proc)."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        try:
            with open(f"/proc/{p}/task/{p}/children") as f:
                todo.extend(int(c) for c in f.read().split())
        except OSError:
            pass
    return found


def run_timed(cmd: list[str], env: dict[str, str] | None = None) -> float:
    """Wall time in seconds (nothing else runs meanwhile)."""
    t0 = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - t0


def run_watched(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """The largest RSS of any one process (rusage, exact) and the largest sum of the RSS of
    the import's processes together (sampled every 5 ms; the import reads its messages in a
    second process), both in MB."""
    process = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL)
    together = 0.0
    while process.poll() is None:
        together = max(together, sum(_rss_mb(p) for p in _tree(process.pid)))
        time.sleep(0.005)
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, cmd)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # (the largest yet)
    return peak, max(together, peak)


def sqlite_shell_import(export: Path, db: Path) -> float:
    script = "\n".join([
        ".mode csv",
        f".import --skip 3 '{export / 'Connections.csv'}' connections",
        f".import '{export / 'Invitations.csv'}' invitations",
        f".import '{export / 'messages.csv'}' messages",
    ])
    t0 = time.perf_counter()
    subprocess.run(["sqlite3", str(db)], input=script, text=True, check=True,
                   capture_output=True)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a tenth of the default size")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=3,
                        help="first imports (each next to a baseline run) whose medians are "
                        "compared (default 3)")
    args = parser.parse_args()
    scale = 0.1 if args.quick else args.scale
    sizes = [int(30_000 * scale), int(20_000 * scale), int(300_000 * scale)]
    tmp = Path(tempfile.mkdtemp(prefix="nq-bench-import-"))
    try:
        run(tmp, sizes, max(1, args.runs))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def compile_package() -> None:
    """Compile netiquette's modules to bytecode, as an install does, before anything is
    timed. An editable install (``make``'s) leaves that to the first run, which cannot write
    it where ``PYTHONDONTWRITEBYTECODE`` is set (as on some CI and sandbox machines): every
    run would then compile the modules again, 0.1 s of each import's time that no installed
    netiquette spends."""
    import compileall

    import netiquette

    compileall.compile_dir(Path(netiquette.__file__).parent, quiet=1)


def run(tmp: Path, sizes: list[int], runs: int) -> None:
    """The baseline and the first import in turns, ``runs`` times, each import into a new
    database (a shared machine's speed drifts by a tenth and more from one minute to the
    next: their medians are compared); then the re-imports into the last database."""
    compile_package()
    export = tmp / "export"
    subprocess.run([sys.executable, str(HERE / "gen_linkedin.py"), str(export),
                    "--connections", str(sizes[0]), "--invitations", str(sizes[1]),
                    "--messages", str(sizes[2])], check=True, stdout=subprocess.DEVNULL)
    print(f"import: export of {sizes[0]:,} connections, {sizes[1]:,} invitations, "
          f"{sizes[2]:,} messages; {runs} run(s) of each")
    cli = [sys.executable, "-m", "netiquette"]
    importing = [*cli, "import", "linkedin", str(export), "--quiet"]
    baselines, firsts = [], []

    def fresh(n: int) -> dict[str, str]:
        """The environment of an import into a new database (its owner made)."""
        env = {**os.environ, "NETIQUETTE_DB": str(tmp / f"nq{n}.sqlite3"),
               "NETIQUETTE_DATA_DIR": str(tmp), "NETIQUETTE_CONFIG_DIR": str(tmp),
               "NETIQUETTE_NOW": "2026-02-08T12:00:00+00:00"}
        subprocess.run([*cli, "init", "--name", "Alex Owner"], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        return env

    for n in range(runs):
        baselines.append(sqlite_shell_import(export, tmp / f"bare{n}.sqlite3"))
        (tmp / f"bare{n}.sqlite3").unlink()
        env = fresh(n)
        firsts.append(run_timed(importing, env))
    peak, together = run_watched(importing, fresh(runs))
    again = run_timed(importing, env)
    with open(export / "messages.csv", "a", encoding="utf-8", newline="") as handle:
        handle.write("2-bench-new==,,Alex Owner,https://www.linkedin.com/in/alex-owner,"
                     "Someone New,,2026-02-07 10:00:00 UTC,,one more message,SENT,No\r\n")
    changed = run_timed(importing, env)
    baseline, first = statistics.median(baselines), statistics.median(firsts)
    print(f"import: sqlite3 shell .import          {baseline:8.2f} s  {_spread(baselines)}")
    print(f"import: netiquette import linkedin      {first:8.2f} s  {_spread(firsts)}")
    print(f"import: ratio netiquette / sqlite3      {first / baseline:8.2f}  (target <= 2; "
          "of the medians)")
    print(f"import: peak memory, largest process    {peak:8.0f} MB")
    print(f"import: peak memory, processes together {together:8.0f} MB  (target < 150 MB)")
    print(f"import: no-change re-import            {again:8.2f} s")
    print(f"import: ratio re-import / first        {again / first:8.2f}  (target < 0.33)")
    print(f"import: re-import, one message added   {changed:8.2f} s  (every table read again)")


def _spread(times: list[float]) -> str:
    return f"(median of {len(times)}: {min(times):.2f}-{max(times):.2f})" if len(times) > 1 else ""


if __name__ == "__main__":
    main()
