"""Rank intervals under varied parameters, on a cohort worked out by hand.

Ruleset: item 1.1 (max 2) — "Trên 90%: 2 · Từ 70% - 90%: 1 · Dưới 70%: 0"; item 1.2 (max 1) —
a choice: 1 / 0.5 / 0.

- A: 88 % → 1, choice 1 → 2 points (index 66.67).
- B: 92 % → 2, choice 0.5 → 2.5 points (83.33).
- C: 50 % → 0, choice 0 → 0 points.
Nominal ranks: B 1, A 2, C 3.

Vary the threshold at 90 by δ ∈ {-5, ..., 5} (whole points): with t = 90 + δ, A gets 2 when
88 > t (δ ≤ -3) and B gets 1 when 92 ≤ t (δ ≥ 2). δ ≤ -3: A 3 > B 2.5; δ ≥ 2: A 2 > B 1.5; else
the nominal order. So A and B both range over ranks 1–2 (they swap in 7 of 11 values of δ) and C
stays 3rd. Weighting item 1.2 by ±10 % never swaps anyone (B - A = 1 - 0.5 f > 0 with the
threshold at its nominal value, and A wins in the swapped cases whatever f): the threshold
explains all of the rank shift.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import parindex_rules as pr
from parindex_rules.cli import main
from parindex_rules.loader.facts import facts_from_data
from parindex_rules.sensitivity import SpecError, analyse

from ..helpers import ruleset_doc

DOC = ruleset_doc(
    [
        {
            "id": "1.1",
            "name": "Mức độ thực hiện kế hoạch",
            "max": "2",
            "rule": "Trên 90%: 2 · Từ 70% - 90%: 1 · Dưới 70%: 0",
            "inputs": {"ty_le": {"label": "Tỷ lệ", "kind": "percent"}},
            "scoring": {
                "method": "bands",
                "input": "ty_le",
                "bands": [
                    {"above": 90, "points": 2},
                    {"from": 70, "to": 90, "points": 1},
                    {"below": 70, "points": 0},
                ],
            },
        },
        {
            "id": "1.2",
            "name": "Ban hành kế hoạch",
            "max": "1",
            "rule": "Kịp thời: 1 · Không kịp thời: 0,5 · Không: 0",
            "scoring": {
                "method": "choice",
                "options": [
                    {"key": "kip_thoi", "label": "Kịp thời", "points": 1},
                    {"key": "cham", "label": "Không kịp thời", "points": "0.5"},
                    {"key": "khong", "label": "Không", "points": 0},
                ],
            },
        },
    ],
    ranking={"within": "all"},
)


def _unit(unit: str, percent: str, choice: str, **extra: Any) -> dict[str, Any]:
    return {
        "unit": unit,
        "name": f"Đơn vị {unit}",
        "items": {"1.1": {"self": percent}, "1.2": {"self": choice}},
        **extra,
    }


FACTS = {
    "ruleset": "test-2024/so",
    "year": 2024,
    "units": [_unit("A", "88", "kip_thoi"), _unit("B", "92", "cham"), _unit("C", "50", "khong")],
}


@pytest.fixture(scope="module")
def ruleset() -> pr.Ruleset:
    return pr.loads(json.dumps(DOC, ensure_ascii=False), "sensitivity.yaml")


def test_one_threshold_provably_swaps_two_units(ruleset: pr.Ruleset) -> None:
    result = analyse(
        ruleset,
        facts_from_data(FACTS),
        ["threshold:1.1@90=±5", "weight:1.2=±10%"],
        replicates=2000,
        seed=7,
    )
    a, b, c = (result.unit(u) for u in "ABC")
    assert (a.rank, b.rank, c.rank) == (2, 1, 3)
    assert a.interval == (1, 2) and b.interval == (1, 2) and c.interval == (3, 3)
    # A is first exactly when B is second: in every replicate they swap together.
    assert ((a.ranks == 1) == (b.ranks == 2)).all()
    swapped = float((a.ranks == 1).mean())
    assert abs(swapped - 7 / 11) < 0.05
    top = result.most_influential()
    assert top is not None and top.parameter.text == "threshold:1.1@90=±5"
    assert top.first_order > 0.95
    weight = next(i for i in result.influences if i.parameter.kind == "weight")
    assert weight.first_order < 0.05
    assert a.moved_most_by == "threshold:1.1@90=±5"
    # Lowest: 1.2 weighted 0.9 with the threshold where it was: 1.9 / 2.9 = 65.52 %; highest:
    # both items full, 3.1 / 3.1 (or 3 / 3) = 100 %.
    assert (a.index_low, a.index_high) == ("65.52", "100.00")


def test_no_variation_gives_single_ranks(ruleset: pr.Ruleset) -> None:
    result = analyse(
        ruleset,
        facts_from_data(FACTS),
        ["threshold:1.1=±0", "max:1.2=±0"],
        replicates=300,
        seed=1,
    )
    for unit in result.units:
        assert unit.interval == (unit.rank, unit.rank)
    assert result.mean_rank_shift == 0
    assert all(i.first_order == 0 for i in result.influences)


def test_exact_ties_share_a_rank_in_every_replicate(ruleset: pr.Ruleset) -> None:
    """Two units with identical facts tie exactly (competition ranking: 1, 1, 3), whatever the
    weights; the float sums never split them."""
    facts = dict(FACTS)
    facts["units"] = [
        _unit("A", "88", "kip_thoi"),
        _unit("A2", "88", "kip_thoi"),
        _unit("C", "50", "khong"),
    ]
    result = analyse(
        ruleset, facts_from_data(facts), ["weight:1.1=±37%", "max:1.2=±0.3"], replicates=500
    )
    a, a2, c = (result.unit(u) for u in ("A", "A2", "C"))
    assert (a.ranks == 1).all() and (a2.ranks == 1).all() and (c.ranks == 3).all()


def test_same_seed_same_output_and_the_cli(
    ruleset: pr.Ruleset, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ruleset_file = tmp_path / "ruleset.json"
    ruleset_file.write_text(json.dumps(DOC, ensure_ascii=False), encoding="utf-8")
    facts_file = tmp_path / "facts.json"
    facts_file.write_text(json.dumps(FACTS, ensure_ascii=False), encoding="utf-8")
    argv = [
        "sensitivity",
        str(ruleset_file),
        "--facts",
        str(facts_file),
        "--vary",
        "threshold:1.1=±5",
        "--vary",
        "weight:1.2=+-10%",
        "--replicates",
        "400",
        "--seed",
        "42",
        "--format",
        "json",
    ]
    assert main(argv) == 0
    first = capsys.readouterr().out
    assert main(argv) == 0
    assert capsys.readouterr().out == first
    data = json.loads(first)
    assert data["ruleset"] == "test-2024/so" and data["provisional"] is True
    assert {u["unit"]: u["rank_interval"] for u in data["units"]}["C"] == [3, 3]
    assert main([*argv[:-2], "--format", "text", "--seed", "43"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("PROVISIONAL") and "threshold:1.1=±5" in text


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("threshold:1.2=±5", "not an item scored by bands"),
        ("threshold:1.1@80=±5", "no threshold at 80"),
        ("threshold:1.1@90=±25", "cross another threshold"),
        ("max:1.2=±1", "would reach 0"),
        ("weight:survey=±20%", "no item has origin"),
        ("weight:1.2=±2", "varies by a percentage"),
        ("size:1.2=±2", "unknown kind"),
        ("threshold:1.1=5", "cannot read"),
    ],
)
def test_specs_that_do_not_fit_are_refused_clearly(
    ruleset: pr.Ruleset, spec: str, message: str
) -> None:
    with pytest.raises(SpecError, match=message):
        analyse(ruleset, facts_from_data(FACTS), [spec], replicates=5)


def test_cli_reports_a_bad_spec_as_usage(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ruleset_file = tmp_path / "ruleset.json"
    ruleset_file.write_text(json.dumps(DOC, ensure_ascii=False), encoding="utf-8")
    facts_file = tmp_path / "facts.json"
    facts_file.write_text(json.dumps(FACTS, ensure_ascii=False), encoding="utf-8")
    code = main(["sensitivity", str(ruleset_file), "--facts", str(facts_file), "--vary", "x"])
    assert code == 2
    assert "cannot read" in capsys.readouterr().err


def test_replicate_ranks_agree_with_the_rank_module(ruleset: pr.Ruleset) -> None:
    """Every replicate's ranks form a standard competition ranking (1, 2, 2, 4): ranking the
    units by them with parindex_rules.rank (exact ties) gives them back unchanged; the nominal
    ranks come from parindex_rules.rank itself."""
    from parindex_rules.rank.ranking import RankEntry, Ranking
    from parindex_rules.rank.ties import ExactTies

    facts = dict(FACTS)
    facts["units"] = [*FACTS["units"], _unit("A2", "88", "kip_thoi"), _unit("D", "91", "cham")]
    result = analyse(
        ruleset, facts_from_data(facts), ["threshold:1.1=±3", "weight:1.2=±50%"], replicates=64
    )
    units = [u.unit for u in result.units]
    for r in range(64):
        ranks = {u.unit: int(u.ranks[r]) for u in result.units}
        entries = [RankEntry(u, u, None, -ranks[u]) for u in units]
        table = Ranking(ExactTies(), within="all").rank(entries).ranks()
        assert table == ranks
