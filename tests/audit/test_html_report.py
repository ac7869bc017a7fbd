"""The static HTML audit report and `explain --format html`.

Unit A of the Cà Mau example (tests/test_example_camau.py): 6 of 7 → 85.71 %, losing one point
on 1.1.4, whose 90 % falls in the band "từ 70% - 90%" (both ends included) → 1 of 2. Unit C is
appraised: 1.1.1 self 1 → 0.5, 1.1.4 self 2 (92 %) → 1 (88 %); 1.2.2 round 1 "không đạt" then
round 2 "đạt" ends where it started, so it is not a difference.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import parindex_rules as pr
from parindex_rules.cli import main
from parindex_rules.diagnostics import DiagnosticError
from parindex_rules.exporters import exporters
from parindex_rules.report import html as report_html

from .helpers import FACTS, RULESET
from .rich import rich_ruleset, write_cohort


@pytest.fixture(scope="module")
def camau_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "bao-cao"
    assert main(["report", str(RULESET), "--facts", str(FACTS), "--out", str(out)]) == 0
    return out


def text_of(html: str) -> str:
    """The visible words of a page, for plain assertions."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_report_directory_layout(camau_report: Path) -> None:
    files = sorted(str(p.relative_to(camau_report)) for p in camau_report.rglob("*"))
    assert files == [
        ".parindex-report",
        "index.html",
        "units",
        "units/don-vi-a.html",
        "units/don-vi-b.html",
        "units/don-vi-c.html",
    ]
    index = (camau_report / "index.html").read_text(encoding="utf-8")
    assert '<a href="units/don-vi-a.html">Đơn vị ví dụ A</a>' in index
    words = text_of(index)
    assert "don-vi-a Đơn vị ví dụ A 6.00 7 85.71" in words
    assert "don-vi-c Đơn vị ví dụ C 5.50 7 78.57" in words


def test_pages_are_self_contained_utf8_vietnamese(camau_report: Path) -> None:
    for page in camau_report.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert html.startswith('<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">')
        assert "<script" not in html and "<link" not in html and "@import" not in html
        assert not re.search(r'(src|href)="(https?:)?//', html), page
        assert "url(" not in html


def test_unit_page_shows_index_losses_and_the_band(camau_report: Path) -> None:
    html = (camau_report / "units" / "don-vi-a.html").read_text(encoding="utf-8")
    words = text_of(html)
    assert "Chỉ số CCHC 85.71%" in words
    assert "Điểm đạt được 6.00 / 7" in words
    lost = words.split("Điểm bị mất")[1].split("Giải trình chi tiết")[0]
    assert "1.1.4 Mức độ thực hiện kế hoạch CCHC 2 1.00 1.00 14.29" in lost
    assert "band [70%, 90%] (từ 70% đến 90%) → 1" in lost
    assert '<details id="n-1.1.4" class="subcriterion">' in html
    assert "ty_le_thuc_hien</code> = 90" in html
    assert "Điểm thẩm định trùng với điểm tự đánh giá ở mọi mục." in words


def test_self_versus_appraised_differences_are_highlighted(camau_report: Path) -> None:
    html = (camau_report / "units" / "don-vi-c.html").read_text(encoding="utf-8")
    rows = re.findall(r'<tr class="diff"><td><a href="#n-([0-9.]+)">', html)
    assert rows == ["1.1.1", "1.1.4"]
    assert '<details id="n-1.1.1" class="subcriterion diff">' in html
    assert '<details id="n-1.2.2" class="subcriterion">' in html
    words = text_of(html)
    assert "Tự đánh giá → thẩm định: 1 → 0.50" in words
    lost = words.split("Điểm bị mất")[1].split("Tự đánh giá và thẩm định")[0]
    assert lost.index("1.1.4") < lost.index("1.1.1")  # 1.00 lost before 0.50


def test_escaping_evidence_and_provisional_banner(tmp_path: Path) -> None:
    ruleset = rich_ruleset()
    cohort = ruleset.evaluate_cohort(pr.load_facts(write_cohort(tmp_path)))
    files = report_html.report_files(ruleset, cohort)
    page = files["units/u-a.html"]
    assert "Đơn vị A &lt;b&gt;&amp;" in page and "A <b>&" not in page
    assert "12/KH-UBND · 2024-01-10 · Kế hoạch năm" in page
    banner = '<div class="banner" role="alert">TẠM THỜI (PROVISIONAL): bộ chỉ số test-2024/so'
    assert all(banner in text for name, text in files.items() if name.endswith(".html"))
    assert "không xếp hạng: Mới thành lập" in text_of(files["index.html"])


def test_no_banner_for_an_official_ruleset(camau_report: Path) -> None:
    assert 'class="banner"' not in (camau_report / "index.html").read_text(encoding="utf-8")


