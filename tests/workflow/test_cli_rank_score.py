"""`parindex score` and `parindex rank --facts`: ranks, classes, deductions, stages, changes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parindex_rules.cli import main

RULESET = """\
id: thu-2023/so
title: Bộ chỉ số thử
province: Thử
level: so
year: 2023
decision: {number: 1/QĐ-UBND}
max: 10
provisional: viết tay cho kiểm thử
policies: {not_applicable: applicable_maximum}
ranking:
  tie_breakers: [{node: "2"}]
  not_ranked:
    - {name: Thanh tra tỉnh, reason: Đánh giá nhưng không xếp hạng}
classes:
  - {label: Tốt, from: 80, provisional: t}
  - {label: Khá, from: 60, below: 80, provisional: t}
fields:
  - id: "1"
    name: Lĩnh vực một
    max: 6
    provisional: t
    criteria:
      - {id: "1.1", name: Tiêu chí 1.1, max: 2, provisional: t, rule: r, scoring: {method: points}}
      - {id: "1.2", name: Tiêu chí 1.2, max: 4, provisional: t, rule: r, scoring: {method: points}}
  - id: "2"
    name: Khảo sát
    max: 4
    provisional: t
    criteria:
      - {id: "2.1", name: SIPAS, max: 4, origin: survey, provisional: t, rule: r,
         scoring: {method: survey, scale: 100}}
"""

# a: 2 + 4 + 75% × 4 = 3 → 9 of 10 → 90.00, field 2: 75.00
# b: 1.1 not applicable (2 off the maximum): 4 + 100% × 4 = 4 → 8 of 8 → 100.00
# c: 2 + 3 + 100% × 4 = 4 → 9 of 10 → 90.00, field 2: 100.00 → ahead of a on the tie-breaker
# d: 1 + 2 + 50% × 4 = 2 → 5 of 10 → 50.00, no class
# tt (Thanh tra tỉnh): 10 of 10, not ranked
FACTS = """\
ruleset: thu-2023/so
year: 2023
units:
  - unit: a
    name: Đơn vị A
    items:
      "1.1": {self: "2"}
      "1.2": {self: "4"}
      "2.1": {survey: {"2023": "75"}}
  - unit: b
    name: Đơn vị B
    items:
      "1.1": {applicable: false, reason: không phát sinh}
      "1.2": {self: "4"}
      "2.1": {survey: {"2023": "100"}}
  - unit: c
    name: Đơn vị C
    items:
      "1.1": {self: "2", appraisal: ["2"]}
      "1.2": {self: "4", appraisal: ["3"]}
      "2.1": {survey: {"2023": "100"}}
  - unit: d
    name: Đơn vị D
    items:
      "1.1": {self: "1"}
      "1.2": {self: "2"}
      "2.1": {survey: {"2023": "50"}}
  - unit: tt
    name: Thanh tra tỉnh
    items:
      "1.1": {self: "2"}
      "1.2": {self: "4"}
      "2.1": {survey: {"2023": "100"}}
"""


@pytest.fixture
def files(tmp_path: Path) -> tuple[str, str]:
    ruleset, facts = tmp_path / "thu.yaml", tmp_path / "facts.yaml"
    ruleset.write_text(RULESET, encoding="utf-8")
    facts.write_text(FACTS, encoding="utf-8")
    return str(ruleset), str(facts)


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:  # type: ignore[type-arg]
    assert main([*argv, "--format", "json"]) == 0
    captured = capsys.readouterr()
    return json.loads(captured.out)  # type: ignore[no-any-return]


def test_rank_json_document(files: tuple[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    """b 100.00 → 1; a and c 90.00 tie, field 2 breaks it: c (100) 2nd, a (75) 3rd; d 4th.
    Thanh tra tỉnh is listed after them, not ranked, with the ruleset's reason."""
    ruleset, facts = files
    data = run_json(capsys, "rank", ruleset, "--facts", facts)
    assert set(data) == {"ruleset", "provisional", "stage", "ranking", "units", "groups", "ties"}
    assert data["ruleset"] == "thu-2023/so" and data["provisional"] is True
    rows = [(u["unit"], u["index"], u["rank"], u["class"], u["ranked"]) for u in data["units"]]
    assert rows == [
        ("b", "100.00", 1, "Tốt", True),
        ("c", "90.00", 2, "Tốt", True),
        ("a", "90.00", 3, "Tốt", True),
        ("d", "50.00", 4, None, True),
        ("tt", "100.00", None, "Tốt", False),
    ]
    assert data["units"][4]["reason"] == "Đánh giá nhưng không xếp hạng"
    assert all("nodes" not in u for u in data["units"])
    # The same keys, in the same order, as `rank --scores` gives (tests/workflow/test_scores_csv).
    assert list(data["units"][0]) == [
        "unit", "name", "group", "stage", "score", "max", "index", "rank", "ranked", "reason",
        "class", "deductions", "provisional", "evaluated", "ok",
    ]  # fmt: skip
    assert data["units"][0]["deductions"] == [
        {"item": "1.1", "name": "Tiêu chí 1.1", "points": "2", "reason": "không phát sinh"}
    ]
    assert data["units"][0]["max"] == "8"
    # Over the four ranked units: index 100, 90, 90, 50 → mean 82.5, median 90.
    # Field 1: b 4/4 = 100, c 5/6 = 83.33…, a 6/6 = 100, d 3/6 = 50 → mean 333.33…/4 = 83.33,
    # median (83.33… + 100) / 2 = 91.666… → 91.67. Field 2: 100, 100, 75, 50 → mean 81.25,
    # median 87.5.
    assert data["groups"]["all"] == {
        "count": 4,
        "index": {"mean": "82.50", "median": "90.00", "min": "50.00", "max": "100.00"},
        "fields": {
            "1": {"mean": "83.33", "median": "91.67", "min": "50.00", "max": "100.00"},
            "2": {"mean": "81.25", "median": "87.50", "min": "50.00", "max": "100.00"},
        },
    }
    (tie,) = data["ties"]
    assert tie["units"] == ["c", "a"] and tie["broken_by"] == ["the index of 2 (Khảo sát)"]
    assert tie["remaining"] == []


