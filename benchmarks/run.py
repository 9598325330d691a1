"""Run every benchmark script in this folder, one after the other (`make bench`), or only those named.

Each script prints its own table; a script that fails makes this run fail, after the others have run.
Usage: `.venv/bin/python benchmarks/run.py [NAME ...]`, e.g. `benchmarks/run.py load batch`.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    scripts = sorted(path for path in HERE.glob("*.py") if path.name != Path(__file__).name)
    wanted = set(sys.argv[1:])
    unknown = wanted - {path.stem for path in scripts}
    if unknown:
        print(f"no such benchmark: {', '.join(sorted(unknown))} (have: {', '.join(p.stem for p in scripts)})",
              file=sys.stderr)
        return 2
    scripts = [path for path in scripts if not wanted or path.stem in wanted]
    failed = []
    for script in scripts:
        print(f"== {script.name}", flush=True)
        if subprocess.run([sys.executable, str(script)], check=False).returncode != 0:
            failed.append(script.name)
        print(flush=True)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
