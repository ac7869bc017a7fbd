"""Rule text into a scoring method, when the text is one of the shapes annexes use.

Recognised (each line is one outcome, written "label: N điểm", or a sub-row whose points sit in
the maximum column):

- labelled outcomes — "Ban hành kịp thời: 1 điểm" → ``choice``;
- percentage bands — "Từ 80% đến dưới 100%: 0,5 điểm", "trên 90%", "dưới 70%",
  "từ 70% - 90%" → ``bands`` over a percent input, each bound included or excluded exactly as
  written (từ and đến include, trên and dưới exclude);
- ratio rules — "Tỷ lệ = a/b; Điểm = Tỷ lệ × Điểm tối đa", with "a = ..." and "b = ..." → a
  ``formula`` over two counts;
- count steps — "4 cuộc/năm: 20 điểm; 3 cuộc: 15; ...; các trường hợp còn lại: 0" → ``bands``
  over a count.

Anything else stays a ``points`` item with the verbatim text and a note to review: a rule is
never guessed. Bands that would leave a gap or overlap, or outcomes above the maximum, are not
guessed into shape either.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from parindex_rules.intervals import Interval, coverage_problems
from parindex_rules.methods.bands import KIND_DOMAINS
from parindex_rules.model.ruleset import Bounds
from parindex_rules.numbers import NotADecimal, format_exact, parse_decimal

_NUMBER = r"(\d+(?:[.,]\d+)?)"
_PERCENT = _NUMBER + r"\s*%"
_TO = r"\s*(?:đến|tới|-|–|—)\s*"
_POINTS = re.compile(
    r"^(?P<label>.*?\S)\s*(?::|：|=)\s*(?P<points>\d+(?:[.,]\d+)?)\s*(?:điểm|đ)?\s*[.;]?$",
    re.IGNORECASE,
)
_POINTS_PAREN = re.compile(
    r"^(?P<label>.*?\S)\s*\(\s*(?P<points>\d+(?:[.,]\d+)?)\s*(?:điểm|đ)\s*\)\s*[.;]?$",
    re.IGNORECASE,
)
_POINTS_DASH = re.compile(
    r"^(?P<label>.*?\S)\s+[-–—]\s+(?P<points>\d+(?:[.,]\d+)?)\s*(?:điểm|đ)\s*[.;]?$",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^\s*(?:[-+•–—*]|[a-zđ]\)|\d+\))\s+", re.IGNORECASE)

#: Percentage bounds, most specific first: (pattern, names of the bounds it sets).
_PERCENT_FORMS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), names)
    for pattern, names in (
        (rf"từ\s*{_PERCENT}{_TO}dưới\s*{_PERCENT}", ("from", "below")),
        (rf"từ\s*{_PERCENT}{_TO}{_PERCENT}", ("from", "to")),
        (rf"từ\s*{_NUMBER}{_TO}dưới\s*{_PERCENT}", ("from", "below")),
        (rf"từ\s*{_NUMBER}{_TO}{_PERCENT}", ("from", "to")),
        (rf"trên\s*{_PERCENT}{_TO}dưới\s*{_PERCENT}", ("above", "below")),
        (rf"trên\s*{_PERCENT}{_TO}{_PERCENT}", ("above", "to")),
        (rf"(?:từ\s*)?{_PERCENT}\s*trở\s*lên", ("from",)),
        (rf"(?:trên|lớn hơn|cao hơn|nhiều hơn)\s*{_PERCENT}", ("above",)),
        (rf"(?:dưới|nhỏ hơn|thấp hơn|ít hơn)\s*{_PERCENT}", ("below",)),
        (rf"{_PERCENT}\s*trở\s*xuống", ("to",)),
        (rf"(?:không quá|tối đa)\s*{_PERCENT}", ("to",)),
        (rf"từ\s*{_PERCENT}", ("from",)),
        (rf"(?:đạt|bằng|=)\s*{_PERCENT}", ("equals",)),
        (rf"^\s*{_PERCENT}\s*$", ("equals",)),
    )
)

_UNITS = (
    r"cuộc|lần|buổi|đợt|kỳ|văn bản|báo cáo|hội nghị|sáng kiến|mô hình|đơn vị|thủ tục|hồ sơ|"
    r"cơ quan|người|tin|bài|chuyên đề|kế hoạch|đoàn"
)
_COUNT_FORMS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), names)
    for pattern, names in (
        (rf"từ\s*(\d+){_TO}dưới\s*(\d+)\s*(?:{_UNITS})", ("from", "below")),
        (rf"từ\s*(\d+){_TO}(\d+)\s*(?:{_UNITS})", ("from", "to")),
        (rf"(?:từ\s*)?(\d+)\s*(?:{_UNITS})\b.*?trở\s*lên", ("from",)),
        (rf"(?:trên|nhiều hơn)\s*(\d+)\s*(?:{_UNITS})", ("above",)),
        (rf"(?:dưới|ít hơn)\s*(\d+)\s*(?:{_UNITS})", ("below",)),
        (rf"(?:^|\s)(\d+)\s*(?:{_UNITS})(?:\b|/)", ("equals",)),
    )
)

_REST = re.compile(
    r"^(?:các\s+)?(?:trường hợp\s+)?(?:còn lại|khác)$|^(?:các\s+)?trường hợp khác$|^ngoài ra$",
    re.IGNORECASE,
)
_NONE = re.compile(r"^không\s+(?:tổ chức|thực hiện|có|ban hành|họp)\b", re.IGNORECASE)

_RATIO = re.compile(
    r"tỷ\s*lệ\s*(?:\([^)]*\))?\s*=\s*\(?\s*([a-z])\s*/\s*([a-z])\s*\)?\s*$", re.IGNORECASE
)
_RATIO_SCORE = re.compile(
    r"^điểm\s*(?:\([^)]*\))?\s*=\s*tỷ\s*lệ\s*[x×*]\s*(?:\(\s*)?điểm\s*tối\s*đa"
    r"(?:\s*(?:của\s+)?(?:tiêu chí|tiêu chí thành phần|nội dung))?\s*\)?\s*\.?$",
    re.IGNORECASE,
)
_DEFINITION = re.compile(r"^([a-z])\s*(?::|=|là)\s*(.+?)\s*[;.]?$", re.IGNORECASE)


@dataclass(frozen=True)
class RuleLine:
    """One line of a rule: a line of the rule column, or a sub-row (label and points)."""

    text: str
    label: str | None = None
    points: str | None = None


@dataclass
class ParsedRule:
    """The scoring written for one leaf, and what a person should check."""

    method: str
    scoring: dict[str, Any]
    inputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    recognised: bool = True
    review: list[str] = field(default_factory=list)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def split_lines(text: str) -> list[str]:
    """The lines of a rule cell, bullets removed; several "a: 1; b: 0" pairs on one line split."""
    out = []
    for raw in _nfc(text).splitlines():
        line = _BULLET.sub("", raw).strip()
        if not line:
            continue
        parts = [p.strip() for p in re.split(r"\s*[;·]\s*", line) if p.strip()]
        if len(parts) > 1 and all(_labelled(p) for p in parts):
            out.extend(parts)
        else:
            out.append(line)
    return out


def _labelled(text: str) -> tuple[str, str] | None:
    for pattern in (_POINTS, _POINTS_PAREN, _POINTS_DASH):
        match = pattern.match(text.strip())
        if match:
            return match.group("label").strip(), match.group("points")
    return None


def input_name(prefix: str, node_id: str) -> str:
    """A ruleset-wide unique input name from the item's id: ty_le_1_1_4, a_i_8_1."""
    return f"{prefix}_" + re.sub(r"[^a-z0-9]+", "_", node_id.lower()).strip("_")


