"""Write imported ruleset data as a ruleset file an author can read and finish.

The layout is the canonical one (:mod:`parindex_rules.authoring.fmt`), with the short mappings
an author scans in one line written in flow style (sources, options, bands, inputs), rule text
of several lines as a block, and a ``# review:`` comment above each item the import could not
settle.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString

from parindex_rules.authoring.fmt import format_text
from parindex_rules.authoring.inherit import represent_decimal


def _flow(mapping: dict[str, Any]) -> CommentedMap:
    out = CommentedMap(mapping)
    out.fa.set_flow_style()
    return out


def _node(data: dict[str, Any], reviews: dict[str, list[str]]) -> CommentedMap:
    out = CommentedMap()
    for key, value in data.items():
        if key == "source":
            out[key] = _flow(value)
        elif key in ("rule", "notes") and "\n" in value:
            out[key] = LiteralScalarString(value)
        elif key == "inputs":
            out[key] = CommentedMap({name: _flow(spec) for name, spec in value.items()})
        elif key == "scoring":
            out[key] = _scoring(value)
        elif key in ("criteria", "subcriteria"):
            out[key] = CommentedSeq([_node(child, reviews) for child in value])
        else:
            out[key] = value
    notes = reviews.get(str(data.get("id")), [])
    if notes and "scoring" in out:
        out.yaml_set_comment_before_after_key(
            "scoring", before="\n".join(f"review: {n}" for n in notes), indent=0
        )
    return out


def _scoring(scoring: dict[str, Any]) -> Any:
    if set(scoring) == {"method"}:
        return _flow(scoring)
    out = CommentedMap()
    for key, value in scoring.items():
        if key in ("options", "bands"):
            out[key] = CommentedSeq([_flow(item) for item in value])
        else:
            out[key] = value
    return out


def ruleset_yaml(data: dict[str, Any], reviews: dict[str, list[str]], header: list[str]) -> str:
    """The ruleset file: `header` lines as its opening comment, `reviews` by item id."""
    document = CommentedMap()
    for key, value in data.items():
        if key == "fields":
            document[key] = CommentedSeq([_node(f, reviews) for f in value])
        elif key in ("source", "decision"):
            document[key] = _flow(value)
        elif key == "documents":
            document[key] = CommentedMap({k: _flow(v) for k, v in value.items()})
        else:
            document[key] = value
    if header:
        document.yaml_set_start_comment("\n".join(header))
    yaml = YAML(typ="rt", pure=True)
    yaml.width = 1_000_000
    yaml.allow_unicode = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.representer.add_representer(Decimal, represent_decimal)
    stream = io.StringIO()
    yaml.dump(document, stream)
    return format_text(stream.getvalue(), "<import-annex>")
