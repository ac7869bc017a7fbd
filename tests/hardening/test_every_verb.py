"""Every verb on every corpus input: whatever is wrong with a file, no command shows a
traceback or an internal error, and each exits 0, 1 or 2 (bad usage).

Rulesets go through describe, docs, diff, template, fmt --check and validate --strict; facts
through check, rank, explain, why, score and report. (This sweep found fmt crashing on a date
that does not exist.) CI runs it on the whole corpus; HYPOTHESIS_PROFILE=dev on a fifth.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.hardening.corpus import CORPUS, Case, file_cases, run_cli

CI = os.environ.get("HYPOTHESIS_PROFILE", "ci") == "ci"
CASES = [case for i, case in enumerate(file_cases()) if CI or i % 5 == 0]


def _commands(case: Case, out: Path) -> list[list[str]]:
    f = case.file
    if case.uses:  # a facts case, with the ruleset it is read for
        r = case.uses[0]
        return [
            ["check", r, "--facts", f],
            ["rank", r, "--facts", f],
            ["explain", r, "--facts", f, "--unit", "so-a"],
            ["why", r, "--facts", f, "--unit", "so-a"],
            ["score", r, "--facts", f],
            ["report", r, "--facts", f, "--out", str(out / "report")],
        ]
    return [
        ["describe", f, "--format", "json"],
        ["docs", f],
        ["diff", f, f],
        ["template", f],
        ["fmt", "--check", f],
        ["validate", "--strict", f],
    ]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_no_verb_fails_on_a_bad_input(case: Case, tmp_path: Path) -> None:
    for argv in _commands(case, tmp_path):
        outcome = run_cli(argv, CORPUS)
        shown = outcome.stdout + outcome.stderr
        assert "internal error" not in shown and "Traceback" not in shown, (argv, shown[-500:])
        assert outcome.exit in (0, 1, 2), argv


@pytest.mark.parametrize("form", ["text", "json", "html"])
def test_explain_exits_1_on_an_error_in_every_format(
    form: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A unit with an error (PR509: an item that must be scored has no score) makes `explain`
    exit 1 whatever the format, after writing what it can; the JSON is still a document."""
    from parindex_rules.cli import main

    corpus = Path(__file__).resolve().parent.parent / "corpus" / "facts"
    argv = ["explain", str(corpus / "_rulesets" / "strict.yaml"), "--facts"]
    argv += [str(corpus / "missing-required.yaml"), "--unit", "so-a", "--format", form]
    assert main(argv) == 1
    out, err = capsys.readouterr()
    assert "PR509" in err
    if form == "json":
        assert json.loads(out)["unit"] == "so-a"


@pytest.mark.parametrize("form", ["text", "json", "html"])
def test_explain_of_a_withheld_unit_answers_in_the_format_asked(
    form: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Hà Nội's example excluded unit (evaluated: false) has no explanation tree: the answer
    says so in the format asked for, with the provisional banner where a reader sees it."""
    from parindex_rules.cli import main

    root = Path(__file__).resolve().parent.parent.parent
    argv = ["explain", "hanoi-2023/so", "--facts"]
    argv += [str(root / "rulesets/hanoi-2023/examples/so-cohort.yaml")]
    argv += ["--unit", "don-vi-vi-du-loai-tru", "--format", form]
    assert main(argv) == 0
    out = capsys.readouterr().out
    if form == "json":
        data = json.loads(out)
        assert (data["provisional"], data["evaluated"], data["explanation"]) == (True, False, None)
    elif form == "html":
        assert out.startswith("<!DOCTYPE html>") and 'class="banner"' in out
        assert "result withheld" in out
    else:
        assert out.startswith("PROVISIONAL") and "result withheld" in out.splitlines()[1]
