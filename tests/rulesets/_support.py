"""Helpers shared by the ruleset tests: where things are, and facts written from a ruleset."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

import parindex_rules as pr
from parindex_rules.cli import main

from ..conftest import ROOT

RULESETS = ROOT / "rulesets"
SEEDS = ROOT / "reference" / "seeds"

VINHLONG = ["vinhlong-2023/so", "vinhlong-2023/huyen", "vinhlong-2023/xa"]
HANOI = ["hanoi-2023/so", "hanoi-2023/quan-huyen"]
QUANGTRI = ["quangtri-2019/so", "quangtri-2019/huyen", "quangtri-2019/xa"]
PROVINCE_IDS = VINHLONG + HANOI + QUANGTRI

_CACHE: dict[str, pr.Ruleset] = {}


def ruleset(ruleset_id: str) -> pr.Ruleset:
    """Rulesets are read-only once compiled: compile each once per test session."""
    if ruleset_id not in _CACHE:
        _CACHE[ruleset_id] = pr.load(ruleset_id)
    return _CACHE[ruleset_id]


def cohort_path(ruleset_id: str) -> Path:
    folder, name = ruleset_id.split("/")
    return RULESETS / folder / "examples" / f"{name}-cohort.yaml"


_FACTS: dict[Path, pr.Facts] = {}


def facts(path: Path) -> pr.Facts:
    """Facts files are read-only once loaded: read each once per test session."""
    if path not in _FACTS:
        _FACTS[path] = pr.load_facts(path)
    return _FACTS[path]


def cli_json(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    code = main(list(argv))
    out = capsys.readouterr().out
    assert code == 0, out
    return json.loads(out)


def cli_text(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def leaf_fact(node: Any, points: Decimal, year: int) -> dict[str, Any]:
    """Facts that give `node` (a compiled leaf) exactly `points`, in the way its origin allows.

    Self-assessed items get a self score and the same appraisal, with an evidence document;
    survey items a survey value for the year (as % when the rule has a scale); council items
    an appraisal round only.
    """
    method = node.method
    if method.reads == "survey":
        scale = method.config.scale
        value = Fraction(points)
        if scale is not None:
            value = value / Fraction(node.max) * Fraction(scale)
        return {"survey": {str(year): _decimal_text(value)}}
    if node.origin.self_assessable:
        return {
            "self": str(points),
            "appraisal": [str(points)],
            "evidence": [{"title": "Tài liệu kiểm chứng (kiểm thử)"}],
        }
    return {"appraisal": [str(points)]}


def _decimal_text(value: Fraction) -> str:
    """The exact decimal text of `value`; it must have one (denominator 2^a·5^b)."""
    rest = value.denominator
    for prime in (2, 5):
        while rest % prime == 0:
            rest //= prime
    if rest != 1:
        raise ValueError(f"{value} has no finite decimal form")
    places = 0
    while (value * 10**places).denominator != 1:
        places += 1
    return str(Decimal((value * 10**places).numerator).scaleb(-places))


def unit_facts(rs: pr.Ruleset, points: dict[str, Decimal], unit: str = "u") -> dict[str, Any]:
    year = rs.document.year
    items = {leaf.id: leaf_fact(leaf, points[leaf.id], year) for leaf in rs.compiled.leaves()}
    return {"unit": unit, "name": f"Đơn vị kiểm thử {unit}", "items": items}


def uniform_points(rs: pr.Ruleset, fraction: Decimal) -> dict[str, Decimal]:
    """Every leaf gets `fraction` of its own maximum."""
    return {leaf.id: leaf.max * fraction for leaf in rs.compiled.leaves()}
