"""``make bench``: run every benchmark in turn; each prints its figures and ratios.

``python bench/run.py --quick`` runs small sizes (a smoke test of the benchmarks)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
BENCHES = ["bench_agenda.py", "bench_classifier.py", "bench_import.py", "bench_web.py"]


def main() -> int:
    extra = sys.argv[1:]
    failed = []
    for name in BENCHES:
        script = HERE / name
        if not script.exists():
            print(f"== {name}: not written yet")
            continue
        print(f"== {name}", flush=True)
        if subprocess.run([sys.executable, str(script), *extra]).returncode != 0:
            failed.append(name)
    if failed:
        print("failed: " + ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
