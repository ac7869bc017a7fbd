"""Batch evaluation: many units of one ruleset at once, vectorised across units, exact.

``Ruleset.evaluate_many(table)`` is the entry point (docs/scale.md). Needs numpy (the
``batch`` extra); pandas and pyarrow tables are accepted when those are installed.
"""

from __future__ import annotations

from parindex_rules.batch.columns import Coded
from parindex_rules.batch.result import BatchResult

__all__ = ["BatchResult", "Coded", "evaluate_many"]


def evaluate_many(ruleset: object, table: object, **options: object) -> BatchResult:
    """Same as ``ruleset.evaluate_many(table, **options)``."""
    return ruleset.evaluate_many(table, **options)  # type: ignore[attr-defined, no-any-return]
