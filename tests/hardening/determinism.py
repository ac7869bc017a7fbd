"""Run every CLI verb on fixed inputs and record what it printed and wrote, byte for byte.

``python -m tests.hardening.determinism OUT.json`` runs the commands below in-process (from
the repository root) and writes their exit codes, stdout, stderr and the files they wrote
(``{out}`` in a command is a fresh file) to OUT.json. test_determinism.py runs it twice in
separate processes, with different hash seeds and time zones, and compares the two files.
"""

from __future__ import annotations

import base64
import json
import sys
import tempfile
from pathlib import Path

from tests.hardening.corpus import run_cli

ROOT = Path(__file__).resolve().parent.parent.parent
DATA = "tests/hardening/data"
R, F = f"{DATA}/ruleset.yaml", f"{DATA}/facts.yaml"
CAMAU_R, CAMAU_F = "examples/camau-2013/ruleset.yaml", "examples/camau-2013/facts.yaml"
#: Facts with several problems at once: diagnostics must come out in one stable order.
BAD_F = f"{DATA}/facts-with-errors.yaml"

COMMANDS: list[list[str]] = [
    ["validate", R],
    ["validate", "--strict", R],
    ["validate", CAMAU_R, R],
    ["describe", R],
    ["describe", R, "--format", "json"],
    ["describe", CAMAU_R, "--format", "json", "--out", "{out}"],
    ["schema"],
    ["schema", "--facts"],
    ["schema", "--out", "{out}"],
    ["score", R, "--facts", F],
    ["score", R, "--facts", F, "--summary"],
    ["score", R, "--facts", F, "--format", "json"],
    ["score", R, "--facts", F, "--stage", "self", "--format", "json"],
    ["score", R, "--facts", F, "--stage", "appraised"],
    ["score", R, "--facts", F, "--format", "json", "--out", "{out}"],
    ["score", R, "--facts", BAD_F, "--format", "json"],
    ["score", CAMAU_R, "--facts", CAMAU_F, "--format", "json"],
    *(
        ["explain", R, "--facts", F, "--unit", unit, "--format", fmt]
        for unit in ("so-a", "so-b", "so-c", "so-d")
        for fmt in ("text", "json")
    ),
    ["explain", R, "--facts", F, "--unit", "so-d", "--item", "1.3", "--format", "json"],
    ["explain", R, "--facts", F, "--unit", "so-a", "--out", "{out}"],
    ["explain", CAMAU_R, "--facts", CAMAU_F, "--unit", "don-vi-c"],
    ["list"],
    ["list", "--format", "json"],
]


def record(commands: list[list[str]] = COMMANDS) -> dict[str, object]:
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as folder:
        for i, command in enumerate(commands):
            out = Path(folder) / f"out-{i}"
            argv = [str(out) if part == "{out}" else part for part in command]
            outcome = run_cli(argv, ROOT)
            written = out.read_bytes() if out.exists() else None
            results[" ".join(command)] = {
                "exit": outcome.exit,
                "stdout": outcome.stdout,
                "stderr": outcome.stderr,
                "file": None if written is None else base64.b64encode(written).decode("ascii"),
            }
    return results


if __name__ == "__main__":
    Path(sys.argv[1]).write_text(
        json.dumps(record(), ensure_ascii=False, indent=1, sort_keys=False), encoding="utf-8"
    )
