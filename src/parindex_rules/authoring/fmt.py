"""`parindex fmt`: one canonical layout for ruleset files, without changing what they say.

The canonical layout:

- keys in the order of the model's fields (:data:`TOP_ORDER` for the top level and
  :data:`NODE_ORDER` for fields, criteria and sub-criteria, which keep the provenance next to
  the rule it vouches for; every other mapping follows its model's field order with `source` /
  `provisional` last; a scoring block starts with `method` and follows its method's settings);
  keys the model does not know stay, after the known ones, in their order;
- block mappings indented by 2, sequences by 4 with the dash at 2 (``fields:\\n  - id: "1"``);
  flow mappings and sequences stay flow (``source: {document: ..., row: "1.1"}``);
- strings plain when YAML reads them back as the same text and they do not look like a
  number or an id, else double-quoted (``id: "1.1.1"``, ``points: "0,5"``); block scalars
  (``|``, ``>``) kept; numbers kept as written; lines never folded;
- comments kept, Vietnamese text kept as it is. A comment block just above a key moves with
  the key and is indented like it; an end-of-line comment stays on its line, two spaces after
  the value.

Block mappings are reordered on the text, by the positions YAML gives every node, so comments
move with the lines they annotate; ruamel.yaml's round-trip mode then lays the result out.
Before anything is written the result is read back and compared with the input: a layout that
would change a single value is refused (:data:`PR851`), never written.
"""

from __future__ import annotations

import io
import re
import types
import typing
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.emitter import Emitter
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from parindex_rules.codes import Code, Severity, register_codes
from parindex_rules.diagnostics import Diagnostic, DiagnosticError
from parindex_rules.loader.yaml import load_yaml_text
from parindex_rules.methods.base import MethodConfig, get_method
from parindex_rules.model.facts import FactsDocument
from parindex_rules.model.ruleset import NodeBase, RulesetDocument

register_codes(
    Code(
        "PR851",
        "fmt-would-change-meaning",
        Severity.ERROR,
        "The canonical layout would change a value; the file is left as it is.",
    ),
)

#: The top level: what the ruleset is, its decision and total, then policies, then content.
TOP_ORDER = (
    "extends", "id", "title", "province", "level", "year", "decision", "max", "excerpt_of",
    "source", "provisional", "declared", "rounding", "policies", "ranking", "classes",
    "workflow", "documents", "provenance", "parameters", "derived", "fields",
)  # fmt: skip

#: Fields, criteria, sub-criteria: what the item is, its rule and provenance, how it is scored.
NODE_ORDER = (
    "id", "name", "max", "excerpt_of", "origin", "basis", "notes", "replaces", "declared",
    "rule", "source", "provisional", "evidence_documents", "evidence", "inputs", "missing",
    "may_be_not_applicable", "scoring", "criteria", "subcriteria",
)  # fmt: skip

PROVENANCE_KEYS = ("source", "provisional")

Shape = Any  # a model class, ("list", Shape), ("dict", Shape), ("scoring",) or None


def format_text(text: str, name: str = "<ruleset>") -> str:
    """The canonical layout of a ruleset's YAML text.

    Raises :class:`DiagnosticError` when the text cannot be read (the loader's located
    diagnostics) or when the layout would change a value (PR851).
    """
    before = load_yaml_text(text, name)  # every reading problem, located, before any change
    shape = document_shape(before.data)
    # Reading YAML is the slow part: re-read the text only when some key must move.
    reordered = _reorder_text(text, shape) if _needs_reorder(before.data, shape) else text
    yaml = _round_trip()
    try:
        data = yaml.load(reordered)
    except YAMLError as exc:  # pragma: no cover - the loader above accepted the same text
        raise _refusal(name, f"the YAML round trip failed: {exc}") from None
    _canonical(data, shape)
    stream = io.StringIO()
    yaml.dump(data, stream)
    out = _comment_layout(_tidy(stream.getvalue()))
    try:
        after = load_yaml_text(out, name)
    except DiagnosticError as exc:
        raise _refusal(name, "the canonical layout does not read back: " + str(exc)) from None
    difference = _first_difference(_ids_as_text(before.data, shape), after.data)
    if difference is not None:
        raise _refusal(name, f"the canonical layout would change {difference}")
    return out


