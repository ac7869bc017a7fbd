"""A test ruleset with every kind of facts row: choice, bands (one input), formula (two inputs),
checklist, boolean, points, appraisal_only and survey; and a cohort for it in YAML."""

from __future__ import annotations

import json
from pathlib import Path

import parindex_rules as pr

from ..helpers import ruleset_doc

CRITERIA = [
    {
        "id": "1.1",
        "name": "Ban hành kế hoạch",
        "max": "1",
        "rule": "Kịp thời: 1 · Không kịp thời: 0,5 · Không ban hành: 0",
        "scoring": {
            "method": "choice",
            "options": [
                {"key": "kip_thoi", "label": "Kịp thời", "points": 1},
                {"key": "khong_kip_thoi", "label": "Không kịp thời", "points": "0.5"},
                {"key": "khong", "label": "Không ban hành", "points": 0},
            ],
        },
    },
    {
        "id": "1.2",
        "name": "Tỷ lệ thực hiện",
        "max": "2",
        "rule": "Trên 90%: 2 · Từ 70% đến 90%: 1 · Dưới 70%: 0",
        "inputs": {"ty_le": {"label": "Tỷ lệ thực hiện", "kind": "percent"}},
        "scoring": {
            "method": "bands",
            "input": "ty_le",
            "direction": "increasing",
            "bands": [
                {"above": 90, "points": 2},
                {"from": 70, "to": 90, "points": 1},
                {"below": 70, "points": 0},
            ],
        },
    },
    {
        "id": "1.3",
        "name": "Hồ sơ giải quyết đúng hạn",
        "max": "3",
        "rule": "Tỷ lệ = đúng hạn / tổng số; Điểm = Tỷ lệ × 3",
        "inputs": {
            "dung_han": {"label": "Số hồ sơ đúng hạn", "kind": "count"},
            "tong_so": {"label": "Tổng số hồ sơ", "kind": "count"},
        },
        "scoring": {"method": "formula", "formula": "ratio(dung_han, tong_so) * max"},
    },
    {
        "id": "1.4",
        "name": "Báo cáo",
        "max": "1",
        "rule": "Đủ số lượng: 0,5 · Đúng hạn: 0,5",
        "scoring": {
            "method": "checklist",
            "conditions": [
                {"key": "du_so_luong", "label": "Đủ số lượng", "points": "0.5"},
                {"key": "dung_han", "label": "Đúng hạn", "points": "0.5"},
            ],
        },
    },
    {
        "id": "1.5",
        "name": "Có trang thông tin",
        "max": "1",
        "rule": "Có: 1 · Không: 0",
        "scoring": {"method": "boolean", "true_label": "Có", "false_label": "Không"},
    },
    {
        "id": "1.6",
        "name": "Tự chấm",
        "max": "2",
        "rule": "Tối đa 2 điểm, bước 0,25",
        "scoring": {"method": "points", "step": "0.25"},
    },
    {
        "id": "1.7",
        "name": "Hội đồng chấm",
        "max": "2",
        "origin": "appraisal_only",
        "rule": "Hội đồng thẩm định chấm",
        "scoring": {"method": "appraisal_only"},
    },
    {
        "id": "1.8",
        "name": "Điều tra XHH",
        "max": "4",
        "origin": "survey",
        "rule": "Kết quả SIPAS / 100 × 4",
        "scoring": {"method": "survey", "scale": 100},
    },
]

COHORT_YAML = """\
ruleset: test-2024/so
year: 2024
units:
  - unit: u-a
    name: Đơn vị A <b>&
    group: nhom-1
    items:
      "1.1": {self: Kịp thời, appraisal: [khong_kip_thoi]}
      "1.2": {self: "95,5", appraisal: [88]}
      "1.3":
        self: {dung_han: 2, tong_so: 3}
        appraisal: [{dung_han: 1}]
        evidence: [{number: 12/KH-UBND, date: "2024-01-10", title: Kế hoạch năm}]
        explanation: Đã nộp đủ
      "1.4": {self: {du_so_luong: true, dung_han: false}}
      "1.5": {self: Có}
      "1.6": {self: "1.75", appraisal: ["1.5", "1.25"]}
      "1.7": {appraisal: ["1.5"]}
      "1.8": {survey: {"2024": "87,5"}}
  - unit: u-b
    name: Đơn vị B
    group: nhom-1
    ranked: false
    reason: Mới thành lập
    items:
      "1.1": {self: khong}
      "1.2": {self: 70}
      "1.3": {applicable: false, reason: Không phát sinh hồ sơ}
      "1.4": {self: {du_so_luong: true, dung_han: true}}
      "1.5": {self: false}
      "1.6": {self: 2}
      "1.7": {appraisal: [2]}
      "1.8": {survey: {"2024": 50}}
"""


def rich_ruleset(**top: object) -> pr.Ruleset:
    doc = ruleset_doc([dict(c) for c in CRITERIA], **top)
    return pr.loads(json.dumps(doc, ensure_ascii=False), "rich.yaml")


def write_cohort(directory: Path) -> Path:
    path = directory / "cohort.yaml"
    path.write_text(COHORT_YAML, encoding="utf-8")
    return path
