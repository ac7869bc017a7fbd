"""Hypothesis strategies: random but valid rulesets (real rule shapes) and facts for them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from .helpers import ruleset_doc

# Maxima with at most two decimals, as decisions write them.
maxima = st.integers(min_value=1, max_value=400).map(lambda n: Decimal(n) / 20)


@st.composite
def percent_bands(draw: st.DrawFn, maximum: Decimal) -> dict[str, Any]:
    """Non-decreasing points over [0, 100], cut at sorted thresholds with random inclusivity."""
    cuts = sorted(set(draw(st.lists(st.integers(1, 99), min_size=1, max_size=3))))
    steps = len(cuts) + 1
    points = sorted(draw(st.lists(st.integers(0, 100), min_size=steps - 1, max_size=steps - 1)))
    values = [maximum * p / 100 for p in points] + [maximum]
    bands: list[dict[str, Any]] = []
    low_closed = True
    low: int | None = None
    for i in range(steps):
        band: dict[str, Any] = {"points": str(values[i])}
        if low is not None:
            band["from" if low_closed else "above"] = low
        if i < len(cuts):
            upper_closed = draw(st.booleans())
            band["to" if upper_closed else "below"] = cuts[i]
            low, low_closed = cuts[i], not upper_closed
        bands.append(band)
    return {"method": "bands", "input": None, "direction": "increasing", "bands": bands[::-1]}


@st.composite
def leaf(draw: st.DrawFn, item_id: str, maximum: Decimal, names: list[str]) -> dict[str, Any]:
    kind = draw(st.sampled_from(["points", "choice", "bands", "formula", "survey", "boolean"]))
    node: dict[str, Any] = {
        "id": item_id,
        "name": f"Tiêu chí {item_id}",
        "max": str(maximum),
        "rule": kind,
    }
    if kind == "points":
        node["scoring"] = {"method": "points", "step": "0.05"}
    elif kind == "boolean":
        node["scoring"] = {"method": "boolean"}
    elif kind == "choice":
        half = (maximum / 2).quantize(Decimal("0.001"))
        node["scoring"] = {
            "method": "choice",
            "options": [
                {"key": "dat", "label": "Đạt", "points": str(maximum)},
                {"key": "mot_phan", "label": "Đạt một phần", "points": str(half)},
                {"key": "khong", "label": "Không đạt", "points": "0"},
            ],
        }
    elif kind == "bands":
        name = f"ty_le_{len(names)}"
        names.append(name)
        scoring = draw(percent_bands(maximum))
        scoring["input"] = name
        node["inputs"] = {name: {"label": "Tỷ lệ", "kind": "percent"}}
        node["scoring"] = scoring
    elif kind == "formula":
        a, b = f"a_{len(names)}", f"b_{len(names)}"
        names.extend([a, b])
        node["inputs"] = {
            a: {"label": "Số đạt", "kind": "count"},
            b: {"label": "Tổng số", "kind": "count"},
        }
        node["scoring"] = {
            "method": "formula",
            "formula": f"ratio({a}, {b}) * max",
            "on_zero_denominator": {
                "score": draw(st.sampled_from(["full", "zero"])),
                "reason": "Không phát sinh",
            },
        }
    else:
        node["scoring"] = {"method": "survey", "scale": 100}
    return node


@st.composite
def ruleset_docs(draw: st.DrawFn) -> dict[str, Any]:
    names: list[str] = []
    fields = []
    for f in range(1, draw(st.integers(1, 3)) + 1):
        criteria = []
        for c in range(1, draw(st.integers(1, 3)) + 1):
            cid = f"{f}.{c}"
            subs = draw(st.integers(0, 3))
            if subs == 0:
                criteria.append(draw(leaf(cid, draw(maxima), names)))
            else:
                children = [
                    draw(leaf(f"{cid}.{s}", draw(maxima), names)) for s in range(1, subs + 1)
                ]
                total = sum((Decimal(ch["max"]) for ch in children), Decimal(0))
                criteria.append(
                    {
                        "id": cid,
                        "name": f"Tiêu chí {cid}",
                        "max": str(total),
                        "subcriteria": children,
                    }
                )
        total = sum((Decimal(c["max"]) for c in criteria), Decimal(0))
        fields.append(
            {"id": str(f), "name": f"Lĩnh vực {f}", "max": str(total), "criteria": criteria}
        )
    return ruleset_doc([], fields=fields)


def leaves(doc: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for field in doc["fields"]:
        for criterion in field["criteria"]:
            out.extend(criterion.get("subcriteria") or [criterion])
    return out


@st.composite
def fact_for(draw: st.DrawFn, node: dict[str, Any]) -> dict[str, Any]:
    scoring = node["scoring"]
    method = scoring["method"]
    maximum = Decimal(node["max"])
    if method == "points":
        steps = int(maximum / Decimal("0.05"))
        return {"self": str(Decimal(draw(st.integers(0, steps))) * Decimal("0.05"))}
    if method == "boolean":
        return {"self": draw(st.booleans())}
    if method == "choice":
        return {"self": draw(st.sampled_from(["dat", "Đạt một phần", "khong"]))}
    if method == "bands":
        value = Decimal(draw(st.integers(0, 10_000))) / 100
        return {"self": str(value)}
    if method == "formula":
        (a, b) = list(node["inputs"])
        total = draw(st.integers(0, 50))
        return {"self": {a: draw(st.integers(0, total)), b: total}}
    return {"survey": {"2024": str(Decimal(draw(st.integers(0, 10_000))) / 100)}}


@st.composite
def facts_for(draw: st.DrawFn, doc: dict[str, Any]) -> dict[str, Any]:
    return {node["id"]: draw(fact_for(node)) for node in leaves(doc)}
