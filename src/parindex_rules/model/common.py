"""Building blocks shared by the ruleset and facts models."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, WithJsonSchema
from pydantic_core import PydanticCustomError

from parindex_rules.diagnostics import shown
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


NodeId = Annotated[
    str,
    BeforeValidator(_to_node_id),
    WithJsonSchema({"type": "string", "pattern": NODE_ID.pattern}),
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
