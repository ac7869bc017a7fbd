"""The demo plugin's JSON-lines facts reader: same facts as YAML, every problem located."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import parindex_rules as pr
from parindex_rules.diagnostics import FactsError
from parindex_rules.readers import read_facts

HEADER = '{"ruleset": "demo-2024/so", "year": 2024}'


def _write(tmp_path: Path, *lines: str, raw: bytes | None = None) -> Path:
    path = tmp_path / "cohort.jsonl"
    if raw is not None:
        path.write_bytes(raw)
    else:
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _problems(path: Path, **kwargs: object) -> list[tuple[str, int, int, str]]:
    with pytest.raises(FactsError) as caught:
        read_facts(path, **kwargs)  # type: ignore[arg-type]
    return [(d.code, d.line, d.column, d.message) for d in caught.value.errors]


def _col(line: str, text: str, nth: int = 1) -> int:
    """1-based column of the nth occurrence of `text` in `line`."""
    at = -1
    for _ in range(nth):
        at = line.index(text, at + 1)
    return at + 1


def test_the_same_cohort_in_yaml_gives_the_same_results(demo: Path, tmp_path: Path) -> None:
    ruleset = pr.load("demo-2024/so")
    from_jsonl = ruleset.evaluate_cohort(
        read_facts(demo / "examples" / "so-cohort.jsonl", ruleset=ruleset)
    )
    yaml = tmp_path / "cohort.yaml"
    yaml.write_text(
        """\
ruleset: demo-2024/so
year: 2024
synthetic: true
units:
  - unit: so-a
    name: Sở ví dụ A
    items:
      "1.1": {self: [Báo cáo quý I]}
      "1.2": {self: {ty_le_kiem_tra: 35}}
      "1.3": {self: kip_thoi}
  - unit: so-b
    name: Sở ví dụ B
    items:
      "1.1": {self: 1, appraisal: [[Báo cáo quý I, Báo cáo 6 tháng, Báo cáo quý III]]}
      "1.2": {self: {ty_le_kiem_tra: "100"}}
      "1.3": {self: khong_kip_thoi}
  - unit: so-c
    name: Sở ví dụ C
    items:
      "1.1": {self: 5}
      "1.2": {self: {ty_le_kiem_tra: 9.5}}
      "1.3": {self: Ban hành kịp thời}
