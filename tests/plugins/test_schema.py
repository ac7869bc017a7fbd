"""`parindex schema` takes in plugin methods' settings, even when their model names clash."""

from __future__ import annotations

import json

import pytest

from parindex_rules.cli import main

from .conftest import FakeDist

CLASHING = """
from decimal import Decimal
from pydantic import BaseModel, ConfigDict
from parindex_rules.methods.base import MethodConfig, Outcome, ScoringMethod

class Condition(BaseModel):  # same name as the checklist's, other fields
    model_config = ConfigDict(extra="forbid")
    code: int

class Config(MethodConfig):
    conditions: list[Condition]

class Clash(ScoringMethod):
    api_version = 1
    Config = Config
    def evaluate(self, ctx):
        return Outcome(score=Decimal(0))
"""


def test_a_plugin_model_sharing_a_name_keeps_its_own_definition(
    fake_dist: FakeDist, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_dist("fake-schema", {"methods": {"clash": "{module}:Clash"}}, CLASHING)
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    defs = schema["$defs"]
    options = {
        o["properties"]["method"]["const"]: o
        for o in defs["Criterion"]["properties"]["scoring"]["anyOf"][0]["oneOf"]
    }
    assert options["clash"]["properties"]["conditions"]["items"] == {
        "$ref": "#/$defs/clash.Condition"
    }
    assert set(defs["clash.Condition"]["properties"]) == {"code"}
    assert options["checklist"]["properties"]["conditions"]["items"] == {
        "$ref": "#/$defs/Condition"
    }
    assert "label" in defs["Condition"]["properties"]
