"""`parindex fmt`: canonical layout, comments kept, meaning never changed."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import parindex_rules as pr
from parindex_rules.authoring import fmt as fmt_module
from parindex_rules.authoring.fmt import NODE_ORDER, TOP_ORDER, format_text
from parindex_rules.authoring.snapshot import snapshot
from parindex_rules.cli import main
from parindex_rules.diagnostics import DiagnosticError
from parindex_rules.loader.yaml import load_yaml_text
from parindex_rules.model.ruleset import Criterion, FieldNode, RulesetDocument, SubCriterion

from ..conftest import ROOT, SHIPPED_RULESETS
from .conftest import CAMAU

MESSY = """\
# header comment
title: T   # about the title
id: x-2020/so
# about the decision
decision:
    issuer: "UBND tỉnh"
    number: '12/QĐ-UBND'
year: 2020
level: so
province: Tỉnh ví dụ
fields:
    -   name: LĨNH VỰC MỘT
        # the id comment
        id: "1"
        max: 1
        source: {row: '1', document: d}
        criteria:
        -   scoring: {method: points}
            rule: |
              # not a comment: rule text
              Đạt: 1
            id: 1.1
            max: 1.0
            source: {document: d, row: '1.1'}
            name: Tiêu chí một   # name comment
# trailing comment
max: 1
source: {document: d, row: "1"}
documents:
  d: {title: Văn bản ví dụ}
"""

MESSY_FORMATTED = """\
# header comment
id: x-2020/so
title: T  # about the title
province: Tỉnh ví dụ
level: so
year: 2020
# about the decision
decision:
  number: 12/QĐ-UBND
  issuer: UBND tỉnh
# trailing comment
max: 1
source: {document: d, row: "1"}
documents:
  d: {title: Văn bản ví dụ}
fields:
  # the id comment
  - id: "1"
    name: LĨNH VỰC MỘT
    max: 1
    source: {document: d, row: "1"}
    criteria:
      - id: "1.1"
        name: Tiêu chí một  # name comment
        max: 1.0
        rule: |
          # not a comment: rule text
          Đạt: 1
        source: {document: d, row: "1.1"}
        scoring: {method: points}
"""


def test_messy_file_gets_the_canonical_layout() -> None:
    out = format_text(MESSY, "messy.yaml")
    assert out == MESSY_FORMATTED
    assert format_text(out) == out
    assert snapshot(pr.loads(out)) == snapshot(pr.loads(MESSY))


def test_canonical_orders_cover_every_key_of_the_model() -> None:
    aliases = {info.alias or name for name, info in RulesetDocument.model_fields.items()}
    assert set(TOP_ORDER) == aliases
    node_keys = set()
    for model in (FieldNode, Criterion, SubCriterion):
        node_keys |= {info.alias or name for name, info in model.model_fields.items()}
    assert set(NODE_ORDER) == node_keys


def test_example_keeps_meaning_comments_and_vietnamese() -> None:
    text = CAMAU.read_text(encoding="utf-8")
    out = format_text(text, str(CAMAU))
    assert snapshot(pr.loads(out)) == snapshot(pr.load(CAMAU))
    assert comments(out) == comments(text)
    assert "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC" in out and "\\u" not in out
    assert format_text(out) == out


@pytest.mark.parametrize("path", SHIPPED_RULESETS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_shipped_ruleset_is_in_the_canonical_layout(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`parindex fmt --check` passes on every ruleset the project ships, so that an author
    copying one starts from the canonical layout (and `fmt` on it changes nothing)."""
    assert main(["fmt", "--check", str(path)]) == 0, capsys.readouterr().err
    text = path.read_text(encoding="utf-8")
    assert format_text(text, str(path)) == text


