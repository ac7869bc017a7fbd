"""Reading facts into exact values, shared by the built-in methods."""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from typing import Any

from parindex_rules.methods.base import FactProblem
from parindex_rules.numbers import NotADecimal, Number, format_exact, parse_decimal


def read_decimal(raw: Any, what: str = "a score") -> Decimal:
    """An exact decimal from a fact, or FactProblem PR504."""
    try:
        return parse_decimal(raw)
    except NotADecimal as exc:
        raise FactProblem("PR504", f"expected {what} (a number): {exc}") from None


def fold(text: str) -> str:
    """Compare labels as people write them: NFC, case-folded, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def points_text(value: Number) -> str:
    return format_exact(value)