def test_rank_is_explained_on_the_total(files: tuple[str, str]) -> None:
    """The explanation of a unit's total says why it has its rank: a's tie with c at 90.00 was
    broken by field 2's index (c 100.00, a 75.00)."""
    import parindex_rules as pr
    from parindex_rules.rank import rank_results

    ruleset_path, facts_path = files
    ruleset = pr.load(ruleset_path)
    facts = pr.load_facts(facts_path)
    cohort = ruleset.evaluate_cohort(facts)
    rank_results(ruleset.compiled, cohort.units, facts=facts)
    (note,) = cohort.unit("a").explain().notes
    assert note.startswith("rank 3 (standard competition ranking")
    assert "broken by the index of 2 (Khảo sát): c 100.00, a 75.00 → c rank 2; a rank 3" in note
    assert note.endswith("; class Tốt")
    assert cohort.unit("tt").explain().notes == ["not ranked: Đánh giá nhưng không xếp hạng"]


def test_score_json_carries_rank_class_deductions_and_lost(
    files: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    ruleset, facts = files
    data = run_json(capsys, "score", ruleset, "--facts", facts)
    units = {u["unit"]: u for u in data["units"]}
    assert [units[u]["rank"] for u in "abcd"] == [3, 1, 2, 4]
    assert units["a"]["class"] == "Tốt" and units["d"]["class"] is None
    assert units["tt"]["rank"] is None and units["tt"]["ranked"] is False
    # c lost 1 point on 1.2 (3 of 4); a lost 1 on 2.1 (3 of 4); d lost 2 on 1.2 and 2.1, 1 on 1.1.
    assert units["c"]["lost"] == [
        {"item": "1.2", "name": "Tiêu chí 1.2", "score": "3.00", "max": "4", "lost": "1.00"}
    ]
    assert [(p["item"], p["lost"]) for p in units["d"]["lost"]] == [
        ("1.2", "2.00"),
        ("2.1", "2.00"),
        ("1.1", "1.00"),
    ]
    assert "changes" not in units["c"]
    assert "nodes" in units["a"] and units["a"]["nodes"]["2"]["index"] == "75.00"


def test_score_stage_self_states_the_self_assessable_maximum(
    files: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """Units self-assess field 1 only: 6 of 10. c self-assessed 2 + 4 = 6 of 6 → 100.00."""
    ruleset, facts = files
    data = run_json(capsys, "score", ruleset, "--facts", facts, "--stage", "self")
    assert data["stage"] == "self"
    assert data["self_assessable_max"] == "6"
    assert data["not_self_assessed"] == [
        {"id": "2", "name": "Khảo sát", "origin": "survey", "max": "4"}
    ]
    c = next(u for u in data["units"] if u["unit"] == "c")
    assert (c["score"], c["max"], c["index"]) == ("6.00", "6", "100.00")
    assert c["nodes"]["2.1"]["status"] == "not_in_stage"
    assert main(["score", ruleset, "--facts", facts, "--stage", "self", "--summary"]) == 0
    out = capsys.readouterr().out
    assert "self-assessable maximum: 6 of 10 points" in out
    assert "not self-assessed (survey and appraisal-only items" in out
    assert "2 Khảo sát (survey, 4)" in out


def test_score_changes(files: tuple[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    """c: 1.2 self 4 → appraised 3 (−1); self 6 → appraised 5 of 6."""
    ruleset, facts = files
    data = run_json(capsys, "score", ruleset, "--facts", facts, "--changes")
    c = next(u for u in data["units"] if u["unit"] == "c")
    changes = c["changes"]
    assert (changes["self_score"], changes["appraised_score"], changes["difference"]) == (
        "6.00",
        "5.00",
        "-1.00",
    )
    assert [(x["item"], x["difference"]) for x in changes["changed"]] == [("1.2", "-1.00")]
    assert main(["score", ruleset, "--facts", facts, "--changes", "--summary"]) == 0
    out = capsys.readouterr().out
    assert "c — self 6.00 → appraised 5.00 of 6 (difference -1.00); 1 item(s) changed" in out


def test_rank_table(files: tuple[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    ruleset, facts = files
    assert main(["rank", ruleset, "--facts", facts]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith("PROVISIONAL")
    assert "tie at 90.00 broken by the index of 2 (Khảo sát)" in out
    assert "not ranked: Đánh giá nhưng không xếp hạng" in out
    assert "group all: 4 ranked unit(s)" in out
    assert "field 2" in out


def test_errors_stop_the_output(tmp_path: Path, files: tuple[str, str]) -> None:
    """A facts error (an unknown item) is reported and nothing is written."""
    ruleset, _ = files
    bad = tmp_path / "bad.yaml"
    bad.write_text(FACTS.replace('"1.2": {self: "2"}', '"1.9": {self: "2"}'), encoding="utf-8")
    out = tmp_path / "out.json"
    assert main(["rank", ruleset, "--facts", str(bad), "--out", str(out)]) == 1
    assert not out.exists()
