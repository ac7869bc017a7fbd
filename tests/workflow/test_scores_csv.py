"""`parindex rank --scores FILE.csv`: published indices ranked exactly as given."""

from __future__ import annotations

import json
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parindex_rules.cli import main
from parindex_rules.diagnostics import DiagnosticError
from parindex_rules.model.common import normalise_name
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


def test_normalise_name_compares_names_as_people_write_them() -> None:
    """NFC: "Sở Tư pháp" typed with combining marks (o + U+031B + U+0309 ...) is the same name;
    case folds ("TƯ PHÁP" = "tư pháp"); tabs, no-break spaces and doubled spaces are one space."""
    decomposed = unicodedata.normalize("NFD", "Sở Tư pháp")
    assert decomposed != "Sở Tư pháp"
    assert normalise_name(decomposed) == normalise_name("Sở Tư pháp") == "sở tư pháp"
    assert normalise_name("  SỞ\tTƯ\u00a0\u00a0PHÁP \n") == "sở tư pháp"
    assert normalise_name("Thanh tra tỉnh") != normalise_name("Thanh tra tinh")  # marks count


@given(st.text(max_size=30))
def test_normalise_name_is_idempotent_and_ignores_form_and_case(text: str) -> None:
    once = normalise_name(text)
    assert normalise_name(once) == once
    assert normalise_name(unicodedata.normalize("NFD", text)) == once
    assert normalise_name(f" {text.upper()}\u00a0") == normalise_name(text.upper())
    assert once == once.strip() and "  " not in once


def test_rank_scores_with_a_ruleset_does_not_rank_the_units_it_excludes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """vinhlong-2023/so's ranking.not_ranked names Ban Dân tộc tỉnh and Thanh tra tỉnh (QĐ 1877
    II.2). The CSV writes them in upper case, with combining marks and stray spaces: still
    matched, listed after the ranked units with the ruleset's reason. Sở Tư pháp 90 → 1st,
    Sở Y tế 80 → 2nd; Thanh tra's 95 would have been 1st. A unit the CSV itself marks not
    ranked keeps the CSV's reason."""
    thanh_tra = unicodedata.normalize("NFD", "THANH TRA  TỈNH")
    scores = tmp_path / "vl.csv"
    scores.write_text(
        "unit,name,index,ranked,reason\n"
        "so-tu-phap,Sở Tư pháp,90,,\n"
        f"thanh-tra,{thanh_tra} ,95,,\n"
        "ban-dan-toc,ban dân tộc tỉnh,85,,\n"
        "so-y-te,Sở Y tế,80,,\n"
        "so-moi,Sở Mới,70,false,thành lập giữa năm\n",
        encoding="utf-8",
    )
    argv = ["rank", "vinhlong-2023/so", "--scores", str(scores)]
    assert main([*argv, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    placed = [(u["unit"], u["rank"], u["ranked"]) for u in data["units"]]
    assert placed == [
        ("so-tu-phap", 1, True),
        ("so-y-te", 2, True),
        ("thanh-tra", None, False),
        ("ban-dan-toc", None, False),
        ("so-moi", None, False),
    ]
    reasons = {u["unit"]: u["reason"] for u in data["units"]}
    assert reasons["thanh-tra"] == reasons["ban-dan-toc"]
    assert reasons["thanh-tra"].startswith("Cơ quan đặc thù: có thực hiện đánh giá nhưng không")
    assert reasons["so-moi"] == "thành lập giữa năm"
    assert data["notes"] == [
        "note: not ranked as the ruleset's ranking.not_ranked says: thanh-tra, ban-dan-toc"
    ]
    # Without the ruleset the CSV is ranked as given: Thanh tra first.
    assert main(["rank", "--scores", str(scores), "--format", "json"]) == 0
    as_given = json.loads(capsys.readouterr().out)
    assert [u["unit"] for u in as_given["units"] if u["rank"] == 1] == ["thanh-tra"]
    # The table says it too, under the provisional banner.
    assert main(argv) == 0
    table = capsys.readouterr().out
    assert table.startswith("PROVISIONAL")
    assert "not ranked as the ruleset's ranking.not_ranked says: thanh-tra, ban-dan-toc" in table