def test_report_bytes_are_deterministic(tmp_path: Path) -> None:
    for name in ("one", "two"):
        assert (
            main(["report", str(RULESET), "--facts", str(FACTS), "--out", str(tmp_path / name)])
            == 0
        )
    first = {
        p.relative_to(tmp_path / "one"): p.read_bytes() for p in (tmp_path / "one").rglob("*.*")
    }
    second = {
        p.relative_to(tmp_path / "two"): p.read_bytes() for p in (tmp_path / "two").rglob("*.*")
    }
    assert first == second


def test_an_existing_directory_that_is_not_a_report_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "tai-lieu"
    other.mkdir()
    (other / "quan-trong.txt").write_text("giữ nguyên", encoding="utf-8")
    assert main(["report", str(RULESET), "--facts", str(FACTS), "--out", str(other)]) == 1
    assert "PR827" in capsys.readouterr().err
    assert [p.name for p in other.iterdir()] == ["quan-trong.txt"]


def test_a_previous_report_is_replaced_whole(tmp_path: Path) -> None:
    out = tmp_path / "bao-cao"
    report_html.write_report(
        out, {"index.html": "cũ", "units/x.html": "cũ", ".parindex-report": ""}
    )
    assert main(["report", str(RULESET), "--facts", str(FACTS), "--out", str(out)]) == 0
    assert not (out / "units" / "x.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bao-cao"]  # no temporary left


def test_a_failure_while_writing_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []

    def failing_fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(report_html.os, "fsync", failing_fsync)
    out = tmp_path / "bao-cao"
    with pytest.raises(OSError):
        report_html.write_report(out, {"a.html": "1", "b.html": "2", "c.html": "3"})
    assert list(tmp_path.iterdir()) == []


def test_report_refuses_facts_with_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(FACTS.read_text(encoding="utf-8").replace("{self: dat}", "{self: sai}", 1))
    out = tmp_path / "bao-cao"
    assert main(["report", str(RULESET), "--facts", str(bad), "--out", str(out)]) == 1
    assert "PR511" in capsys.readouterr().err
    assert not out.exists()


def test_explain_format_html(capsys: pytest.CaptureFixture[str]) -> None:
    args = [
        "explain",
        str(RULESET),
        "--facts",
        str(FACTS),
        "--unit",
        "don-vi-c",
        "--format",
        "html",
    ]
    assert main(args) == 0
    html = capsys.readouterr().out
    assert html.startswith("<!DOCTYPE html>") and "Chỉ số CCHC 78.57%" in text_of(html)
    assert main([*args, "--item", "1.1.4"]) == 0
    item = capsys.readouterr().out
    assert "Giải trình chi tiết — mục 1.1.4" in item
    assert '<details id="n-1.1.4" class="subcriterion diff" open>' in item
    assert 'id="n-1.1.1"' not in item
    assert "input ty_le_thuc_hien" not in item and "ty_le_thuc_hien</code> = 88" in item


def test_html_exporter_single_page() -> None:
    ruleset = pr.load(RULESET)
    cohort = ruleset.evaluate_cohort(pr.load_facts(FACTS))
    page = exporters()["html"].export(ruleset, cohort)
    assert isinstance(page, str)
    assert page.count('<section id="u-') == 3
    ids = re.findall(r'id="([^"]+)"', page)
    assert len(ids) == len(set(ids))  # anchors stay unique across units
    assert '<a href="#u-0">Đơn vị ví dụ A</a>' in page


def test_write_report_refuses_a_file(tmp_path: Path) -> None:
    target = tmp_path / "x"
    target.write_text("", encoding="utf-8")
    with pytest.raises(DiagnosticError):
        report_html.write_report(target, {"index.html": ""})


def test_index_ranks_and_group_statistics(camau_report: Path) -> None:
    """Ranks 1 A (85.71), 2 C (78.57), 3 B (64.29); mean (6 + 5.5 + 4.5) / 7 × 100 / 3 = 76.19."""
    words = text_of((camau_report / "index.html").read_text(encoding="utf-8"))
    table = words.split("Bảng xếp hạng")[1]
    assert table.index("1 don-vi-a") < table.index("2 don-vi-c") < table.index("3 don-vi-b")
    assert "tất cả 3 76.19 78.57 64.29 85.71" in words


def test_ties_are_noted(tmp_path: Path) -> None:
    """B given A's facts: both 85.71, rank 1; the tie and that it stands are said."""
    facts = tmp_path / "facts.yaml"
    text = FACTS.read_text(encoding="utf-8")
    a_items = text.split("    items:\n")[1].split("  - unit: don-vi-b")[0]
    b_items = text.split("  - unit: don-vi-b")[1].split("    items:\n")[1].split("  - unit:")[0]
    facts.write_text(text.replace(b_items, a_items), encoding="utf-8")
    out = tmp_path / "bao-cao"
    assert main(["report", str(RULESET), "--facts", str(facts), "--out", str(out)]) == 0
    words = text_of((out / "index.html").read_text(encoding="utf-8"))
    assert "1 don-vi-a" in words and "1 don-vi-b" in words and "3 don-vi-c" in words
    assert "đồng hạng: don-vi-a, don-vi-b tie at 85.71 (rank 1)" in words
