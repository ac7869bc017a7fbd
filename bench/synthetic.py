"""A SYNTHETIC bench ruleset of Vĩnh Long sở's size, and seeded synthetic units for it.

Vĩnh Long's 1877/QĐ-UBND (sở set) has 8 fields, 34 criteria and 99 sub-criteria, 66 assessed
points and 34 survey points (shared/reference/rulebooks.md §1). Its annex rows are not
available, and the shipped rulesets' leaves are mostly provisional, so they would measure too
little. This module builds a ruleset of exactly that size from the rule shapes real annexes use
(rulebooks.md §5): labelled outcomes (choice), "trên 90% / từ 70% - 90% / dưới 70%" bands,
"Tỷ lệ = a/b; Điểm = Tỷ lệ × Điểm tối đa" ratio formulas, count steps ("4 cuộc: 20; 3: 15; ..."),
scores given directly, done/not done, checklists, and survey items (SIPAS %, Ministry points).

Nothing here is a decision's content: every node is marked provisional ("synthetic bench
ruleset") and the id says so. Deterministic for a given seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

#: Vĩnh Long 1877 sở: criteria / sub-criteria per field (rulebooks.md §1).
COUNTS = [(8, 10), (4, 11), (5, 15), (3, 12), (6, 18), (3, 14), (3, 14), (2, 5)]
FIELD_NAMES = [
    "Công tác chỉ đạo, điều hành cải cách hành chính",
    "Cải cách thể chế",
    "Cải cách thủ tục hành chính",
    "Cải cách tổ chức bộ máy hành chính",
    "Cải cách chế độ công vụ",
    "Cải cách tài chính công",
    "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số",
    "Tác động của CCHC đến người dân, tổ chức và phát triển kinh tế xã hội",
]
#: Fields whose items may be survey items (sở set: some items of fields 2, 4, 5, 6, 7; all of 8).
SURVEY_FIELDS = {2, 4, 5, 6, 7}
ASSESSED_POINTS = Decimal(66)
SURVEY_POINTS = Decimal(34)
QUARTER = Decimal("0.25")

#: Rule shapes of assessed leaves and how often each occurs (choice is the most common).
SHAPES = [
    ("choice", 34),
    ("percent_bands", 14),
    ("ratio", 20),
    ("count_steps", 10),
    ("points", 10),
    ("boolean", 6),
    ("checklist", 6),
]

PROVISIONAL = '"synthetic bench ruleset, not a decision\'s content"'


@dataclass
class Leaf:
    """One leaf of the bench ruleset: what a unit reports for it, and how it is scored."""

    id: str
    shape: str
    max: Decimal
    origin: str = "assessed"
    inputs: list[str] = field(default_factory=list)
    options: list[str] = field(default_factory=list)


@dataclass
class BenchRuleset:
    """The generated YAML text and the leaves, for generating units that fit it."""

    text: str
    leaves: list[Leaf]
    year: int = 2023


def _split(total: Decimal, parts: int, rng: random.Random) -> list[Decimal]:
    """`total` split into `parts` positive multiples of 0.25, unevenly, adding up exactly."""
    units = int(total / QUARTER)
    assert units >= parts
    weights = [rng.randint(2, 6) for _ in range(parts)]
    scale = units / sum(weights)
    counts = [max(1, int(w * scale)) for w in weights]
    while sum(counts) < units:
        counts[rng.randrange(parts)] += 1
    while sum(counts) > units:
        i = rng.randrange(parts)
        if counts[i] > 1:
            counts[i] -= 1
    return [QUARTER * c for c in counts]


def _shape(rng: random.Random) -> str:
    total = sum(w for _, w in SHAPES)
    pick = rng.uniform(0, total)
    for name, weight in SHAPES:
        pick -= weight
        if pick <= 0:
            return name
    return SHAPES[-1][0]


def _q(value: Decimal) -> str:
    """A decimal written without needless zeros, quoted (YAML reads it as text, exactly)."""
    text = format(value.normalize(), "f")
    return f'"{text}"'


def _leaf_yaml(leaf: Leaf, indent: str, rng: random.Random) -> list[str]:
    m = leaf.max
    lines = [
        f'{indent}- id: "{leaf.id}"',
        f"{indent}  name: Tiêu chí tổng hợp {leaf.id} (synthetic)",
        f"{indent}  max: {_q(m)}",
        f"{indent}  provisional: {PROVISIONAL}",
    ]
    pad = indent + "  "
    if leaf.origin == "survey":
        if leaf.shape == "sipas":
            lines += [
                f"{pad}origin: survey",
                f"{pad}basis: Kết quả khảo sát SIPAS (%), synthetic",
                f'{pad}rule: "Chỉ số hài lòng (%) × điểm tối đa / 100"',
                f"{pad}scoring: {{method: survey, scale: 100}}",
            ]
        else:
            lines += [
                f"{pad}origin: survey",
                f"{pad}basis: Điểm điều tra xã hội học do Bộ Nội vụ công bố, synthetic",
                f'{pad}rule: "Điểm theo kết quả điều tra xã hội học"',
                f"{pad}scoring: {{method: survey}}",
            ]
        return lines
    if leaf.shape == "choice":
        half = m / 2
        leaf.options = ["kip_thoi", "khong_kip_thoi", "khong_ban_hanh"]
        lines += [
            f'{pad}rule: "Ban hành kịp thời: {m} · Ban hành không kịp thời: {half} · '
            'Không ban hành: 0"',
            f"{pad}scoring:",
            f"{pad}  method: choice",
            f"{pad}  options:",
            f"{pad}    - {{key: kip_thoi, label: Ban hành kịp thời, points: {_q(m)}}}",
            f"{pad}    - {{key: khong_kip_thoi, label: Ban hành không kịp thời, "
            f"points: {_q(half)}}}",
            f"{pad}    - {{key: khong_ban_hanh, label: Không ban hành, points: 0}}",
        ]
    elif leaf.shape == "percent_bands":
        name = "ty_le_" + leaf.id.replace(".", "_")
        leaf.inputs = [name]
        lines += [
            f'{pad}rule: "Trên 90%: {m} · Từ 70% - 90%: {m / 2} · Dưới 70%: 0"',
            f"{pad}inputs:",
            f"{pad}  {name}: {{label: Tỷ lệ thực hiện, kind: percent}}",
            f"{pad}scoring:",
            f"{pad}  method: bands",
            f"{pad}  input: {name}",
            f"{pad}  direction: increasing",
            f"{pad}  bands:",
            f"{pad}    - {{above: 90, points: {_q(m)}, label: Trên 90%}}",
            f"{pad}    - {{from: 70, to: 90, points: {_q(m / 2)}, label: Từ 70% - 90%}}",
            f"{pad}    - {{below: 70, points: 0, label: Dưới 70%}}",
        ]
    elif leaf.shape == "ratio":
        a = "a_" + leaf.id.replace(".", "_")
        b = "b_" + leaf.id.replace(".", "_")
        leaf.inputs = [a, b]
        lines += [
            f'{pad}rule: "Tỷ lệ = a/b; Điểm = Tỷ lệ × Điểm tối đa"',
            f"{pad}inputs:",
            f"{pad}  {a}: {{label: Số hồ sơ giải quyết đúng hạn, kind: count}}",
            f"{pad}  {b}: {{label: Tổng số hồ sơ, kind: count}}",
            f"{pad}scoring:",
            f"{pad}  method: formula",
            f'{pad}  formula: "ratio({a}, {b}) * max"',
            f"{pad}  on_zero_denominator: {{score: full, reason: Không phát sinh hồ sơ}}",
        ]
    elif leaf.shape == "count_steps":
        name = "so_cuoc_" + leaf.id.replace(".", "_")
        leaf.inputs = [name]
        lines += [
            f'{pad}rule: "4 cuộc/năm: {m} · 3 cuộc: {m * 3 / 4} · 2 cuộc: {m / 2} · '
            f'1 cuộc: {m / 4} · không: 0"',
            f"{pad}inputs:",
            f"{pad}  {name}: {{label: Số cuộc họp, kind: count}}",
            f"{pad}scoring:",
            f"{pad}  method: bands",
            f"{pad}  input: {name}",
            f"{pad}  direction: increasing",
            f"{pad}  bands:",
            f"{pad}    - {{from: 4, points: {_q(m)}}}",
            f"{pad}    - {{equals: 3, points: {_q(m * 3 / 4)}}}",
            f"{pad}    - {{equals: 2, points: {_q(m / 2)}}}",
            f"{pad}    - {{equals: 1, points: {_q(m / 4)}}}",
            f"{pad}    - {{equals: 0, points: 0}}",
        ]
    elif leaf.shape == "points":
        lines += [
            f'{pad}rule: "Hội đồng chấm điểm, tối đa {m}"',
            f"{pad}scoring: {{method: points, step: 0.25}}",
        ]
    elif leaf.shape == "boolean":
        lines += [
            f'{pad}rule: "Đạt: {m} · Không đạt: 0"',
            f"{pad}scoring: {{method: boolean, true_label: Đạt, false_label: Không đạt}}",
        ]
    elif leaf.shape == "checklist":
        leaf.options = ["co_ke_hoach", "co_bao_cao"]
        lines += [
            f'{pad}rule: "Có kế hoạch: {m / 2} · Có báo cáo: {m / 2}"',
            f"{pad}scoring:",
            f"{pad}  method: checklist",
            f"{pad}  conditions:",
            f"{pad}    - {{key: co_ke_hoach, label: Có kế hoạch, points: {_q(m / 2)}}}",
            f"{pad}    - {{key: co_bao_cao, label: Có báo cáo, points: {_q(m / 2)}}}",
        ]
    else:  # pragma: no cover - the shapes above are all there is
        raise ValueError(leaf.shape)
    return lines


def bench_ruleset(seed: int = 1877) -> BenchRuleset:
    """The bench ruleset: 8 fields / 34 criteria / 99 sub-criteria, 66 + 34 points."""
    rng = random.Random(seed)
    # The tree: which criteria have sub-criteria (the rest are leaves themselves).
    plan: list[list[int]] = []
    for criteria, subs in COUNTS:
        with_subs = min(criteria, -(-subs // 3))
        split = [subs // with_subs] * with_subs
        for i in range(subs - sum(split)):
            split[i] += 1
        plan.append(split + [0] * (criteria - with_subs))
    # Leaves and their origins: all of field 8 is survey, and one leaf in three of fields 2, 4,
    # 5, 6 and 7 (as "some criteria and sub-criteria" there are).
    leaves: list[Leaf] = []
    for f, split in enumerate(plan, start=1):
        for c, subs in enumerate(split, start=1):
            ids = [f"{f}.{c}.{s}" for s in range(1, subs + 1)] if subs else [f"{f}.{c}"]
            for leaf_id in ids:
                survey = f == 8 or (f in SURVEY_FIELDS and rng.random() < 1 / 3)
                if survey:
                    shape = "sipas" if f == 8 or rng.random() < 0.5 else "ministry"
                    leaves.append(Leaf(leaf_id, shape, Decimal(0), origin="survey"))
                else:
                    leaves.append(Leaf(leaf_id, _shape(rng), Decimal(0)))
    assessed = [leaf for leaf in leaves if leaf.origin == "assessed"]
    survey = [leaf for leaf in leaves if leaf.origin == "survey"]
    for group, points in ((assessed, ASSESSED_POINTS), (survey, SURVEY_POINTS)):
        for leaf, maximum in zip(group, _split(points, len(group), rng), strict=True):
            leaf.max = maximum
    by_id = {leaf.id: leaf for leaf in leaves}

    def total(prefix: str) -> Decimal:
        return sum(
            (leaf.max for leaf in leaves if leaf.id == prefix or leaf.id.startswith(prefix + ".")),
            Decimal(0),
        )

    lines = [
        "# SYNTHETIC bench ruleset (bench/synthetic.py): the size of Vĩnh Long 1877 sở",
        "# (8 fields / 34 criteria / 99 sub-criteria, 66 + 34 points) built from real rule",
        "# shapes. Not a decision's content: every node is provisional.",
        "id: bench-2023/so",
        'title: "SYNTHETIC bench ruleset — Chỉ số CCHC sở (kích thước như Vĩnh Long 1877)"',
        "province: Synthetic",
        "level: so",
        "year: 2023",
        "decision: {number: SYNTHETIC, note: synthetic bench ruleset}",
        "max: 100",
        f"provisional: {PROVISIONAL}",
        "declared:",
        "  fields: 8",
        "  criteria: 34",
        "  subcriteria: 99",
        "  points_by_origin: {assessed: 66, survey: 34}",
        f"  provisional: {PROVISIONAL}",
        "rounding: {places: 2, mode: half_up}",
        "policies:",
        "  survey_fallback: previous_year",
        "fields:",
    ]
    for f, split in enumerate(plan, start=1):
        lines += [
            f'  - id: "{f}"',
            f"    name: {FIELD_NAMES[f - 1]}",
            f"    max: {_q(total(str(f)))}",
            f"    provisional: {PROVISIONAL}",
            "    criteria:",
        ]
        for c, subs in enumerate(split, start=1):
            cid = f"{f}.{c}"
            if not subs:
                lines += _leaf_yaml(by_id[cid], "      ", rng)
                continue
            lines += [
                f'      - id: "{cid}"',
                f"        name: Tiêu chí {cid} (synthetic)",
                f"        max: {_q(total(cid))}",
                f"        provisional: {PROVISIONAL}",
                "        subcriteria:",
            ]
            for s in range(1, subs + 1):
                lines += _leaf_yaml(by_id[f"{cid}.{s}"], "          ", rng)
    return BenchRuleset(text="\n".join(lines) + "\n", leaves=leaves)


def unit_columns(bench: BenchRuleset, n: int, seed: int = 0) -> dict[str, Any]:
    """`n` seeded synthetic units as plain columns (the form `Ruleset.evaluate_many` takes).

    Outcomes are categorical (codes + labels, as a DataFrame's category column holds them);
    figures are numpy arrays. Values cluster at the rules' boundaries (exactly 70 % and 90 %,
    ratios with small denominators, survey values with two decimals) so that exactness matters.
    """
    import numpy as np

    from parindex_rules.batch import Coded

    rng = np.random.default_rng(seed)
    columns: dict[str, Any] = {"unit": [f"don-vi-{i}" for i in range(n)]}
    for leaf in bench.leaves:
        if leaf.origin == "survey":
            if leaf.shape == "sipas":
                columns[leaf.id] = rng.integers(5000, 10001, n) / 100
            else:
                quarters = int(leaf.max / QUARTER)
                columns[leaf.id] = rng.integers(0, quarters + 1, n) * 0.25
            continue
        if leaf.shape == "choice":
            columns[leaf.id] = Coded(rng.integers(0, 3, n).astype(np.int32), leaf.options)
        elif leaf.shape == "percent_bands":
            exact = rng.choice(np.array([70.0, 90.0, 0.0, 100.0]), n)
            spread = rng.integers(0, 10001, n) / 100
            columns[leaf.inputs[0]] = np.where(rng.random(n) < 0.3, exact, spread)
        elif leaf.shape == "ratio":
            total = rng.integers(0, 41, n)
            columns[leaf.inputs[1]] = total
            columns[leaf.inputs[0]] = (rng.random(n) * (total + 1)).astype(np.int64)
        elif leaf.shape == "count_steps":
            columns[leaf.inputs[0]] = rng.integers(0, 7, n)
        elif leaf.shape == "points":
            quarters = int(leaf.max / QUARTER)
            columns[leaf.id] = rng.integers(0, quarters + 1, n) * 0.25
        elif leaf.shape == "boolean":
            columns[leaf.id] = rng.random(n) < 0.8
        elif leaf.shape == "checklist":
            met = [[], ["co_ke_hoach"], ["co_bao_cao"], ["co_ke_hoach", "co_bao_cao"]]
            columns[leaf.id] = Coded(rng.integers(0, 4, n).astype(np.int32), met)
    return columns


def unit_facts(bench: BenchRuleset, n: int, seed: int = 0) -> list[dict[str, Any]]:
    """The same synthetic units as facts mappings (the facts file's `units:` entries)."""
    columns = unit_columns(bench, n, seed)
    units: list[dict[str, Any]] = []
    for i in range(n):
        items: dict[str, Any] = {}
        for leaf in bench.leaves:
            if leaf.origin == "survey":
                items[leaf.id] = {"survey": {str(bench.year): _plain(columns[leaf.id][i])}}
            elif leaf.inputs:
                items[leaf.id] = {
                    "appraisal": [{name: _plain(columns[name][i]) for name in leaf.inputs}]
                }
            else:
                items[leaf.id] = {"appraisal": [_plain(columns[leaf.id][i])]}
        units.append({"unit": columns["unit"][i], "name": f"Đơn vị {i}", "items": items})
    return units


def _plain(value: Any) -> Any:
    from parindex_rules.batch import Coded

    if isinstance(value, Coded):  # pragma: no cover - indexing a Coded gives its label
        raise TypeError
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float):
        return repr(value)
    return value