def option_key(label: str, taken: set[str]) -> str:
    """A short ASCII key from the label ("Ban hành kịp thời" → ban_hanh_kip_thoi)."""
    text = _nfc(label).replace("đ", "d").replace("Đ", "D")
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    words = re.findall(r"[a-z0-9]+", text.lower())
    key = ""
    for word in words:  # whole words, up to about 40 characters
        if key and len(key) + 1 + len(word) > 40:
            break
        key = f"{key}_{word}" if key else word
    key = key or "muc"
    if key[0].isdigit():
        key = "muc_" + key
    candidate, n = key, 2
    while candidate in taken:
        candidate, n = f"{key}_{n}", n + 1
    taken.add(candidate)
    return candidate


def _decimal(text: str) -> Decimal:
    return parse_decimal(text.strip())


def parse_rule(lines: list[RuleLine], *, node_id: str, name: str, maximum: Decimal) -> ParsedRule:
    """The scoring method a rule's lines describe, or `points` with a note to review."""
    if not lines:
        return _unrecognised("no rule text: the score is given directly; check the decision")
    ratio = _ratio(lines, node_id, name)
    if ratio is not None:
        return ratio
    pairs: list[tuple[str, Decimal]] = []
    for line in lines:
        if line.label is not None and line.points is not None:
            label, points_text = _nfc(line.label).strip(), line.points
        else:
            found = _labelled(line.text)
            if found is None:
                return _unrecognised(f"rule text not recognised: {line.text!r}")
            label, points_text = found
        try:
            points = _decimal(points_text)
        except NotADecimal:
            return _unrecognised(f"points not read in {line.text!r}")
        pairs.append((_BULLET.sub("", label).strip(), points))
    if any(points > maximum for _, points in pairs):
        top = max(points for _, points in pairs)
        return _unrecognised(
            f"an outcome gives {format_exact(top)}, more than the maximum {format_exact(maximum)}"
        )
    percent = [_percent_bounds(label) for label, _ in pairs]
    if all(b is not None for b in percent):
        return _bands(pairs, percent, "percent", node_id, name)
    counts = [_count_bounds(label) for label, _ in pairs]
    numbered = [b for b in counts if b not in (None, "rest", "none")]
    if numbered and all(b is not None for b in counts):
        return _count_bands(pairs, counts, node_id, name)
    if any(b is not None for b in percent) or numbered:
        return _unrecognised(
            "some outcomes are thresholds and some are not: "
            + " · ".join(f"{label}: {format_exact(p)}" for label, p in pairs)
        )
    return _choice(pairs)


