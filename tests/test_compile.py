"""Compile-time checks: each problem located at its file, line and column, all reported at once."""

from __future__ import annotations

import textwrap

import pytest

import parindex_rules as pr
from parindex_rules.cli import main

HEAD = """\
id: test-2024/so
title: Bộ chỉ số thử
province: Thử
level: so
year: 2024
decision: {number: 1/QĐ-THU}
provisional: test
"""


def errors(body: str) -> list[tuple[str, int, int]]:
    text = HEAD + textwrap.dedent(body)
    with pytest.raises(pr.RulesetError) as info:
        pr.loads(text, "r.yaml")
    return [(d.code, d.line, d.column) for d in info.value.errors]


def one_field(criteria: str, *, field_max: str = "2", total: str = "2") -> str:
    return (
        f"max: {total}\nfields:\n  - id: '1'\n    name: F\n    max: {field_max}\n"
        "    provisional: t\n    criteria:\n" + textwrap.indent(textwrap.dedent(criteria), "      ")
    )


LEAF_A = """\
- id: '1.1'
  name: A
  max: 1
  provisional: t
  rule: r
  scoring: {method: points}
"""
LEAF_B = LEAF_A.replace("'1.1'", "'1.2'").replace("name: A", "name: B")


def test_valid_baseline() -> None:
    ruleset = pr.loads(HEAD + one_field(LEAF_A + LEAF_B), "r.yaml")
    assert ruleset.counts() == {"fields": 1, "criteria": 2, "subcriteria": 0}


def test_unknown_key_with_did_you_mean() -> None:
    text = HEAD + one_field(LEAF_A.replace("rule: r", "rulle: r") + LEAF_B)
    with pytest.raises(pr.RulesetError) as info:
        pr.loads(text, "r.yaml")
    (problem,) = info.value.errors
    assert (problem.code, problem.line, problem.column) == ("PR101", 19, 9)
    assert problem.hint == "did you mean 'rule'?"
    assert problem.format().startswith("r.yaml:19:9: PR101 unknown key 'rulle'")


def test_wrong_type_and_bad_decimal() -> None:
    listed = LEAF_A.replace("max: 1", "max: [1]")
    assert errors(one_field(listed + LEAF_B)) == [("PR105", 17, 14)]
    assert errors(one_field(LEAF_A.replace("max: 1", "max: 1,5.0") + LEAF_B)) == [("PR105", 17, 14)]


def test_missing_key() -> None:
    assert errors(one_field(LEAF_A.replace("  name: A\n", "") + LEAF_B)) == [("PR102", 15, 9)]


def test_all_problems_at_once() -> None:
    """A misspelt key, a bad level and a bad id: three errors, one run."""
    text = one_field(LEAF_A.replace("rule: r", "rul: r") + LEAF_B.replace("'1.2'", "'1.x'"))
    found = errors(text.replace("max: 2\nfields", "max: 2\nfields", 1))
    assert [code for code, _, _ in found] == ["PR101", "PR106"]
    body = HEAD.replace("level: so", "level: tinh") + one_field(
        LEAF_A.replace("rule: r", "rul: r") + LEAF_B
    )
    with pytest.raises(pr.RulesetError) as info:
        pr.loads(body, "r.yaml")
    assert sorted(d.code for d in info.value.errors) == ["PR101", "PR104"]


def test_structure_errors_are_located() -> None:
    # Children add up to 1 + 1 = 2, but the field says 3 (and the total 3).
    assert errors(one_field(LEAF_A + LEAF_B, field_max="3", total="3")) == [("PR204", 12, 10)]
    # The total differs from the fields.
    assert errors(one_field(LEAF_A + LEAF_B, total="3")) == [("PR216", 8, 6)]
    # An id that does not extend its parent, and one out of order.
    assert errors(one_field(LEAF_A + LEAF_B.replace("'1.2'", "'2.2'"))) == [("PR202", 21, 13)]
    assert errors(one_field(LEAF_B + LEAF_A)) == [("PR203", 21, 13)]
    assert errors(one_field(LEAF_A + LEAF_A)) == [("PR201", 21, 13)]


def test_provenance_is_required_once() -> None:
    assert errors(one_field(LEAF_A.replace("  provisional: t\n", "") + LEAF_B)) == [
        ("PR107", 15, 9)
    ]
    both = LEAF_A.replace("provisional: t", "provisional: t\n  source: {document: d, quote: q}")
    found = errors(one_field(both + LEAF_B))
    assert ("PR108", 18, 9) in found and ("PR110", 19, 28) in found


