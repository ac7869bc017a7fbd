"""Write a ruleset document back out as YAML.

The output is a plain, complete rendering of the model (defaults left out), so loading it again
compiles to the same graph. Layout-preserving editing of a hand-written file (comments, key
order) is `parindex fmt`'s job, not this module's.
"""

from __future__ import annotations

import io
from typing import Any

from ruamel.yaml import YAML

from parindex_rules.model.ruleset import RulesetDocument


def document_data(document: RulesetDocument) -> dict[str, Any]:
    """Plain data (decimals as text, so they stay exact) without the model's defaults."""
    data: dict[str, Any] = document.model_dump(
        mode="json", by_alias=True, exclude_none=True, exclude_defaults=True
    )
    return data


def dump_yaml(data: Any) -> str:
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    yaml.sort_base_mapping_type_on_output = False  # type: ignore[assignment]
    yaml.width = 100
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def dump_document(document: RulesetDocument) -> str:
    return dump_yaml(document_data(document))
