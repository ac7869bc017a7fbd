"""Small rulesets and cohorts written inline, so that every expected value is worked by hand."""

from __future__ import annotations

import textwrap
from typing import Any

import parindex_rules as pr
from parindex_rules.loader.facts import Facts, facts_from_data, load_facts_text

RULESET_ID = "thu-2023/so"


def ruleset(body: str, *, max: str = "10", head: str = "") -> pr.Ruleset:
    """A ruleset "thu-2023/so" (year 2023) with `head` (policies, ranking, ...) and `body`
    (the `fields:` list). Every node may simply say `provisional: t`."""
    text = (
        textwrap.dedent(
            f"""\
            id: {RULESET_ID}
            title: Bộ chỉ số thử
            province: Thử
            level: so
            year: 2023
            decision: {{number: 1/QĐ-UBND}}
            max: {max}
            provisional: viết tay cho kiểm thử
            """
        )
        + textwrap.dedent(head)
        + "fields:\n"
        + textwrap.indent(textwrap.dedent(body), "  ")
    )
    return pr.loads(text, "thu.yaml")


def facts(units: list[dict[str, Any]], *, year: int = 2023) -> Facts:
    """Facts given as Python data (no positions)."""
    return facts_from_data({"ruleset": RULESET_ID, "year": year, "units": units})


def facts_text(units_yaml: str, *, year: int = 2023) -> Facts:
    """Facts from YAML text, so that diagnostics carry lines and columns."""
    text = f"ruleset: {RULESET_ID}\nyear: {year}\nunits:\n" + textwrap.indent(
        textwrap.dedent(units_yaml), "  "
    )
    return load_facts_text(text, "facts.yaml")


#: Two fields of five points each, every leaf scored directly (any score from 0 to its max).
TWO_FIELDS = """
- id: "1"
  name: Lĩnh vực một
  max: 5
  provisional: t
  criteria:
    - {id: "1.1", name: Tiêu chí 1.1, max: 2, provisional: t, rule: r, scoring: {method: points}}
    - {id: "1.2", name: Tiêu chí 1.2, max: 3, provisional: t, rule: r, scoring: {method: points}}
- id: "2"
  name: Lĩnh vực hai
  max: 5
  provisional: t
  criteria:
    - {id: "2.1", name: Tiêu chí 2.1, max: 5, provisional: t, rule: r, scoring: {method: points}}
"""


def unit(uid: str, scores: dict[str, str], **extra: Any) -> dict[str, Any]:
    """A unit whose items are given as final self scores."""
    return {
        "unit": uid,
        "name": extra.pop("name", uid.upper()),
        "items": {k: {"self": v} for k, v in scores.items()},
        **extra,
    }
