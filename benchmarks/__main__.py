"""``python -m benchmarks [name ...]``: run the named benchmarks (all by default), print figures.

Each benchmark module has ``run() -> list[str]``. Figures are also appended to
``bench-out/latest.txt`` so they can be quoted in a closing note.
"""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path

BENCHMARKS = ("startup", "search", "xapi", "lti", "frac_suggestions", "passbook",
              "recommend")


def main(argv: list[str]) -> int:
    names = argv or list(BENCHMARKS)
    out = Path("bench-out")
    out.mkdir(exist_ok=True)
    lines = [time.strftime("# %Y-%m-%d %H:%M:%S UTC", time.gmtime())]
    for name in names:
        try:
            module = importlib.import_module(f"benchmarks.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"benchmarks.{name}":
                raise
            print(f"{name}: not present, skipped", flush=True)
            continue
        lines += module.run()
    (out / "latest.txt").write_text("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
