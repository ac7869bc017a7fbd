"""Validate plain data against a model and turn every pydantic error into a located diagnostic."""

from __future__ import annotations

import difflib
import re
import types
import typing
from typing import Any, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from parindex_rules.diagnostics import Diagnostic, Path, shown
from parindex_rules.loader.yaml import SourceMap

M = TypeVar("M", bound=BaseModel)

_TYPE_ERRORS = {
    "model_type", "model_attributes_type", "dict_type", "list_type", "string_type", "int_type",
    "int_parsing", "int_from_float", "bool_type", "bool_parsing", "float_type", "float_parsing",
    "decimal_type", "date_type", "tuple_type", "set_type", "mapping_type", "is_instance_of",
    "string_sub_type", "none_required", "arguments_type", "dataclass_type",
}  # fmt: skip
_VALUE_ERRORS = {
    "literal_error", "enum", "greater_than", "greater_than_equal", "less_than", "less_than_equal",
    "too_short", "too_long", "string_too_short", "string_too_long", "string_pattern_mismatch",
    "value_error", "assertion_error", "invalid_date", "multiple_of", "date_from_datetime_parsing",
    "date_parsing", "finite_number", "decimal_parsing", "decimal_max_digits",
    "decimal_max_places", "decimal_whole_digits",
}  # fmt: skip
_CHILD_KEYS = {"criteria", "subcriteria", "children", "items"}


def validate(
    model: type[M],
    data: Any,
    source_map: SourceMap,
    *,
    prefix: Path = (),
    what: str = "",
) -> tuple[M | None, list[Diagnostic]]:
    """Validate `data`; return the model, or None and the diagnostics (all of them)."""
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        return None, [_diagnose(model, data, err, source_map, prefix) for err in exc.errors()]


def _diagnose(
    model: type[BaseModel],
    data: Any,
    err: Any,
    source_map: SourceMap,
    prefix: Path,
) -> Diagnostic:
    kind: str = err["type"]
    loc: Path = tuple(p for p in err["loc"] if p != "[key]")
    on_key = "[key]" in err["loc"]
    path = prefix + loc
    message: str = err["msg"]
    hint: str | None = None
    if kind == "extra_forbidden":
        key = str(loc[-1]) if loc else "?"
        allowed = allowed_keys(model, loc[:-1])
        code = "PR101"
        message = f"unknown key {key!r}"
        if key in _CHILD_KEYS and allowed is not None and key not in allowed:
            code = "PR218"
            message = f"{key!r} is not allowed here: sub-criteria cannot have children"
        elif allowed:
            close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}?" if close else "allowed: " + ", ".join(allowed)
        return source_map.diagnostic(code, message, path, key=True, hint=hint)
    if kind == "missing":
        key = str(loc[-1]) if loc else "?"
        parent = _value_at(data, loc[:-1])
        if not isinstance(parent, dict):
            # e.g. `source: "text"` where a mapping is needed: the type is wrong, not a key missing.
            return source_map.diagnostic(
                "PR103", f"expected a mapping with `{key}:` here", path[:-1]
            )
        return source_map.diagnostic(
            "PR102", f"missing key {key!r}", path[:-1], hint=f"add `{key}:`"
        )
    if kind == "invalid_decimal":
        return source_map.diagnostic("PR105", message, path)
    if kind == "invalid_ruleset_id":
        return source_map.diagnostic("PR104", message, path)
    if kind in ("invalid_id", "invalid_name"):
        return source_map.diagnostic("PR106", message, path, key=on_key)
    if kind in _TYPE_ERRORS:
        got = _value_at(data, loc)
        message = f"{_plain(message)} (got {_describe(got)})"
        return source_map.diagnostic("PR103", message, path, key=on_key)
    if kind in _VALUE_ERRORS or kind.endswith("_error"):
        text = _plain(message)
        if kind == "value_error" and text.lower().startswith("value error, "):
            text = text[len("value error, ") :]
        if kind == "literal_error" or kind == "enum":
            got = _value_at(data, loc)
            text = f"{_describe(got)} is not allowed: {text}"
        return source_map.diagnostic("PR104", text, path, key=on_key)
    return source_map.diagnostic("PR104", _plain(message), path, key=on_key)


def _plain(message: str) -> str:
    for prefix in ("Value error, ", "Assertion failed, "):
        if message.startswith(prefix):
            message = message[len(prefix) :]
    # "a valid dictionary or instance of Source": the class name means nothing to an author.
    return re.sub(r" or instance of \w+", "", message)


def _describe(value: Any) -> str:
    if value is _MISSING:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = shown(value)
    if len(text) > 40:
        text = text[:37] + "..."
    return text


_MISSING = object()


def _value_at(data: Any, loc: Path) -> Any:
    for part in loc:
        in_dict = isinstance(data, dict) and part in data
        in_list = isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)
        if in_dict or in_list:
            data = data[part]
        elif part == "value" and not isinstance(data, dict | list):
            continue  # a plain value wrapped as {value: ...} (model.ruleset.Sourced)
        else:
            return _MISSING
    return data


def _unwrap(annotation: Any) -> Any:
    """Strip Optional/Union-with-None and Annotated to reach a model, list or dict type."""
    while True:
        origin = get_origin(annotation)
        if origin is typing.Annotated:
            annotation = get_args(annotation)[0]
            continue
        if origin in (Union, types.UnionType):
            options = [a for a in get_args(annotation) if a is not type(None)]
            if len(options) == 1:
                annotation = options[0]
                continue
        return annotation


def allowed_keys(model: type[BaseModel], loc: Path) -> list[str] | None:
    """The keys allowed in the mapping at `loc` under `model`, when that can be known."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        origin = get_origin(current)
        if isinstance(part, int):
            if origin in (list, tuple):
                current = get_args(current)[0]
                continue
            return None
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = _field(current, part)
            if field is None:
                return None
            current = field
            continue
        if origin is dict:
            current = get_args(current)[1]
            continue
        return None
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return sorted((f.alias or name) for name, f in current.model_fields.items())
    return None


def _field(model: type[BaseModel], key: str) -> Any | None:
    for name, info in model.model_fields.items():
        if key in (name, info.alias):
            return info.annotation
    return None
