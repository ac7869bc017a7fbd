"""A two-leaf test ruleset whose second leaf uses the method under test, and its facts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

HEAD = """\
id: test-2024/so
title: Thử nghiệm plugin
province: Thử nghiệm
level: so
year: 2024
decision: {number: "0"}
max: 2
provisional: kiểm thử
fields:
  - id: "1"
    name: Lĩnh vực
    max: 2
    provisional: kiểm thử
    criteria:
      - id: "1.1"
        name: Tiêu chí thường
        max: 1
        rule: quy tắc
        provisional: kiểm thử
        scoring: {method: points}
      - id: "1.2"
        name: Tiêu chí dùng plugin
        max: 1
        rule: quy tắc
        provisional: kiểm thử
"""
#: The line of leaf 1.2's `scoring:` key; `method:` and the settings follow from the next line.
SCORING_LINE = HEAD.count("\n") + 1


def ruleset_text(method: str, *settings: str, inputs: str = "", extra: str = "") -> str:
    """`settings` are YAML lines under `scoring:` (without indentation), from line 28 on.

    `inputs` declares leaf 1.2's inputs (``"x: {label: X, kind: number}"``, shifting the
    lines); `extra` is appended at the top level (``derived:``, ``parameters:``).
    """
    lines = [f"          {line}" for line in (f"method: {method}", *settings)]
    leaf = f"        inputs:\n          {inputs}\n" if inputs else ""
    return HEAD + leaf + "        scoring:\n" + "\n".join(lines) + "\n" + extra


def write_ruleset(tmp_path: Path, method: str, *settings: str, **more: str) -> Path:
    path = tmp_path / "ruleset.yaml"
    path.write_text(ruleset_text(method, *settings, **more), encoding="utf-8")
    return path


def facts(*values: Any) -> dict[str, Any]:
    """One unit per value given for leaf 1.2; leaf 1.1 always scores 1."""
    return {
        "ruleset": "test-2024/so",
        "year": 2024,
        "units": [
            {
                "unit": f"u{i}",
                "name": f"Đơn vị {i}",
                "items": {"1.1": {"self": 1}, "1.2": {"self": v}},
            }
            for i, v in enumerate(values)
        ],
    }
