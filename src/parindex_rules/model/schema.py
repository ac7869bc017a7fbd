"""JSON Schemas of the ruleset and facts formats, for editors and other tools.

The ruleset schema includes the settings of every installed scoring method (plugins included)
under `scoring`, and accepts policies written plainly (``evidence: required``) or with their
source (``evidence: {value: required, source: ...}``).
"""

from __future__ import annotations

from typing import Any

from parindex_rules.methods.base import get_method, method_names
from parindex_rules.model.facts import FactsDocument
from parindex_rules.model.ruleset import RulesetDocument

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def ruleset_schema() -> dict[str, Any]:
    schema = RulesetDocument.model_json_schema(by_alias=True)
    defs: dict[str, Any] = schema.setdefault("$defs", {})
    # Policies may be written plainly or with provenance.
    for name, definition in list(defs.items()):
        if name.startswith("Sourced_"):
            plain = definition["properties"]["value"]
            defs[name] = {
                "anyOf": [plain, definition],
                "description": definition.get("description", ""),
            }
    # `scoring` is validated by the method named in it: one alternative per installed method.
    options = []
    for name in method_names():
        method = get_method(name)
        if method is None:
            continue
        sub = method.Config.model_json_schema(by_alias=True, ref_template="#/$defs/{model}")
        sub_defs: dict[str, Any] = sub.pop("$defs", {})
        # A plugin's nested model may share a name with another, different one: keep both.
        renames = {k: f"{name}.{k}" for k, v in sub_defs.items() if k in defs and defs[k] != v}
        if renames:
            sub = _rename_refs(sub, renames)
            sub_defs = {renames.get(k, k): _rename_refs(v, renames) for k, v in sub_defs.items()}
        for key, value in sub_defs.items():
            defs.setdefault(key, value)
        sub["properties"]["method"] = {"const": name, "description": method.summary}
        sub["title"] = f"scoring: {name}"
        options.append(sub)
    for node in ("SubCriterion", "Criterion", "FieldNode"):
        props = defs[node]["properties"]
        props["scoring"] = {
            "anyOf": [{"oneOf": options}, {"type": "null"}],
            "description": props["scoring"].get("description", ""),
        }
    schema["$schema"] = SCHEMA_DIALECT
    schema["title"] = "parindex-rules ruleset"
    return schema


def _rename_refs(schema: Any, renames: dict[str, str]) -> Any:
    """A copy of `schema` whose ``$ref``s to renamed definitions follow the new names."""
    if isinstance(schema, dict):
        out = {k: _rename_refs(v, renames) for k, v in schema.items()}
        ref = out.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            target = ref[len("#/$defs/") :]
            out["$ref"] = "#/$defs/" + renames.get(target, target)
        return out
    if isinstance(schema, list):
        return [_rename_refs(v, renames) for v in schema]
    return schema


def facts_schema() -> dict[str, Any]:
    schema = FactsDocument.model_json_schema(by_alias=True)
    schema["$schema"] = SCHEMA_DIALECT
    schema["title"] = "parindex-rules facts"
    return schema