def _unrecognised(reason: str) -> ParsedRule:
    return ParsedRule("points", {"method": "points"}, recognised=False, review=[reason])


def _choice(pairs: list[tuple[str, Decimal]]) -> ParsedRule:
    taken: set[str] = set()
    labels = [label.casefold() for label, _ in pairs]
    if len(set(labels)) != len(labels):
        return _unrecognised("two outcomes have the same words")
    options = [
        {"key": option_key(label, taken), "label": label, "points": points}
        for label, points in pairs
    ]
    return ParsedRule("choice", {"method": "choice", "options": options})


def _percent_bounds(label: str) -> dict[str, Decimal] | None:
    if label.count("%") == 0:
        return None
    for pattern, names in _PERCENT_FORMS:
        match = pattern.search(label)
        if match is None:
            continue
        rest = label[: match.start()] + label[match.end() :]
        if "%" in rest:
            return None  # a second figure this form does not explain
        return {n: _decimal(v) for n, v in zip(names, match.groups(), strict=True)}
    return None


def _count_bounds(label: str) -> dict[str, Decimal] | str | None:
    if "%" in label:
        return None
    if _REST.match(label.strip()):
        return "rest"
    if _NONE.match(label.strip()) and not re.search(r"\d", label):
        return "none"
    for pattern, names in _COUNT_FORMS:
        match = pattern.search(label)
        if match is None:
            continue
        rest = label[: match.start()] + label[match.end() :]
        if re.search(r"\d", rest):
            return None
        return {n: _decimal(v) for n, v in zip(names, match.groups(), strict=True)}
    return None


def _band(bounds: dict[str, Decimal], points: Decimal, label: str) -> dict[str, Any]:
    band: dict[str, Any] = dict(bounds)
    band["points"] = points
    band["label"] = label
    return band


def _interval(bounds: dict[str, Decimal]) -> Interval:
    return Interval.from_bounds(
        Bounds.model_validate({k: v for k, v in bounds.items() if k not in ("points", "label")})
    )


def _check_bands(bands: list[dict[str, Any]], kind: str) -> str | None:
    intervals = [_interval(b) for b in bands]
    if any(i.empty for i in intervals):
        return "a band's bounds leave no value inside it"
    unit = "%" if kind == "percent" else ""
    problems = coverage_problems(
        intervals, KIND_DOMAINS[kind], integers_only=kind == "count", unit=unit
    )
    if problems:
        return "; ".join(p.text for p in problems)
    return None


