"""A small core addition these rulesets needed (reported to the lead): a band may carry
`provisional: <why>` (a reading where the rule is silent), and a used provisional reading — band
or zero-denominator rule — is named in the explanation."""

from __future__ import annotations

import pytest

import parindex_rules as pr
from parindex_rules.diagnostics import RulesetError

RULESET = """
id: thu-2023/vi-du
title: Ví dụ
province: Thử
level: huyen
year: 2023
decision: {number: 1/QĐ-UBND}
max: 20
provisional: kiểm thử
fields:
  - id: "1"
    name: Lĩnh vực
    max: 20
    provisional: kiểm thử
    criteria:
      - id: "1.1"
        name: Tỷ lệ
        max: 10
        rule: "Tỷ lệ = a/b; Điểm = Tỷ lệ × Điểm tối đa"
        provisional: kiểm thử
        inputs: {a: {label: a, kind: count}, b: {label: b, kind: count}}
        scoring:
          method: formula
          formula: ratio(a, b) * max
          on_zero_denominator: {score: full, reason: Không phát sinh, provisional: đọc tạm b = 0}
      - id: "1.2"
        name: Số cuộc
        max: 10
        rule: "2: 10; 1: 5; còn lại: 0"
        provisional: kiểm thử
        inputs: {n: {label: n, kind: count}}
        scoring:
          method: bands
          input: n
          bands:
            - {equals: 2, points: 10}
            - {above: 2, points: 10, provisional: đọc tạm hơn 2}
            - {equals: 1, points: 5}
            - {equals: 0, points: 0}
"""


def load() -> pr.Ruleset:
    return pr.loads(RULESET, "thu.yaml")


def unit(a: int, b: int, n: int) -> dict[str, object]:
    items = {"1.1": {"self": {"a": a, "b": b}}, "1.2": {"self": n}}
    return {"unit": "u", "name": "U", "items": items}


def test_a_used_band_reading_is_named_in_the_explanation() -> None:
    rs = load()
    assert rs.evaluate(unit(1, 1, 2)).node("1.2").explain().notes == []
    beyond = rs.evaluate(unit(1, 1, 3)).node("1.2")
    assert beyond.score == 10
    assert beyond.explain().notes == ["provisional reading: đọc tạm hơn 2"]


def test_a_used_zero_denominator_reading_is_named_in_the_explanation() -> None:
    rs = load()
    assert rs.evaluate(unit(1, 2, 0)).node("1.1").explain().notes == []
    zero = rs.evaluate(unit(0, 0, 0)).node("1.1")
    assert zero.score == 10
    assert zero.explain().notes == ["provisional reading: đọc tạm b = 0"]


def test_band_provisional_must_be_text() -> None:
    with pytest.raises(RulesetError) as raised:
        pr.loads(RULESET.replace("provisional: đọc tạm hơn 2", "provisional: [1]"), "thu.yaml")
    errors = {d.code for d in raised.value.diagnostics if d.is_error}
    assert errors == {"PR103"}
