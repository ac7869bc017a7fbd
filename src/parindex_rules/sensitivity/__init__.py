"""Sensitivity of rankings to declared parameters (Monte Carlo; docs/scale.md).

``analyse(ruleset, facts, ["threshold:1.1.4=±5", "weight:survey=±20%"], replicates=1000)``
gives each unit's rank interval and which parameters move ranks most. Needs numpy.
"""

from __future__ import annotations

from parindex_rules.sensitivity.analysis import (
    Influence,
    SensitivityResult,
    UnitSensitivity,
    analyse,
)
from parindex_rules.sensitivity.spec import Parameter, SpecError, parse

__all__ = [
    "Influence",
    "Parameter",
    "SensitivityResult",
    "SpecError",
    "UnitSensitivity",
    "analyse",
    "parse",
]