def _refusal(name: str, message: str) -> DiagnosticError:
    return DiagnosticError(
        [
            Diagnostic.make(
                "PR851",
                message + "; the file is left as it is",
                file=name,
                line=1,
                column=1,
                hint="please report this with the file",
            )
        ]
    )


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"


# -- what the data means, compared exactly


def _first_difference(a: Any, b: Any, path: str = "") -> str | None:
    """Where two loaded documents differ (type, value or the exact digits of a number)."""
    where = path or "the document"
    if type(a) is not type(b):
        return f"the type of {where}"
    if isinstance(a, dict):
        if list(a) != list(b) and set(a) != set(b):
            return f"the keys of {where}"
        for key in a:
            found = _first_difference(a[key], b[key], f"{path}.{key}" if path else str(key))
            if found:
                return found
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return f"the length of {where}"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            found = _first_difference(x, y, f"{path}[{i}]")
            if found:
                return found
        return None
    if isinstance(a, Decimal):
        return None if str(a) == str(b) else f"the number at {where}"
    return None if a == b else f"the value at {where}"


# -- the round trip


#: Text that looks like a number or a decision number ("1.1.1", "I.8", "0,5"): always quoted,
#: so ids look alike.
_NUMBER_LIKE = re.compile(r"^(?:[+-]?[0-9.,]+|[IVX]+(?:\.[0-9.]+)?)$")
_STR_TAG = "tag:yaml.org,2002:str"


class _QuotingEmitter(Emitter):
    """Plain when YAML reads the text back unchanged and it does not look like a number or an
    id, else double quotes (never single)."""

    def choose_scalar_style(self) -> Any:
        style = super().choose_scalar_style()
        if style == "'":
            return '"'
        event = self.event
        if (
            style == ""
            and str(getattr(event.ctag, "value", event.ctag)) == _STR_TAG
            and _NUMBER_LIKE.match(event.value or "")
        ):
            return '"'
        return style


def _round_trip() -> YAML:
    yaml = YAML(typ="rt", pure=True)
    yaml.Emitter = _QuotingEmitter
    yaml.preserve_quotes = False
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 1_000_000
    yaml.allow_unicode = True
    return yaml


def _canonical(node: Any, shape: Shape) -> None:
    """Order the keys of flow mappings (block mappings were ordered on the text), and write
    node ids written as numbers (``id: 1.2``) as the text the model reads them as."""
    if isinstance(node, CommentedMap):
        order = key_order(shape, node)
        if node.fa.flow_style() and list(node) != order:
            for key in order:
                node.move_to_end(key)
        for key, value in node.items():
            if _is_node_id(shape, key) and isinstance(value, int | float):
                node[key] = _number_text(value)
                continue
            _canonical(value, child_shape(shape, str(key), value))
    elif isinstance(node, CommentedSeq):
        item = shape[1] if isinstance(shape, tuple) and shape[0] == "list" else None
        for value in node:
            _canonical(value, item)


def _is_node_id(shape: Shape, key: Any) -> bool:
    return isinstance(shape, type) and issubclass(shape, NodeBase) and key in ("id", "replaces")


def _number_text(value: int | float) -> str:
    """The digits as written (ruamel keeps them), e.g. 1.10 stays "1.10"."""
    if isinstance(value, bool) or not isinstance(value, float):
        return str(value)
    stream = io.StringIO()
    YAML(typ="rt", pure=True).dump(value, stream)
    return stream.getvalue().split("\n", 1)[0].strip()


def _ids_as_text(data: Any, shape: Shape) -> Any:
    """The loaded data with node ids as text: ``id: 1.2`` and ``id: "1.2"`` mean the same."""
    if isinstance(data, dict):
        out = {}
        for key, value in data.items():
            if _is_node_id(shape, key) and isinstance(value, int | Decimal):
                out[key] = str(value)
            else:
                out[key] = _ids_as_text(value, child_shape(shape, str(key), value))
        return out
    if isinstance(data, list):
        item = shape[1] if isinstance(shape, tuple) and shape[0] == "list" else None
        return [_ids_as_text(value, item) for value in data]
    return data


