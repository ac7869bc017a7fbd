"""The bad-input corpus (tests/corpus/, tests/hardening/generated.py): one parametrised test.

Each case runs the CLI in-process and must print exactly its expected errors, each with its
stable code, line and column, exit with its expected code, and never show a traceback or an
"internal error" (tests/hardening/corpus.py describes the format).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from parindex_rules.codes import CATALOGUE
from tests.hardening.corpus import (
    Case,
    all_cases,
    check,
    file_cases,
    import_all_modules,
    run_case,
)

CASES = all_cases()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_corpus_case(case: Case, tmp_path: Path) -> None:
    outcome = run_case(case, tmp_path)
    problems = check(case, outcome)
    assert not problems, f"{case.name} ({case.about}):\n" + "\n".join(problems)


def test_corpus_is_large_enough() -> None:
    """Issue 9 asks for at least 150 bad inputs; the escape corpus is part of it."""
    files = list(file_cases())
    assert len(files) >= 150
    assert sum(1 for c in files if c.name.startswith("escapes/")) >= 40


#: Catalogued codes no command can print yet, and why. Keep it short: when one becomes
#: reachable, give it a case and remove it here (the test below insists).
NOT_YET_REACHABLE: dict[str, str] = {}


def test_every_code_has_a_corpus_case() -> None:
    """Every catalogued code (after every module that registers codes is imported) is expected
    by at least one case, with its line and column."""
    import_all_modules()
    exercised = {expected.code for case in CASES for expected in case.expected}
    missing = set(CATALOGUE) - exercised
    assert sorted(missing - set(NOT_YET_REACHABLE)) == [], "codes without a corpus case"
    assert sorted(set(NOT_YET_REACHABLE) & exercised) == [], "now covered: remove from the list"
    assert set(NOT_YET_REACHABLE) <= set(CATALOGUE)


def test_expected_codes_are_catalogued() -> None:
    unknown = sorted({e.code for case in CASES for e in case.expected} - set(CATALOGUE), key=str)
    assert not unknown
