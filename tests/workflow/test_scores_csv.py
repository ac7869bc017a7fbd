"""`parindex rank --scores FILE.csv`: published indices ranked exactly as given."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from parindex_rules.cli import main
from parindex_rules.diagnostics import DiagnosticError
from parindex_rules.rank import ExactTies, Ranking
from parindex_rules.rank.scores import parse_scores

DATA = Path(__file__).parent / "data"
NATIONAL = DATA / "national-2023-ministries.csv"


def test_national_2023_ministries_get_their_published_ranks(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """rulebooks.md §6: 1 Bộ Tư pháp 89,95; 2 Ngân hàng Nhà nước 89,89; 3 Bộ Tài chính 89,18;
    4 Bộ Nội vụ 87,04; 5 Bộ Tài nguyên và Môi trường 87,01. We rank on the printed total, which
    comes from unrounded parts: the printed parts of Bộ Tư pháp add up to 61,86 + 28,10 = 89,96,
    not the printed 89,95. Thanh tra Chính phủ and Ủy ban Dân tộc are evaluated but not ranked:
    they come after the five, with their reason."""
    assert main(["rank", "--scores", str(NATIONAL), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ruleset"] is None and data["provisional"] is False
    assert [(u["name"], u["index"], u["rank"]) for u in data["units"]] == [
        ("Bộ Tư pháp", "89.95", 1),
        ("Ngân hàng Nhà nước", "89.89", 2),
        ("Bộ Tài chính", "89.18", 3),
        ("Bộ Nội vụ", "87.04", 4),
        ("Bộ Tài nguyên và Môi trường", "87.01", 5),
        ("Thanh tra Chính phủ", None, None),
        ("Ủy ban Dân tộc", None, None),
    ]
    not_ranked = data["units"][5]
    assert not_ranked["ranked"] is False
    assert not_ranked["reason"].startswith("Được đánh giá nhưng không nằm trong 17 bộ")
    # The same keys as every unit result (without nodes).
    assert list(data["units"][0]) == [
        "unit", "name", "group", "stage", "score", "max", "index", "rank", "ranked", "reason",
        "class", "deductions", "provisional", "evaluated", "ok",
    ]  # fmt: skip
    # Statistics over the five ranked: mean (89.95 + 89.89 + 89.18 + 87.04 + 87.01) / 5
    # = 443.07 / 5 = 88.614 → 88.61; median 89.18.
    assert data["groups"] == {
        "all": {
            "count": 5,
            "index": {"mean": "88.61", "median": "89.18", "min": "87.01", "max": "89.95"},
            "fields": {},
        }
    }


def test_row_order_does_not_matter() -> None:
    lines = NATIONAL.read_text(encoding="utf-8").splitlines()
    shuffled = "\n".join([lines[0], *reversed(lines[1:])])
    ranks = Ranking(ExactTies()).rank(parse_scores(shuffled).entries).ranks()
    assert ranks == {
        "bo-tu-phap": 1,
        "ngan-hang-nha-nuoc": 2,
        "bo-tai-chinh": 3,
        "bo-noi-vu": 4,
        "bo-tai-nguyen-va-moi-truong": 5,
        "thanh-tra-chinh-phu": None,
        "uy-ban-dan-toc": None,
    }


def test_table_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rank", "--scores", str(NATIONAL)]) == 0
    out = capsys.readouterr().out
    assert "ranked exactly as given" in out
    assert "   1  bo-tu-phap" in out
    assert "not ranked: Được đánh giá" in out


def test_every_bad_line_is_reported_with_its_position() -> None:
    """One problem per line, all at once: an unquoted decimal comma (3 values for 2 columns),
    a bad true/false, a word for an index, a ranked unit without an index, a repeated unit,
    a unit not ranked without a reason."""
    text = (
        "unit,index,ranked,reason\n"
        "a,89,95,,\n"
        'b,"88,5",maybe,\n'
        "c,high,,\n"
        "d,,,\n"
        'e,"87",,\n'
        'e,"86",,\n'
        'f,"80",no,\n'
    )
    with pytest.raises(DiagnosticError) as caught:
        parse_scores(text, "scores.csv")
    found = [(d.code, d.line, d.column) for d in caught.value.diagnostics]
    assert found == [
        ("PR803", 2, 1),
        ("PR803", 3, 10),
        ("PR803", 4, 3),
        ("PR803", 5, 3),
        ("PR501", 7, 1),
        ("PR514", 8, 8),
    ]
    messages = [d.format() for d in caught.value.diagnostics]
    assert messages[0].startswith("scores.csv:2:1: PR803 5 values for 4 columns")
    assert 'quote decimals written with a comma: "89,95"' in messages[0]
    assert "ranked is 'maybe'" in messages[1]


def test_header_problems() -> None:
    with pytest.raises(DiagnosticError) as caught:
        parse_scores("unit,score,unit\na,1,a\n", "s.csv")
    # Sorted by position: no index column (line start), unknown `score`, `unit` twice.
    assert [(d.code, d.column) for d in caught.value.diagnostics] == [
        ("PR802", 1),
        ("PR802", 6),
        ("PR802", 12),
    ]
    assert "no 'index' column" in caught.value.diagnostics[0].message
    assert "unknown column 'score'" in caught.value.diagnostics[1].message
    assert "'unit' appears twice" in caught.value.diagnostics[2].message


def test_semicolons_bom_groups_and_yes_no() -> None:
    """A spreadsheet export with semicolons takes unquoted decimal commas. Group Long Hồ:
    85,5 → 1, 80 → 2; group Tam Bình: 90 → 1; "không" (not ranked) keeps its reason."""
    text = (
        "\ufeffunit;group;index;ranked;reason\n"
        "x1;long-ho;85,5;có;\n"
        "x2;long-ho;80;yes;\n"
        "y1;tam-binh;90;1;\n"
        "y2;tam-binh;95;không;sáp nhập\n"
    )
    scores = parse_scores(text)
    assert scores.places == 1
    assert scores.entries[0].index == Decimal("85.5")
    table = Ranking(ExactTies()).rank(scores.entries)
    assert table.ranks() == {"x1": 1, "x2": 2, "y1": 1, "y2": None}
    assert table.unit("y2").reason == "sáp nhập"


def test_rank_scores_with_a_ruleset_uses_its_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With a ruleset: its rounding (1 place here) decides ties and its classes apply:
    89.96 and 89.95 both round to 90.0 → tied 1st, class A (from 90); 87.01 → 3rd, class B."""
    ruleset = tmp_path / "thu.yaml"
    ruleset.write_text(
        "id: thu-2023/bo\ntitle: Thử\nprovince: Thử\nlevel: so\nyear: 2023\n"
        "decision: {number: 1/QĐ-BNV}\nmax: 10\nprovisional: t\n"
        "rounding: {places: 1}\n"
        "classes:\n  - {label: A, from: 90, provisional: t}\n"
        "  - {label: B, from: 80, below: 90, provisional: t}\n"
        "fields:\n  - {id: '1', name: a, max: 10, provisional: t, rule: r, "
        "scoring: {method: points}}\n",
        encoding="utf-8",
    )
    scores = tmp_path / "s.csv"
    scores.write_text('unit,index\na,"89,96"\nb,"89,95"\nc,"87,01"\n', encoding="utf-8")
    assert main(["rank", str(ruleset), "--scores", str(scores), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ruleset"] == "thu-2023/bo" and data["provisional"] is True
    assert [(u["unit"], u["index"], u["rank"], u["class"]) for u in data["units"]] == [
        ("a", "90.0", 1, "A"),
        ("b", "90.0", 1, "A"),
        ("c", "87.0", 3, "B"),
    ]
    assert data["ties"][0]["units"] == ["a", "b"]


def test_bad_usage(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rank", "--facts", "x.yaml"]) == 2
    assert "needs the RULESET" in capsys.readouterr().err
    assert main(["rank", "--scores", str(DATA / "missing.csv")]) == 1
    assert "PR001" in capsys.readouterr().err
