"""Small builders for test rulesets and facts (kept out of conftest to be importable)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import parindex_rules as pr


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _provenance(node: dict[str, Any]) -> dict[str, Any]:
    if "source" not in node and "provisional" not in node:
        node = {**node, "provisional": "test content"}
    for key in ("criteria", "subcriteria"):
        if key in node:
            node[key] = [_provenance(child) for child in node[key]]
    return node


def ruleset_doc(
    criteria: list[dict[str, Any]],
    *,
    fields: list[dict[str, Any]] | None = None,
    **top: Any,
) -> dict[str, Any]:
    """A one-field ruleset whose criteria are given (leaves or parents); maxima are summed."""
    criteria = [_provenance(c) for c in criteria]
    if fields is None:
        field_max = sum(
            (
                Decimal(str(c["max"]))
                for c in criteria
                if c.get("origin") not in ("bonus", "penalty")
            ),
            Decimal(0),
        )
        fields = [{"id": "1", "name": "Lĩnh vực thử", "max": str(field_max), "criteria": criteria}]
    fields = [_provenance(f) for f in fields]
    total = sum(
        (Decimal(str(f["max"])) for f in fields if f.get("origin") not in ("bonus", "penalty")),
        Decimal(0),
    )
    doc: dict[str, Any] = {
        "id": "test-2024/so",
        "title": "Bộ chỉ số thử",
        "province": "Thử",
        "level": "so",
        "year": 2024,
        "decision": {"number": "1/QĐ-THU"},
        "max": str(total),
        "provisional": "test ruleset",
        "fields": fields,
    }
    doc.update(top)
    return _plain(doc)


def ruleset(criteria: list[dict[str, Any]], **kw: Any) -> pr.Ruleset:
    return pr.loads(json.dumps(ruleset_doc(criteria, **kw), ensure_ascii=False), "test.yaml")


def unit(items: dict[str, Any], **kw: Any) -> dict[str, Any]:
    return {
        "unit": kw.pop("unit", "u1"),
        "name": kw.pop("name", "Đơn vị thử"),
        "items": items,
        **kw,
    }


def codes(result: pr.UnitResult) -> list[str]:
    return [d.code for d in result.diagnostics]
