"""Run every benchmark in benchmarks/ in turn (``make bench``).

    .venv/bin/python benchmarks/run.py [NAME ...] [-- ARGS passed to each script]

Each ``benchmarks/*.py`` except helpers (``_*.py``) and this file runs as its own process with the
project's Python; its output streams through. Exits non-zero when a script fails; a missed goal
is not a failure — each script reports it in its JSON line (``"met": false``). The JSON lines are
repeated at the end as a summary.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


def python() -> str:
    venv = REPO / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def scripts(names: list[str]) -> list[Path]:
    found = sorted(
        path
        for path in HERE.glob("*.py")
        if not path.name.startswith("_") and path != Path(__file__).resolve()
    )
    if not names:
        return found
    unknown = set(names) - {path.stem for path in found}
    if unknown:
        raise SystemExit(f"no benchmark named {', '.join(sorted(unknown))}")
    return [path for path in found if path.stem in names]


def run(script: Path, args: list[str]) -> tuple[int, str | None]:
    """Run one script, streaming its output; return its exit code and its last JSON line."""
    print(f"=== {script.name}", flush=True)
    started = time.perf_counter()
    last_json = None
    with subprocess.Popen(
        [python(), str(script), *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
    ) as process:
        assert process.stdout is not None
        for line in process.stdout:
            sys.stdout.write(line)
            sys.stdout.flush()
            if line.startswith("{"):
                try:
                    json.loads(line)
                except ValueError:
                    continue
                last_json = line.strip()
    code = process.returncode
    print(f"=== {script.name}: exit {code} in {time.perf_counter() - started:.0f} s\n", flush=True)
    return code, last_json


def main(argv: list[str]) -> int:
    names, args = (
        (argv[: argv.index("--")], argv[argv.index("--") + 1 :]) if "--" in argv else (argv, [])
    )
    results, failed = [], []
    for script in scripts(names):
        code, line = run(script, args)
        if code != 0 or line is None:
            failed.append(script.name if code else f"{script.name} (no JSON line)")
        if line:
            results.append(line)
    print("=== summary")
    for line in results:
        print(line)
    if failed:
        print(f"FAILED: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
