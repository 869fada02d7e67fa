"""``python -m occupations._build [--out DIR] [--task ID ...]``: regenerate the suite."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import SUITE_ROOT, build


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m occupations._build",
                                 description="Regenerate the starter suite's files.")
    ap.add_argument("--out", type=Path, default=SUITE_ROOT,
                    help="suite root to write into (default: the occupations folder)")
    ap.add_argument("--task", action="append", default=None,
                    help="only this task id (repeatable)")
    args = ap.parse_args(argv)
    built = build(args.out, set(args.task) if args.task else None)
    total = sum(b.files for b in built)
    for b in built:
        print(f"{b.id:40s} {b.files:2d} files  {b.dir}")
    print(f"{len(built)} tasks, {total} files written under {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