def test_unknown_method_lists_installed_ones() -> None:
    text = HEAD + one_field(LEAF_A.replace("method: points", "method: pionts") + LEAF_B)
    with pytest.raises(pr.RulesetError) as info:
        pr.loads(text, "r.yaml")
    (problem,) = info.value.errors
    assert (problem.code, problem.line, problem.column) == ("PR109", 20, 27)
    assert problem.hint is not None and problem.hint.startswith("did you mean 'points'? installed:")
    assert "choice" in problem.hint and "bands" in problem.hint


def test_method_settings_are_validated_in_place() -> None:
    found = errors(
        one_field(LEAF_A.replace("{method: points}", "{method: points, allowd: [0, 1]}") + LEAF_B)
    )
    assert found == [("PR101", 20, 35)]


def test_formula_problem_points_into_the_formula() -> None:
    leaf = """\
- id: '1.1'
  name: A
  max: 2
  provisional: t
  rule: r
  inputs: {a: {label: a}, b: {label: b}}
  scoring: {method: formula, formula: "ratio(a, b) * mx"}
"""
    assert errors(one_field(leaf)) == [("PR303", 21, 60)]


def test_declared_counts_and_split() -> None:
    body = one_field(LEAF_A + LEAF_B).replace(
        "fields:",
        "declared: {fields: 1, criteria: 3, points_by_origin: {assessed: 1, survey: 1}}\nfields:",
    )
    found = errors(body)
    assert ("PR205", 9, 33) in found
    assert [c for c, _, _ in found].count("PR206") == 2


def test_scoring_on_a_parent_and_leaf_without_scoring() -> None:
    parent = """\
- id: '1.1'
  name: A
  max: 2
  provisional: t
  scoring: {method: points}
  subcriteria:
    - {id: '1.1.1', name: X, max: 1, provisional: t, rule: r, scoring: {method: points}}
    - {id: '1.1.2', name: Y, max: 1, provisional: t, rule: r}
"""
    assert errors(one_field(parent)) == [("PR208", 19, 9), ("PR207", 22, 13)]


def test_subcriteria_cannot_have_children() -> None:
    deep = """\
- id: '1.1'
  name: A
  max: 2
  provisional: t
  subcriteria:
    - {id: '1.1.1', name: X, max: 2, provisional: t, subcriteria: []}
"""
    assert errors(one_field(deep))[0][0] == "PR218"


def test_warnings_do_not_stop_compilation() -> None:
    leaf = LEAF_A.replace("  rule: r\n", "") + LEAF_B
    ruleset = pr.loads(HEAD + one_field(leaf), "r.yaml")
    assert [d.code for d in ruleset.diagnostics] == ["PR231"]
    unused = one_field(LEAF_A + LEAF_B).replace(
        "fields:", "parameters: {k: {value: 1, provisional: t}}\nfields:"
    )
    assert [d.code for d in pr.loads(HEAD + unused, "r.yaml").diagnostics] == ["PR404"]


def test_yaml_level_problems(tmp_path) -> None:  # type: ignore[no-untyped-def]
    cases = {
        "dup.yaml": ("id: a\nid: b\n", ("PR005", 2, 1)),
        "tab.yaml": ("id: a\nfields:\n\t- x\n", ("PR006", 3, 1)),
        # An unclosed bracket is reported where it opens, not at the end of the file.
        "syntax.yaml": ("id: [a\n", ("PR004", 1, 5)),
        "empty.yaml": ("# nothing\n", ("PR003", 1, 1)),
        "list.yaml": ("- a\n", ("PR007", 1, 1)),
        "alias.yaml": ("a: &x 1\nb: *x\n", ("PR012", 1, 4)),
        "tag.yaml": ("a: !!python/object x\n", ("PR008", 1, 4)),
    }
    for name, (text, expected) in cases.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        with pytest.raises(pr.RulesetError) as info:
            pr.load(path)
        first = info.value.diagnostics[0]
        assert (first.code, first.line, first.column) == expected, name
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("id: x\nname: Tiêu chí\n".encode("cp1258"))
    with pytest.raises(pr.RulesetError) as info:
        pr.load(latin)
    assert (info.value.diagnostics[0].code, info.value.diagnostics[0].line) == ("PR002", 2)


def test_cli_validate_prints_located_lines(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "r.yaml"
    path.write_text(HEAD + one_field(LEAF_A + LEAF_B, field_max="3", total="3"), encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        f"{path}:12:10: PR204 1: maximum 3, but its children add up to 2 (1 + 1) (at fields[0].max)"
    ]


def test_unknown_ruleset_id() -> None:
    with pytest.raises(pr.RulesetError) as info:
        pr.load("camau-2013/so-trch")
    assert info.value.errors[0].code == "PR010"