""",
        encoding="utf-8",
    )
    from_yaml = ruleset.evaluate_cohort(read_facts(yaml))
    for a, b in zip(from_jsonl.units, from_yaml.units, strict=True):
        assert (a.unit, a.name, a.score) == (b.unit, b.name, b.score)
        assert {i: n.score for i, n in a.nodes.items()} == {i: n.score for i, n in b.nodes.items()}


def test_numbers_are_read_exactly(demo: Path, tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        HEADER,
        '{"unit": "a", "name": "A", "item": "1.2", "self": {"ty_le_kiem_tra": 0.1}}',
    )
    value = read_facts(path).unit("a").items["1.2"].self_["ty_le_kiem_tra"]
    assert value == Decimal("0.1") and isinstance(value, Decimal)


def test_every_line_problem_is_reported_at_once_with_line_and_column(
    demo: Path, tmp_path: Path
) -> None:
    lines = [
        HEADER,
        '{"unit": "so-a", "name": "A", "item": "1.1", "self": 1}',
        '{"unit": "so-a", "item": "1.2" "self": 2}',
        '{"unit": "so-a", "item": "1.3", "self": "kip_thoi", "self": "x"}',
        '{"unit": "so-a", "item": "1.1", "self": 0}',
        '{"unit": "so-b", "name": "B", "itme": "1.1", "self": 1}',
        '{"unit": "so-a", "name": "Sở A khác", "item": "1.2", "self": {"ty_le_kiem_tra": 1}}',
        "[1, 2]",
        '{"unit": "so-c", "name": "C", "item": "1.1", "self": NaN}',
        '{"ruleset": "demo-2024/so", "year": 2024}',
        '{"unit": "so-c", "name": "C", "item": "1.2", "slef": 1}',
    ]
    problems = _problems(_write(tmp_path, *lines))
    assert [(c, line, col) for c, line, col, _ in problems] == [
        ("PR011", 3, _col(lines[2], '"self"')),  # missing comma
        ("PR005", 4, _col(lines[3], '"self"', 2)),  # key twice on one line
        ("PR005", 5, _col(lines[4], '"1.1"')),  # item given twice for the unit
        ("PR101", 6, _col(lines[5], '"itme"')),
        ("PR101", 6, _col(lines[5], '"self"')),  # an item key on a unit line
        ("PR104", 7, _col(lines[6], '"Sở A khác"')),  # the unit's name differs
        ("PR103", 8, 1),
        ("PR011", 9, _col(lines[8], "NaN")),
        ("PR102", 10, 1),  # a header after data
        ("PR101", 11, _col(lines[10], '"slef"')),
    ]
    messages = {line: message for _, line, _, message in problems}
    assert messages[5] == "unit so-a: item 1.1 is given twice (first on line 2)"
    assert messages[7] == "unit so-a: name 'Sở A khác' differs from 'A' (line 2)"
    with pytest.raises(FactsError) as caught:
        read_facts(_write(tmp_path, *lines))
    hints = [(d.line, d.hint) for d in caught.value.errors if d.code == "PR101"]
    assert hints == [
        (6, "did you mean 'item'?"),
        (6, "'self' belongs on an item line: give \"item\" too"),
        (11, "did you mean 'self'?"),
    ]


def test_a_unit_line_without_item_gives_unit_keys(demo: Path, tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        HEADER,
        '{"unit": "so-a", "name": "A", "item": "1.3", "self": "kip_thoi"}',
        '{"unit": "so-a", "ranked": false, "reason": "sáp nhập trong năm", "group": "so"}',
        '{"unit": "so-b", "self": 1}',
    )
    [(code, line, column, message)] = _problems(path)
    assert (code, line, column) == ("PR101", 4, 18)
    assert message == "unknown key 'self' on a unit line"
    path = _write(
        tmp_path,
        HEADER,
        '{"unit": "so-a", "name": "A", "item": "1.3", "self": "kip_thoi"}',
        '{"unit": "so-a", "ranked": false, "reason": "sáp nhập trong năm", "group": "so"}',
    )
    unit = read_facts(path).unit("so-a")
    assert (unit.ranked, unit.reason, unit.group) == (False, "sáp nhập trong năm", "so")
    assert unit.items["1.3"].self_ == "kip_thoi"


def test_problems_found_while_scoring_point_at_the_jsonl_line(demo: Path, tmp_path: Path) -> None:
    lines = [
        HEADER,
        '{"unit": "so-a", "name": "A", "item": "1.1", "self": 1.5}',
        '{"unit": "so-a", "item": "1.2", "self": {"ty_le_kiem_tra": 120}}',
        '{"unit": "so-a", "item": "1.3", "self": "khong_ro"}',
    ]
    path = _write(tmp_path, *lines)
    cohort = pr.load("demo-2024/so").evaluate_cohort(read_facts(path))
    located = sorted((d.code, d.file, d.line, d.column) for d in cohort.all_diagnostics())
    assert located == [
        ("PR504", str(path), 2, _col(lines[1], "1.5")),
        ("PR505", str(path), 3, _col(lines[2], "120")),
        ("PR511", str(path), 4, _col(lines[3], '"khong_ro"')),
    ]


def test_facts_model_problems_are_located_too(demo: Path, tmp_path: Path) -> None:
    lines = [
        '{"ruleset": "demo-2024/so", "year": 1900}',
        '{"unit": "so-a", "item": "1.1", "self": 1, "applicable": "maybe"}',
    ]
    problems = _problems(_write(tmp_path, *lines))
    assert sorted((c, line, col) for c, line, col, _ in problems) == [
        ("PR102", 2, 1),  # the unit has no name: its first line
        ("PR103", 2, _col(lines[1], '"maybe"')),
        ("PR104", 1, _col(lines[0], "1900")),
    ]


def test_the_header_is_optional_when_reading_for_a_ruleset(demo: Path, tmp_path: Path) -> None:
    path = _write(tmp_path, '{"unit": "so-a", "name": "A", "item": "1.3", "self": "kip_thoi"}')
    [(code, line, column, _)] = _problems(path)
    assert (code, line, column) == ("PR102", 1, 1)
    ruleset = pr.load("demo-2024/so")
    facts = read_facts(path, ruleset=ruleset)
    assert (facts.document.ruleset, facts.document.year) == ("demo-2024/so", 2024)


def test_a_header_for_another_ruleset_is_caught_at_its_line(demo: Path, tmp_path: Path) -> None:
    lines = [
        '{"ruleset": "demo-2023/so", "year": 2024}',
        '{"unit": "so-a", "name": "A", "item": "1.3", "self": "kip_thoi"}',
    ]
    cohort = pr.load("demo-2024/so").evaluate_cohort(read_facts(_write(tmp_path, *lines)))
    [error] = cohort.diagnostics
    assert (error.code, error.line, error.column) == ("PR513", 1, 13)


def test_bad_bytes_are_located(demo: Path, tmp_path: Path) -> None:
    raw = (HEADER + "\n" + '{"unit": "a", "name": "S\xd6 A"}\n').encode("cp1258")
    [(code, line, column, _)] = _problems(_write(tmp_path, raw=raw))
    assert (code, line, column) == ("PR002", 2, 25)  # the byte after `{"unit": "a", "name": "S`