def test_check_and_write(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "messy.yaml"
    path.write_text(MESSY, encoding="utf-8")
    assert main(["fmt", "--check", str(path)]) == 1
    assert path.read_text(encoding="utf-8") == MESSY  # --check writes nothing
    assert f"would reformat {path}" in capsys.readouterr().err
    assert main(["fmt", str(tmp_path)]) == 0
    assert path.read_text(encoding="utf-8") == MESSY_FORMATTED
    assert sorted(p.name for p in tmp_path.iterdir()) == ["messy.yaml"]  # no temporary left
    assert main(["fmt", "--check", str(path)]) == 0


def test_unreadable_file_is_reported_and_left_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.yaml"
    bad = "id: x\nfields:\n  - id: 1\n   name: [\n"
    path.write_text(bad, encoding="utf-8")
    assert main(["fmt", str(path)]) == 1
    err = capsys.readouterr().err
    assert re.search(rf"{re.escape(str(path))}:\d+:\d+: PR004 ", err)
    assert path.read_text(encoding="utf-8") == bad


def test_a_missing_path_is_pr001_and_the_other_files_are_still_done(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Like every other verb, a file that does not exist is PR001 with exit 1 (not exit 2, which
    means the command line itself is wrong); the files that exist are formatted all the same."""
    missing = tmp_path / "missing.yaml"
    path = tmp_path / "messy.yaml"
    path.write_text(MESSY, encoding="utf-8")
    assert main(["fmt", str(missing), str(path)]) == 1
    err = capsys.readouterr().err
    assert f"{missing}:0:0: PR001 cannot read file: No such file or directory" in err
    assert f"formatted {path}" in err
    assert path.read_text(encoding="utf-8") == MESSY_FORMATTED


def test_a_layout_that_would_change_a_value_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """The read-back guard: a (simulated) layout bug that changes 14.50 into 14.5 is refused."""
    monkeypatch.setattr(fmt_module, "_tidy", lambda text: text.replace("14.50", "14.5"))
    with pytest.raises(DiagnosticError) as caught:
        format_text("id: x\nmax: 14.50\n", "x.yaml")
    [problem] = caught.value.diagnostics
    assert problem.code == "PR851"
    assert "the number at max" in problem.message


# -- property: any layout of the same ruleset formats to a file that compiles the same


def comments(text: str) -> list[str]:
    """Every comment's text, in order (none of the data here holds a '#')."""
    found = []
    for line in text.splitlines():
        match = re.search(r"(?:^|\s)(#.*)$", line)
        if match:
            found.append(match.group(1).strip())
    return found


_PLAIN = re.compile(r"^[A-Za-zÀ-ỹĐđ][\w À-ỹĐđ()/.-]*$")
_RESERVED = {"true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"}


class Layout:
    """Write plain data as YAML, with key order, indentation, quoting, flow or block style and
    comments drawn by hypothesis."""

    def __init__(self, draw: st.DrawFn) -> None:
        self.draw = draw
        self.indent = draw(st.sampled_from([2, 3, 4]))
        self.dash_inside = draw(st.booleans())
        self.count = 0

    def maybe_comment(self) -> str | None:
        if not self.draw(st.booleans()):
            return None
        self.count += 1
        return f"# c{self.count} ghi chú"

    def scalar(self, value: Any, flow: bool) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | Decimal):
            return str(value)
        if value is None:
            return "null"
        text = str(value)
        style = self.draw(st.sampled_from(["plain", "double", "single"]))
        plain_ok = (
            _PLAIN.match(text)
            and text.lower() not in _RESERVED
            and not (flow and any(c in text for c in ",[]{}"))
        )
        if style == "plain" and plain_ok:
            return text
        if style == "single":
            return "'" + text.replace("'", "''") + "'"
        return json.dumps(text, ensure_ascii=False)

    def flow(self, value: Any) -> str:
        if isinstance(value, dict):
            keys = self.draw(st.permutations(list(value)))
            return "{" + ", ".join(f"{k}: {self.flow(value[k])}" for k in keys) + "}"
        if isinstance(value, list):
            return "[" + ", ".join(self.flow(v) for v in value) + "]"
        return self.scalar(value, True)

    @staticmethod
    def flat(value: Any) -> bool:
        items = value.values() if isinstance(value, dict) else value
        return all(not isinstance(v, dict | list) for v in items)

    def mapping(self, value: dict[str, Any], col: int) -> list[str]:
        lines: list[str] = []
        for key in self.draw(st.permutations(list(value))):
            comment = self.maybe_comment()
            if comment:
                lines.append(" " * col + comment)
            lines.extend(self.entry(" " * col + f"{key}:", value[key], col))
        return lines

    def entry(self, head: str, value: Any, col: int) -> list[str]:
        comment = self.maybe_comment()
        eol = f"  {comment}" if comment else ""
        if isinstance(value, dict | list) and value:
            if self.flat(value) and self.draw(st.booleans()):
                return [f"{head} {self.flow(value)}{eol}"]
            if isinstance(value, dict):
                return [head + eol, *self.mapping(value, col + self.indent)]
            return [
                head + eol,
                *self.sequence(value, col + (self.indent if self.dash_inside else 0)),
            ]
        if isinstance(value, dict | list):
            return [f"{head} {self.flow(value)}{eol}"]
        return [f"{head} {self.scalar(value, False)}{eol}"]

    def sequence(self, value: list[Any], col: int) -> list[str]:
        lines: list[str] = []
        dash = " " * col + "- "
        for item in value:
            if (
                isinstance(item, dict)
                and item
                and not (self.flat(item) and self.draw(st.booleans()))
            ):
                inner = self.mapping(item, col + 2)
                while inner[0].lstrip().startswith("#"):  # a comment cannot share the dash's line
                    lines.append(" " * col + inner.pop(0).lstrip())
                lines.append(dash + inner[0][col + 2 :])
                lines.extend(inner[1:])
            elif isinstance(item, dict | list):
                lines.append(dash + self.flow(item))
            else:
                lines.append(dash + self.scalar(item, False))
        return lines


@st.composite
def layouts(draw: st.DrawFn) -> str:
    data = load_yaml_text(CAMAU.read_text(encoding="utf-8"), "camau").data
    return "\n".join(Layout(draw).mapping(data, 0)) + "\n"


BASELINE = snapshot(pr.load(CAMAU))


# Each example formats and compiles a whole ruleset (about 0.25 s): a quarter of the profile's
# examples (ci: 50, dev: 15) covers the layouts well enough.
@settings(max_examples=max(10, settings().max_examples // 4))
@given(layouts())
def test_fmt_keeps_meaning_and_comments_of_any_layout(text: str) -> None:
    original = load_yaml_text(CAMAU.read_text(encoding="utf-8"), "camau").data
    assert load_yaml_text(text, "drawn").data == original  # the drawn layout says the same
    out = format_text(text, "drawn.yaml")
    assert snapshot(pr.loads(out)) == BASELINE
    assert sorted(comments(out)) == sorted(comments(text))
    assert format_text(out) == out