def _bands(
    pairs: list[tuple[str, Decimal]],
    bounds: list[Any],
    kind: str,
    node_id: str,
    name: str,
) -> ParsedRule:
    bands = [_band(b, points, label) for (label, points), b in zip(pairs, bounds, strict=True)]
    problem = _check_bands(bands, kind)
    if problem is not None:
        return _unrecognised(f"the bands as written do not cover every value: {problem}")
    field_name = input_name("ty_le", node_id)
    return ParsedRule(
        "bands",
        {"method": "bands", "input": field_name, "bands": bands},
        inputs={field_name: {"label": f"Tỷ lệ (%) — {name}", "kind": "percent"}},
    )


def _count_bands(
    pairs: list[tuple[str, Decimal]], bounds: list[Any], node_id: str, name: str
) -> ParsedRule:
    listed = [b for b in bounds if isinstance(b, dict)]
    bands: list[dict[str, Any]] = []
    for (label, points), b in zip(pairs, bounds, strict=True):
        if isinstance(b, dict):
            bands.append(_band(b, points, label))
        elif b == "none":
            bands.append(_band({"equals": Decimal(0)}, points, label))
        else:  # "the other cases": every whole number no listed band covers
            for piece in _complement([_interval(x) for x in listed] + _zero_if_none(bounds)):
                bands.append(_band(piece, points, label))
    problem = _check_bands(bands, "count")
    if problem is not None:
        return _unrecognised(f"the steps as written do not cover every count: {problem}")
    field_name = input_name("so_luong", node_id)
    return ParsedRule(
        "bands",
        {"method": "bands", "input": field_name, "bands": bands},
        inputs={field_name: {"label": f"Số lượng — {name}", "kind": "count"}},
    )


def _zero_if_none(bounds: list[Any]) -> list[Interval]:
    return [Interval(Decimal(0), True, Decimal(0), True)] if "none" in bounds else []


def _complement(intervals: list[Interval]) -> list[dict[str, Decimal]]:
    """The whole numbers ≥ 0 none of `intervals` covers, as from/to/equals bounds."""
    covered: list[tuple[Decimal, Decimal | None]] = []
    for i in intervals:
        low = i.low if i.low is not None else Decimal(0)
        if i.low is not None and not i.low_closed:
            low = i.low + 1
        high = i.high
        if high is not None and not i.high_closed:
            high = high - 1
        covered.append((low, high))
    covered.sort(key=lambda x: x[0])
    out: list[dict[str, Decimal]] = []
    start = Decimal(0)
    for low, high in covered:
        if low > start:
            end = low - 1
            out.append({"equals": start} if end == start else {"from": start, "to": end})
        if high is None:
            return out
        start = max(start, high + 1)
    out.append({"from": start})
    return out


def _ratio(lines: list[RuleLine], node_id: str, name: str) -> ParsedRule | None:
    texts = [_nfc(line.text).strip() for line in lines]
    ratio = score = None
    definitions: dict[str, str] = {}
    for text in texts:
        for part in (p.strip() for p in re.split(r"\s*;\s*", text) if p.strip()):
            r = _RATIO.search(part)
            if r and ratio is None:
                ratio = (r.group(1).lower(), r.group(2).lower())
                continue
            if _RATIO_SCORE.match(part):
                score = part
                continue
            d = _DEFINITION.match(part)
            if d:
                definitions[d.group(1).lower()] = d.group(2).strip()
                continue
            return None
    if ratio is None or score is None:
        return None
    a, b = ratio
    if a == b or a not in definitions or b not in definitions:
        return None
    name_a, name_b = input_name(a, node_id), input_name(b, node_id)
    return ParsedRule(
        "formula",
        {"method": "formula", "formula": f"ratio({name_a}, {name_b}) * max"},
        inputs={
            name_a: {"label": definitions[a], "kind": "count"},
            name_b: {"label": definitions[b], "kind": "count"},
        },
        review=[
            f"the rule does not say what {b} = 0 gives: add `on_zero_denominator` if the "
            "decision says (else a unit with no such case is an error)"
        ],
    )