_EOL_COMMENT = re.compile(r"^(:?)[ \t]+(#.*)$")


def _comment_layout(text: str) -> str:
    """Indent each comment line like the line after it, and put two spaces before an
    end-of-line comment (never inside block scalars, whose lines are text)."""
    if "#" not in text:
        return text
    lines = text.split("\n")
    inside: set[int] = set()
    ends: dict[int, int] = {}
    composed = YAML(typ="safe", pure=True).compose(text)
    if composed is not None:
        for node in _walk(composed):
            if isinstance(node, ScalarNode) and node.style in ("|", ">"):
                inside.update(range(node.start_mark.line + 1, node.end_mark.line + 1))
            elif isinstance(node, ScalarNode) or getattr(node, "flow_style", False):
                line = node.end_mark.line
                ends[line] = max(ends.get(line, 0), node.end_mark.column)
    indent = 0
    for i in range(len(lines) - 1, -1, -1):
        stripped = lines[i].lstrip(" ")
        if i in inside or not stripped:
            continue
        if stripped.startswith("#"):
            lines[i] = " " * indent + stripped
            continue
        indent = len(lines[i]) - len(stripped)
        end = ends.get(i)
        if end is not None:
            match = _EOL_COMMENT.match(lines[i][end:])
            if match:
                lines[i] = lines[i][:end] + match.group(1) + "  " + match.group(2)
    return "\n".join(lines)


def _walk(node: Node) -> Iterator[Node]:
    yield node
    if isinstance(node, MappingNode):
        for key, value in node.value:
            yield from _walk(key)
            yield from _walk(value)
    elif isinstance(node, SequenceNode):
        for item in node.value:
            yield from _walk(item)


# -- the model's key order


def document_shape(data: Any) -> Shape:
    """A facts file (it has `units:`) or a ruleset."""
    if isinstance(data, dict) and "units" in data and "fields" not in data:
        return FactsDocument
    return RulesetDocument


def key_order(shape: Shape, mapping: Any) -> list[Any]:
    """The keys of `mapping` in canonical order for `shape`."""
    keys = list(mapping)
    canonical = _canonical_keys(shape, mapping)
    if canonical is None:
        return keys
    rank = {key: i for i, key in enumerate(canonical)}
    known = sorted((k for k in keys if k in rank), key=lambda k: rank[k])
    return known + [k for k in keys if k not in rank]


def _canonical_keys(shape: Shape, mapping: Any) -> list[str] | None:
    if shape == ("scoring",):
        method = get_method(str(mapping.get("method"))) if hasattr(mapping, "get") else None
        config = method.Config if method is not None else MethodConfig
        return _model_keys(config)
    if not (isinstance(shape, type) and issubclass(shape, BaseModel)):
        return None
    if shape is RulesetDocument:
        return list(TOP_ORDER)
    if issubclass(shape, NodeBase):
        return list(NODE_ORDER)
    return _model_keys(shape)


def _model_keys(model: type[BaseModel]) -> list[str]:
    keys = [info.alias or name for name, info in model.model_fields.items()]
    if "method" in keys:
        keys.remove("method")
        keys.insert(0, "method")
    return [k for k in keys if k not in PROVENANCE_KEYS] + [k for k in PROVENANCE_KEYS if k in keys]


def child_shape(shape: Shape, key: str, value: Any) -> Shape:
    """The shape of the value under `key` in a mapping of `shape`."""
    if isinstance(shape, tuple) and shape[0] == "dict":
        return shape[1]
    if not (isinstance(shape, type) and issubclass(shape, BaseModel)):
        return None
    if issubclass(shape, NodeBase) and key == "scoring":
        return ("scoring",)
    for name, info in shape.model_fields.items():
        if key in (name, info.alias):
            return _shape_of(info.annotation, value)
    return None


