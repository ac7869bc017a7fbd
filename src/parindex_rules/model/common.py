"""Building blocks shared by the ruleset and facts models."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, WithJsonSchema
from pydantic_core import PydanticCustomError

from parindex_rules.diagnostics import Path, shown
from parindex_rules.numbers import NotADecimal, parse_decimal


class Strict(BaseModel):
    """Every model forbids unknown keys: a misspelt key is an error, never silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def _to_decimal(value: Any) -> Decimal:
    try:
        return parse_decimal(value)
    except NotADecimal as exc:
        raise PydanticCustomError("invalid_decimal", str(exc)) from None


_DECIMAL_SCHEMA = {
    "anyOf": [
        {"type": "number"},
        {"type": "string", "pattern": r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$"},
    ],
    "description": 'An exact decimal: a number, or text such as "0.5" or "0,5".',
}

#: An exact decimal, read from YAML/JSON text; "0,5" (decimal comma) accepted.
Dec = Annotated[Decimal, BeforeValidator(_to_decimal), WithJsonSchema(_DECIMAL_SCHEMA)]


def normalise_name(text: str) -> str:
    """A unit name as compared, not as shown: Unicode NFC (a precomposed "ộ" equals "o" with
    its marks typed separately, as Word and some keyboards write it), case-folded, and every run
    of whitespace (tabs, no-break spaces, line breaks) one space, none at either end.

    ``normalise_name("  Sở  TƯ PHÁP\u00a0") == normalise_name("Sở Tư pháp")``.
    """
    folded = unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).casefold())
    return " ".join(folded.split())


NODE_ID = re.compile(r"^(?:[IVXLCDM]+|\d+[a-z]?)(?:\.\d+[a-z]?)*$")
NAME = re.compile(r"^[a-z_][a-z0-9_]*$")
RULESET_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*-\d{4}/[a-z0-9]+(?:-[a-z0-9]+)*$")


def _to_node_id(value: Any) -> str:
    # `id: 1.2` unquoted reaches us as a decimal; its text is what the author meant.
    if isinstance(value, bool):
        raise PydanticCustomError("invalid_id", 'an id is text such as "1.2", not true/false')
    if isinstance(value, int | Decimal):
        value = str(value)
    if not isinstance(value, str):
        raise PydanticCustomError("invalid_id", 'an id is text such as "1.2"')
    if not NODE_ID.match(value):
        raise PydanticCustomError(
            "invalid_id",
            f'{shown(value)} is not a decision number such as "1", "1.2", "2.3.1" or "I.8"',
        )
    return value


def _to_name(value: Any) -> str:
    if not isinstance(value, str) or not NAME.match(value):
        raise PydanticCustomError(
            "invalid_name",
            f"{shown(value)} is not a name: use lower-case ASCII letters, digits and _ "
            "(e.g. so_dung_han)",
        )
    return value


def _to_ruleset_id(value: Any) -> str:
    if not isinstance(value, str) or not RULESET_ID.match(value):
        raise PydanticCustomError(
            "invalid_ruleset_id",
            f"{value!r} is not a ruleset id: write <province>-<year>/<set> in lower-case ASCII "
            'letters, digits and hyphens, e.g. "vinhlong-2023/so" or "hanoi-2023/quan-huyen"',
        )
    return value


def ruleset_id_year(ruleset_id: str) -> int:
    """The year a well-formed ruleset id names: ``vinhlong-2023/so`` → 2023."""
    return int(ruleset_id.split("/", 1)[0].rsplit("-", 1)[1])


NodeId = Annotated[
    str,
    BeforeValidator(_to_node_id),
    WithJsonSchema({"type": "string", "pattern": NODE_ID.pattern}),
]
#: ``<province>-<year>/<set>`` (shared/interfaces.md), e.g. vinhlong-2023/so.
RulesetId = Annotated[
    str,
    BeforeValidator(_to_ruleset_id),
    WithJsonSchema({"type": "string", "pattern": RULESET_ID.pattern}),
]
Name = Annotated[
    str, BeforeValidator(_to_name), WithJsonSchema({"type": "string", "pattern": NAME.pattern})
]


def _to_text_date(value: Any) -> str:
    """Dates stay text in the model (ISO "2023-08-11"); checked for shape here."""
    text = str(value)
    if not re.match(r"^\d{4}-\d{2}-\d{2}$", text):
        raise PydanticCustomError(
            "invalid_date", f"{shown(value)} is not a date written 2023-08-11"
        )
    import datetime as _dt

    try:
        _dt.date.fromisoformat(text)
    except ValueError:
        raise PydanticCustomError("invalid_date", f"{shown(value)} is not a real date") from None
    return text


IsoDate = Annotated[
    str,
    BeforeValidator(_to_text_date),
    WithJsonSchema({"type": "string", "format": "date"}),
]


_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def segment_key(segment: str) -> tuple[int, str]:
    """Where one part of an id falls in the decision's order: numbers as numbers ("10" after
    "9"), Roman numerals by value ("IX" before "X"), a letter suffix after its number ("2a")."""
    if segment and all(c in _ROMAN for c in segment):
        value = 0
        for i, c in enumerate(segment):
            v = _ROMAN[c]
            value += -v if i + 1 < len(segment) and _ROMAN[segment[i + 1]] > v else v
        return (value, "")
    digits = "".join(c for c in segment if c.isdigit())
    return (int(digits) if digits else 0, segment[len(digits) :])


def walk_models(value: object, path: Path = ()) -> Iterator[tuple[Path, BaseModel]]:
    """Every model inside `value` (itself included), with its path: a ruleset document, or a
    scoring method's settings. Paths use the keys an author writes (aliases, list indexes)."""
    if isinstance(value, BaseModel):
        yield path, value
        for name, info in type(value).model_fields.items():
            yield from walk_models(getattr(value, name), (*path, info.alias or name))
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            yield from walk_models(item, (*path, i))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from walk_models(item, (*path, str(key)))


def provisional_parts(
    value: object, *, skip: tuple[type[BaseModel], ...] = ()
) -> list[tuple[Path, str]]:
    """Every ``provisional:`` set inside `value` (not on `value` itself), with why.

    One walk for every place a reading of silent text can sit: a method's settings (a band, a
    zero-denominator rule, a plugin's own parts) and a ruleset's settings (parameters,
    policies, ranking, classes, rounding, declared counts, workflow, ...). Models of the kinds
    in `skip` are not reported themselves (their insides are): a ruleset's nodes and derived
    values are counted as such.
    """
    found: list[tuple[Path, str]] = []
    for path, model in walk_models(value):
        reason = getattr(model, "provisional", None)
        if path and isinstance(reason, str) and not isinstance(model, skip):
            found.append((path, reason))
    return found
