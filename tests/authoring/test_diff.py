"""`parindex diff`: what changed between two rulesets, as text and JSON."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

import parindex_rules as pr
from parindex_rules.authoring.diff import diff_rulesets
from parindex_rules.authoring.inherit import to_yaml
from parindex_rules.cli import main
from parindex_rules.loader.yaml import load_yaml_text

from .conftest import CAMAU


def next_year() -> dict[str, Any]:
    """The Cà Mau excerpt with the kinds of change a new decision makes (made up for the test):

    - 1.1.1 reworded; 1.1.3 scored as points instead of outcomes; 1.1.4 worth 1 instead of 2,
      with new bands ("từ 80%": 1, "dưới 80%": 0) and marked provisional;
    - 1.1.2 moved to 1.3.3 without saying so (same name), 1.2.2 moved to 1.3.1 with
      ``replaces: "1.2.2"``;
    - 1.2.1 gains an outcome ("Đủ số lượng nhưng không đúng thời gian quy định: 0,5");
    - new criterion 1.3 holding 1.3.1, a new 1.3.2 and 1.3.3.
    Maxima: 1.1 = 1 + 1 + 1 = 3; 1.2 = 1; 1.3 = 1 + 1 + 1 = 3; field 1 = 7 as before.
    """
    data = copy.deepcopy(load_yaml_text(CAMAU.read_text(encoding="utf-8"), "base").data)
    data["id"], data["year"] = "camau-2014/so", 2014
    field = data["fields"][0]
    c11, c12 = field["criteria"]
    s111, s112, s113, s114 = c11["subcriteria"]
    s121, s122 = c12["subcriteria"]
    s111["name"] = "Ban hành kế hoạch CCHC năm đúng thời hạn"
    s113["scoring"] = {"method": "points", "allowed": [0, 1]}
    s114["max"] = 1
    s114["rule"] = "Thực hiện từ 80% kế hoạch: 1 · Dưới 80% kế hoạch: 0"
    del s114["source"]
    s114["provisional"] = "Thay đổi giả định cho kiểm thử."
    s114["scoring"] = {
        "method": "bands",
        "input": "ty_le_thuc_hien",
        "direction": "increasing",
        "bands": [
            {"from": 80, "points": 1, "label": "Thực hiện từ 80% kế hoạch"},
            {"below": 80, "points": 0, "label": "Dưới 80% kế hoạch"},
        ],
    }
    c11["max"] = 3
    c11["subcriteria"] = [s111, s113, s114]
    s121["rule"] += " · Đủ số lượng nhưng không đúng thời gian quy định: 0,5"
    s121["scoring"]["options"].insert(
        1,
        {
            "key": "khong_dung_han",
            "label": "Đủ số lượng nhưng không đúng thời gian quy định",
            "points": "0,5",
        },
    )
    c12["max"] = 1
    c12["subcriteria"] = [s121]
    moved_declared = dict(s122, id="1.3.1", replaces="1.2.2")
    new_item = {
        "id": "1.3.2",
        "name": "Tổ chức đối thoại với người dân về CCHC",
        "max": 1,
        "rule": "Có tổ chức: 1 · Không tổ chức: 0",
        "provisional": "Tiêu chí giả định cho kiểm thử.",
        "scoring": {
            "method": "choice",
            "options": [
                {"key": "co", "label": "Có tổ chức", "points": 1},
                {"key": "khong", "label": "Không tổ chức", "points": 0},
            ],
        },
    }
    moved_by_name = dict(s112, id="1.3.3")
    field["criteria"].append(
        {
            "id": "1.3",
            "name": "Tuyên truyền, đối thoại về CCHC",
            "max": 3,
            "provisional": "Tiêu chí giả định cho kiểm thử.",
            "subcriteria": [moved_declared, new_item, moved_by_name],
        }
    )
    return data


@pytest.fixture
def new_file(tmp_path: Path) -> Path:
    path = tmp_path / "camau-2014.yaml"
    path.write_text(to_yaml(next_year()), encoding="utf-8")
    return path


EXPECTED = [
    ("ruleset", None),
    ("ruleset", None),
    ("added", "1.3"),
    ("added", "1.3.2"),
    ("moved", "1.3.1"),
    ("moved", "1.3.3"),
    ("renamed", "1.1.1"),
    ("max", "1.1"),
    ("max", "1.1.4"),
    ("max", "1.2"),
    ("method", "1.1.3"),
    ("bands", "1.1.4"),
    ("options", "1.2.1"),
    ("rule", "1.1.4"),
    ("rule", "1.2.1"),
    ("provenance", "1.1.4"),
]


def test_diff_lists_each_change_once(new_file: Path) -> None:
    result = diff_rulesets(pr.load(CAMAU), pr.load(new_file))
    assert [(c.kind, c.id) for c in result.changes] == EXPECTED
    by_key = {(c.kind, c.id): c for c in result.changes}
    assert [(c.name, c.old, c.new) for c in result.of_kind("ruleset")] == [
        ("id", "camau-2013/so-trich", "camau-2014/so"),
        ("year", 2013, 2014),
    ]
    moved = by_key["moved", "1.3.1"]
    assert (moved.old_id, moved.matched_by) == ("1.2.2", "replaces")
    by_name = by_key["moved", "1.3.3"]
    assert (by_name.old_id, by_name.matched_by) == ("1.1.2", "name")
    assert by_key["max", "1.1"].old == "5" and by_key["max", "1.1"].new == "3"
    assert by_key["method", "1.1.3"].old == "choice" and by_key["method", "1.1.3"].new == "points"
    assert by_key["bands", "1.1.4"].text == (
        "trên 90%: 2 · từ 70% đến 90%: 1 · dưới 70%: 0 → từ 80%: 1 · dưới 80%: 0"
    )
    assert by_key["options", "1.2.1"].text == (
        "+ Đủ số lượng nhưng không đúng thời gian quy định: 0.5"
    )
    assert by_key["provenance", "1.1.4"].new == "provisional"


def test_diff_text_and_json(new_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(CAMAU), str(new_file)]) == 0
    text = capsys.readouterr().out
    lines = text.splitlines()
    assert lines[0].startswith("PROVISIONAL — the new ruleset camau-2014/so")
    assert lines[1] == "diff camau-2013/so-trich → camau-2014/so"
    assert "moved       1.3.1  1.2.2 → 1.3.1 (declared by `replaces`; under 1.2 → 1.3)" in lines
    assert (
        "renamed     1.1.1  Ban hành kế hoạch CCHC năm → Ban hành kế hoạch CCHC năm đúng thời hạn"
        in lines
    )
    assert lines[-1] == (
        "16 changes: 2 ruleset, 2 added, 2 moved, 1 renamed, 3 max, 1 method, 1 bands, "
        "1 options, 2 rule, 1 provenance"
    )
    assert main(["diff", str(CAMAU), str(new_file), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ruleset"] == "camau-2014/so" and data["provisional"] is True
    assert data["old"] == {
        "ruleset": "camau-2013/so-trich",
        "title": pr.load(CAMAU).title,
        "provisional": False,
    }
    assert data["new"]["ruleset"] == "camau-2014/so" and data["new"]["provisional"] is True
    assert [(c["kind"], c["id"]) for c in data["changes"]] == EXPECTED
    moved = next(c for c in data["changes"] if c["kind"] == "moved" and c["id"] == "1.3.1")
    assert moved["old_id"] == "1.2.2" and moved["matched_by"] == "replaces"
    added = next(c for c in data["changes"] if c["id"] == "1.3.2")
    assert added["new"]["method"] == "choice" and added["new"]["max"] == "1"


def test_diff_of_a_ruleset_with_itself_is_empty(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(CAMAU), str(CAMAU)]) == 0
    assert capsys.readouterr().out == "diff camau-2013/so-trich → camau-2013/so-trich\nno changes\n"


def test_diff_reports_a_broken_ruleset(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: x-2020/a\n", encoding="utf-8")
    assert main(["diff", str(CAMAU), str(broken)]) == 1
    assert f"{broken}:1:1: PR102" in capsys.readouterr().err