def _shape_of(annotation: Any, value: Any) -> Shape:
    while True:
        origin = get_origin(annotation)
        if origin is typing.Annotated:
            annotation = get_args(annotation)[0]
            continue
        if origin in (Union, types.UnionType):
            options = [a for a in get_args(annotation) if a is not type(None)]
            models = [a for a in options if isinstance(a, type) and issubclass(a, BaseModel)]
            if isinstance(value, dict) and models:
                annotation = models[0]
                continue
            if len(options) == 1:
                annotation = options[0]
                continue
            return None
        break
    origin = get_origin(annotation)
    if origin in (list, tuple):
        args = get_args(annotation)
        return ("list", _shape_of(args[0], None)) if args else None
    if origin is dict:
        return ("dict", _shape_of(get_args(annotation)[1], None))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


# -- reordering block mappings on the text


def _needs_reorder(data: Any, shape: Shape) -> bool:
    """Whether a mapping of the loaded data has its keys out of canonical order."""
    if isinstance(data, dict):
        if list(data) != key_order(shape, data):
            return True
        return any(
            _needs_reorder(value, child_shape(shape, str(key), value))
            for key, value in data.items()
        )
    if isinstance(data, list):
        item = shape[1] if isinstance(shape, tuple) and shape[0] == "list" else None
        return any(_needs_reorder(value, item) for value in data)
    return False


def _reorder_text(text: str, shape: Shape) -> str:
    composed = YAML(typ="safe", pure=True).compose(text)
    lines = text.splitlines()
    if composed is None:
        return text
    _reorder_node(composed, shape, lines)
    out = "\n".join(lines)
    return out + "\n" if text.endswith("\n") or out else out


def _scalar_text(node: Node) -> str:
    return str(node.value) if isinstance(node, ScalarNode) else ""


def _reorder_node(node: Node, shape: Shape, lines: list[str]) -> None:
    """Children first (their moves stay inside their own lines), then this mapping."""
    if isinstance(node, SequenceNode):
        item = shape[1] if isinstance(shape, tuple) and shape[0] == "list" else None
        for child in node.value:
            _reorder_node(child, item, lines)
        return
    if not isinstance(node, MappingNode):
        return
    for key_node, value_node in node.value:
        _reorder_node(value_node, child_shape(shape, _scalar_text(key_node), value_node), lines)
    if node.flow_style or len(node.value) < 2:
        return
    keys = [_scalar_text(k) for k, _ in node.value]
    order = key_order(shape, keys)
    if order == keys:
        return
    column = node.value[0][0].start_mark.column
    if any(k.start_mark.column != column for k, _ in node.value):
        return  # complex keys or odd layout: leave the order as written
    blocks = list(_key_blocks(node))
    start = blocks[0][0]
    end = blocks[-1][1]
    by_key = {keys[i]: blocks[i] for i in range(len(keys))}
    first_line = node.value[0][0].start_mark.line
    prefix = lines[first_line][:column]
    new: list[str] = []
    for n, key in enumerate(order):
        block_start, block_end, key_line = by_key[key]
        chunk = lines[block_start : block_end + 1]
        at = key_line - block_start
        chunk[at] = (prefix if n == 0 else " " * column) + chunk[at][column:]
        new.extend(chunk)
    lines[start : end + 1] = new


def _key_blocks(node: MappingNode) -> Iterator[tuple[int, int, int]]:
    """(first line, last line, key line) of each key: the comments just above it, the key, and
    its value. The first key takes no comments from above (they belong to what precedes)."""
    pairs = node.value
    for i, (key_node, value_node) in enumerate(pairs):
        key_line = key_node.start_mark.line
        start = key_line
        if i > 0:
            previous_end = _last_line(pairs[i - 1][1], pairs[i - 1][0])
            start = previous_end + 1
        end = _last_line(value_node, key_node)
        yield start, end, key_line


def _last_line(node: Node, key_node: Node) -> int:
    """The last line holding any part of `node` (0-based)."""
    key_line: int = key_node.start_mark.line
    end_line: int = node.end_mark.line
    if isinstance(node, ScalarNode):
        if end_line <= key_line:
            return key_line
        if node.style in ("|", ">") and node.end_mark.column == 0:
            return end_line - 1
        return end_line
    if getattr(node, "flow_style", False) or not node.value:
        return max(end_line, key_line)
    last = node.value[-1]
    if isinstance(node, MappingNode):
        return _last_line(last[1], last[0])
    return _last_line(last, last)
