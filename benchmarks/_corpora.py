"""Where the shared evaluation corpora live; every benchmark skips cleanly without them."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Iterator

CORPORA = Path(os.environ.get("UNGARBLE_CORPORA", Path(__file__).resolve().parents[2] / "shared" / "corpora"))


def require(*parts: str) -> Path:
    path = CORPORA.joinpath(*parts)
    if not path.exists():
        print(f"skipped: {path} is not here (set UNGARBLE_CORPORA to the shared corpora folder)")
        sys.exit(0)
    return path


def jsonl(path: Path) -> Iterator[dict]:
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)
