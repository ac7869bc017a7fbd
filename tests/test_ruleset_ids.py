"""Ruleset ids follow shared/interfaces.md, `<province>-<year>/<set>`: checked in the model
(PR104, at the id), and the id's year agrees with `year:` (PR111, a warning)."""

from __future__ import annotations

import pytest

import parindex_rules as pr
from parindex_rules.diagnostics import RulesetError
from parindex_rules.model.common import RULESET_ID, ruleset_id_year
from parindex_rules.model.schema import ruleset_schema

from .conftest import EXAMPLES, ROOT, SHIPPED_RULESETS

BODY = """\
title: Bộ chỉ số thử
province: Thử
level: so
year: 2024
decision: {number: 1/QĐ-THU}
max: 1
provisional: thử
fields:
  - id: "1"
    name: Lĩnh vực một
    max: 1
    provisional: thử
    criteria:
      - {id: "1.1", name: A, max: 1, rule: r, provisional: thử, scoring: {method: points}}
"""

SHIPPED = SHIPPED_RULESETS


def compile_id(ruleset_id: str) -> pr.Ruleset:
    return pr.loads(f"id: {ruleset_id}\n{BODY}", "thu.yaml")


@pytest.mark.parametrize(
    "ruleset_id",
    ["thu-2024/so", "hanoi-2024/quan-huyen", "ba-ria-vung-tau-2024/xa", "thu-2024/so-trich-2"],
)
def test_valid_ids(ruleset_id: str) -> None:
    rs = compile_id(ruleset_id)
    assert rs.id == ruleset_id
    assert not [d for d in rs.diagnostics if d.code == "PR111"]


@pytest.mark.parametrize(
    "ruleset_id",
    [
        '"không hợp lệ!!"',  # the audit's example
        "chuyendoiso-huyen/trich",  # no year: the old id of the second example
        "Thu-2024/so",  # upper case
        "thu-24/so",  # a two-digit year
        "thu-2024",  # no set
        "thu-2024/so/x",  # two sets
        "thu_2024/so",  # underscore
        "thu-2024/",  # an empty set
        "2024",  # a number
    ],
)
def test_invalid_ids_are_located_errors(ruleset_id: str) -> None:
    with pytest.raises(RulesetError) as caught:
        compile_id(ruleset_id)
    (problem,) = caught.value.diagnostics
    assert (problem.code, problem.line, problem.column, problem.path) == ("PR104", 1, 5, ("id",))
    assert "is not a ruleset id" in problem.message and "<province>-<year>/<set>" in problem.message


def test_a_year_that_differs_from_the_id_is_a_warning() -> None:
    """`thu-2023/so` with `year: 2024`: compiles, with PR111 at the id."""
    rs = compile_id("thu-2023/so")
    (warning,) = [d for d in rs.diagnostics if d.code == "PR111"]
    assert (warning.line, warning.column, warning.is_error) == (1, 5, False)
    assert "names the year 2023, but `year:` is 2024" in warning.message


def test_the_schema_carries_the_pattern() -> None:
    assert ruleset_schema()["properties"]["id"]["pattern"] == RULESET_ID.pattern


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_shipped_ruleset_has_a_valid_id_with_its_year(path: object) -> None:
    rs = pr.load(path)  # type: ignore[arg-type]
    assert RULESET_ID.match(rs.id)
    assert ruleset_id_year(rs.id) == rs.document.year
    assert not [d for d in rs.diagnostics if d.code == "PR111"]


def test_shipped_set_is_complete() -> None:
    """Eight province rulesets, two examples and the demo plugin's pack."""
    assert len(SHIPPED) == 11


def test_the_second_example_is_renamed_everywhere() -> None:
    """`chuyendoiso-huyen/trich` broke the pattern; its year is the 2023 it declares."""
    rs = pr.load(EXAMPLES / "chuyendoiso-huyen" / "ruleset.yaml")
    assert (rs.id, rs.document.year) == ("chuyendoiso-2023/huyen-trich", 2023)
    facts = pr.load_facts(EXAMPLES / "chuyendoiso-huyen" / "facts.yaml")
    assert facts.document.ruleset == rs.id
    for path in [*ROOT.glob("*.md"), *(ROOT / "docs").glob("*.md"), *EXAMPLES.rglob("*.*")]:
        if path.is_file() and path.suffix in (".md", ".yaml", ".py", ".toml"):
            assert "chuyendoiso-huyen/trich" not in path.read_text(encoding="utf-8"), path
