"""Shared fixtures and the hypothesis profiles (CI runs the `ci` profile)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
#: Every ruleset the project ships: the province rulesets, the examples and the demo plugin's
#: pack (its cohorts under rulesets/*/examples/ are facts files, not rulesets).
SHIPPED_RULESETS = sorted(
    [
        *(ROOT / "rulesets").glob("*/*.yaml"),
        *EXAMPLES.glob("*/ruleset.yaml"),
        *(EXAMPLES / "plugins").rglob("rulesets/*/*.yaml"),
    ]
)

settings.register_profile(
    "ci", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=60, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture
def root() -> Path:
    return ROOT
