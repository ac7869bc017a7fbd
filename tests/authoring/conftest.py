"""Fixtures shared by the authoring tests."""

from __future__ import annotations

import os
from pathlib import Path

from ..conftest import EXAMPLES

CAMAU = EXAMPLES / "camau-2013" / "ruleset.yaml"
CAMAU_FACTS = EXAMPLES / "camau-2013" / "facts.yaml"


def relative(target: Path, start: Path) -> str:
    """`target` as a path relative to the folder `start` (how `extends:` names a base)."""
    return os.path.relpath(target, start)


def line_of(path: Path, text: str, *, after: str | None = None) -> int:
    """1-based number of the first line containing `text` (after the line containing `after`)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = 0
    if after is not None:
        start = next(i for i, line in enumerate(lines) if after in line) + 1
    return next(i for i in range(start, len(lines)) if text in lines[i]) + 1
