"""docs/diagnostics.md lists every catalogued code, with an example from the corpus and the
exact line printed for it, and how to fix it; it is regenerated and compared here."""

from __future__ import annotations

import re

from parindex_rules.codes import CATALOGUE
from tests.hardening.corpus import import_all_modules
from tests.hardening.diagnostics_doc import DOC, render
from tests.hardening.diagnostics_guide import HOW_TO_FIX


def test_every_code_is_documented() -> None:
    import_all_modules()
    documented = set(re.findall(r"^### (PR\d{3})$", DOC.read_text(encoding="utf-8"), re.M))
    assert documented == set(CATALOGUE)


def test_every_code_has_a_fix() -> None:
    import_all_modules()
    assert set(HOW_TO_FIX) == set(CATALOGUE)
    assert all(len(text) > 20 for text in HOW_TO_FIX.values())


def test_page_is_up_to_date() -> None:
    """The examples are what the CLI prints today.

    To update the page: python -m tests.hardening.diagnostics_doc
    """
    assert DOC.read_text(encoding="utf-8") == render()


def test_examples_show_the_line_printed() -> None:
    text = DOC.read_text(encoding="utf-8")
    printed = set(re.findall(r"^.+?:\d+:\d+: (PR\d{3}) ", text, re.M))
    without = set(re.findall(r"^### (PR\d{3})\n\n.*\n\n\*No command prints", text, re.M))
    # Every code has its printed line on the page, but those no command can print yet.
    assert printed | without == set(CATALOGUE)
    assert len(without) <= 1
