"""Run every CLI verb on fixed inputs and record what it printed and wrote, byte for byte.

``python -m tests.hardening.determinism OUT.json`` runs the commands below in-process (from
the repository root) and writes their exit codes, stdout, stderr and the files they wrote
(``{out}`` in a command is a fresh file, ``{dir}`` a fresh folder) to OUT.json.
test_determinism.py runs it twice in separate processes, with different hash seeds and time
zones, and compares the two files.
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
SENSITIVITY = [
    "sensitivity",
    "vinhlong-2023/so",
    "--facts",
    "rulesets/vinhlong-2023/examples/so-cohort.yaml",
    "--vary",
    "weight:survey=±20%",
    "--vary",
    "max:8=±5",
    "--replicates",
    "200",
    "--seed",
    "7",
]
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
        ["score", R, "--facts", F, "--exporter", name, "--out", "{out}"]
        for name in ("json", "text", "xlsx", "html")
    ),
    ["rank", R, "--facts", F, "--reader", "yaml"],
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
    ["check", R, "--facts", F],
    ["check", R, "--facts", F, "--format", "json"],
    ["rank", R, "--facts", F],
    ["rank", R, "--facts", F, "--format", "json"],
    ["rank", "--scores", f"{DATA}/scores.csv", "--format", "json"],
    ["why", R, "--facts", F, "--unit", "so-c"],
    ["why", R, "--facts", F, "--unit", "so-c", "--versus", "so-a", "--format", "json"],
    ["diff", CAMAU_R, R],
    ["diff", CAMAU_R, R, "--format", "json"],
    ["template", R],
    ["template", R, "--format", "xlsx", "--out", "{out}"],
    ["docs", R],
    ["docs", R, "--format", "html"],
    ["report", R, "--facts", F, "--format", "xlsx", "--out", "{out}"],
    ["report", R, "--facts", F, "--out", "{dir}"],
    ["import-annex", f"{DATA}/annex.csv", "--id", "thu-2020/so", "--title", "T", "--out", "{out}"],
    ["fmt", "--check", R],
    [*SENSITIVITY, "--format", "json"],
    [*SENSITIVITY, "--out", "{out}"],
]


def record(commands: list[list[str]] = COMMANDS) -> dict[str, object]:
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as folder:
        for i, command in enumerate(commands):
            out = Path(folder) / f"out-{i}"
            argv = [str(out) if part in ("{out}", "{dir}") else part for part in command]
            outcome = run_cli(argv, ROOT)
            # Paths of the temporary folder differ between runs: they are not the output.
            shown = (outcome.stdout + "\0" + outcome.stderr).replace(str(out), "OUT")
            stdout, stderr = shown.split("\0")
            results[" ".join(command)] = {
                "exit": outcome.exit,
                "stdout": stdout,
                "stderr": stderr,
                "file": _written(out),
            }
    return results


def _written(out: Path) -> object:
    """The bytes written at `out` (base64), or each file of the folder written there."""
    if out.is_file():
        return base64.b64encode(out.read_bytes()).decode("ascii")
    if out.is_dir():
        return {
            p.relative_to(out).as_posix(): base64.b64encode(p.read_bytes()).decode("ascii")
            for p in sorted(out.rglob("*"))
            if p.is_file()
        }
    return None


if __name__ == "__main__":
    Path(sys.argv[1]).write_text(
        json.dumps(record(), ensure_ascii=False, indent=1, sort_keys=False), encoding="utf-8"
    )
