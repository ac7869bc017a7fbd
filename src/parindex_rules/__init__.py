"""parindex-rules: Vietnam's administrative-reform index rule books as code.

Load a province ruleset, score units exactly, explain every number, rank.
See docs/api.md.
"""

from __future__ import annotations

from parindex_rules.api import CohortResult, Ruleset, load, load_facts, loads, validate_ruleset
from parindex_rules.codes import Severity
from parindex_rules.diagnostics import (
    Diagnostic,
    DiagnosticError,
    FactsError,
    ParindexError,
    RulesetError,
)
from parindex_rules.evaluate.explanation import Explanation
from parindex_rules.evaluate.result import NodeResult, UnitResult
from parindex_rules.loader.facts import Facts
from parindex_rules.plugins import API_VERSION

__version__ = "0.1.0"

__all__ = [
    "API_VERSION",
    "CohortResult",
    "Diagnostic",
    "DiagnosticError",
    "Explanation",
    "Facts",
    "FactsError",
    "NodeResult",
    "ParindexError",
    "Ruleset",
    "RulesetError",
    "Severity",
    "UnitResult",
    "__version__",
    "load",
    "load_facts",
    "loads",
    "validate_ruleset",
]
