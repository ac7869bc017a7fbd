"""Every quoted `source` is the source's own words.

The seed texts are kept in the repository (reference/seeds) so that this runs everywhere.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from pydantic import BaseModel

from parindex_rules.model.ruleset import Source

from ._support import PROVINCE_IDS, SEEDS, ruleset

SEED_OF = {
    "qd1877": "003_15c8a2402bf69547.txt",
    "hd_snv_2023": "004_33c4cf6aba0411a8.txt",
    "hd_snv_qt": "000_052e2ae7bf968ba2.txt",
}


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("*", "")).strip()


def _sources(value: Any) -> list[Source]:
    if isinstance(value, Source):
        return [value]
    if isinstance(value, BaseModel):
        return [s for name in type(value).model_fields for s in _sources(getattr(value, name))]
    if isinstance(value, list | tuple):
        return [s for item in value for s in _sources(item)]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _sources(item)]
    return []


@pytest.mark.parametrize("ruleset_id", PROVINCE_IDS)
def test_quotes_are_verbatim(ruleset_id: str) -> None:
    sources = _sources(ruleset(ruleset_id).document)
    assert sources
    checked = 0
    for source in sources:
        if source.document not in SEED_OF or source.quote is None:
            continue
        text = _plain((SEEDS / SEED_OF[source.document]).read_text(encoding="utf-8"))
        for piece in source.quote.split("…"):
            assert _plain(piece) in text, (source.document, piece)
        checked += 1
    assert checked == sum(1 for s in sources if s.document in SEED_OF)
