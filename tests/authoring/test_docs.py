"""`parindex docs`: the ruleset as a document in the layout of the decision's annex."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

import parindex_rules as pr
from parindex_rules.authoring.docs import HEADERS, render_html, render_markdown
from parindex_rules.cli import main

from .conftest import CAMAU
from .test_extends import write_child


def test_markdown_has_the_annex_columns_and_rows(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["docs", str(CAMAU)]) == 0
    text = capsys.readouterr().out
    lines = text.splitlines()
    assert (
        lines[0] == "# Chỉ số CCHC các sở, ban, ngành tỉnh Cà Mau — trích Lĩnh vực 1, mục 1.1–1.2"
    )
    assert "| " + " | ".join(HEADERS) + " |" in lines
    assert (
        "| **1** | **CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC** | **7** |  | Tự đánh giá, thẩm định "
        "(assessed) | qd1880 · Phụ lục · dòng 1 | Trích: trong Quyết định 20 điểm |"
    ) in lines
    assert (
        "| 1.1.1 | Ban hành kế hoạch CCHC năm | 1 | Ban hành kịp thời: 1 · Ban hành không kịp "
        "thời: 0,5 · Không ban hành: 0 | Tự đánh giá, thẩm định (assessed) | qd1880 · Phụ lục · "
        "dòng 1.1.1 |  |"
    ) in lines
    # One table row per node, in the decision's order.
    stts = [line.split(" | ")[0].strip("|* ") for line in lines if line.startswith("| ")][1:]
    assert stts == [i for i in pr.load(CAMAU).nodes if i != "total"]
    assert "TẠM THỜI" not in text and "⚠" not in text
    assert "- `qd1880`: Quyết định 1880/QĐ-UBND (2013) của UBND tỉnh Cà Mau, Phụ lục" in lines


def test_provisional_content_is_marked(tmp_path: Path) -> None:
    ruleset = pr.load(write_child(tmp_path))
    text = render_markdown(ruleset)
    assert text.splitlines()[0].startswith("> **TẠM THỜI (PROVISIONAL): bộ chỉ số camau-2014")
    assert text.splitlines()[2].startswith("# ")  # the title, after the banner
    row = next(line for line in text.splitlines() if line.startswith("| 1.1.4 |"))
    assert "**⚠ Tạm thời: Ví dụ giả định cho tài liệu hướng dẫn" in row
    page = render_html(ruleset)
    assert '<div class="provisional-banner" role="alert">TẠM THỜI (PROVISIONAL)' in page
    assert '<tr class="subcriterion provisional" id="node-1.1.4">' in page


class _Balance(HTMLParser):
    VOID = frozenset({"meta", "br", "link", "img", "hr", "input"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.cells: list[str] = []
        self._cell = False

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag not in self.VOID:
            self.stack.append(tag)
        self._cell = tag == "td"
        if self._cell:
            self.cells.append("")

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.problems.append(tag)
        self._cell = False

    def handle_data(self, data: str) -> None:
        if self._cell:
            self.cells[-1] += data


def test_html_is_well_formed_and_deterministic(tmp_path: Path) -> None:
    out = tmp_path / "camau.html"
    assert main(["docs", str(CAMAU), "--format", "html", "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    checker = _Balance()
    checker.feed(page)
    assert checker.problems == [] and checker.stack == []
    assert checker.cells[:3] == ["1", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC", "7"]
    assert 'class="provisional-banner"' not in page
    assert page == render_html(pr.load(CAMAU))  # same bytes every time
    assert main(["docs", str(CAMAU), "--format", "html", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == page


def test_text_with_markup_is_escaped(tmp_path: Path) -> None:
    text = CAMAU.read_text(encoding="utf-8").replace(
        "name: Kế hoạch CCHC năm", 'name: "Kế hoạch <b>CCHC</b> năm | A"'
    )
    path = tmp_path / "markup.yaml"
    path.write_text(text, encoding="utf-8")
    ruleset = pr.load(path)
    assert "Kế hoạch &lt;b&gt;CCHC&lt;/b&gt; năm | A" in render_html(ruleset)
    assert "| Kế hoạch &lt;b&gt;CCHC&lt;/b&gt; năm \\| A |" in render_markdown(ruleset)


def test_decision_date_is_written_as_decisions_write_it(tmp_path: Path) -> None:
    text = CAMAU.read_text(encoding="utf-8").replace(
        "  number: 1880/QĐ-UBND\n", "  number: 1880/QĐ-UBND\n  date: 2013-09-05\n", 1
    )
    path = tmp_path / "dated.yaml"
    path.write_text(text, encoding="utf-8")
    markdown = render_markdown(pr.load(path))
    assert "- Quyết định: 1880/QĐ-UBND ngày 05/09/2013 của UBND tỉnh Cà Mau" in markdown
