"""A facts reader for a JSON-lines export of a province's own database (``*.jsonl``).

A province's system rarely writes our YAML facts format; it can export one JSON object per
line, one line per unit and item, which is what a database query gives::

    {"ruleset": "demo-2024/so", "year": 2024}                      ← optional header line
    {"unit": "so-a", "name": "Sở A", "item": "1.1", "self": ["Báo cáo quý I"], "appraisal": [...]}
    {"unit": "so-a", "item": "1.2", "self": {"ty_le_kiem_tra": 45}}
    {"unit": "so-b", "name": "Sở B", "ranked": false, "reason": "..."}   ← a unit line (no item)

Item lines take the item keys of the facts format (self, appraisal, survey, evidence,
explanation, applicable, reason) and may repeat the unit's name, group and type, which must
agree. A unit line (no ``item``) gives the unit's own keys (ranked, evaluated, reason, ...).
Without a header line, the ruleset and year are those of the ruleset the file is read for.

Every problem is reported at once with its line and column: a bad JSON line, an unknown key,
a unit whose name differs between lines, an item given twice. Values keep their positions,
so a score above the maximum found later, while scoring, points at its line too. Decimals are
read exactly (``0.25`` never becomes a float).
"""

from __future__ import annotations

import difflib
import json
from decimal import Decimal
from json.decoder import scanstring  # type: ignore[attr-defined]
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from parindex_rules import limits
from parindex_rules.diagnostics import Diagnostic, DiagnosticError, FactsError
from parindex_rules.loader.facts import Facts, facts_from_loaded
from parindex_rules.loader.yaml import LoadedDocument, SourceMap, read_text

if TYPE_CHECKING:
    from parindex_rules.api import Ruleset

HEADER_KEYS = ("ruleset", "year", "synthetic", "notes")
UNIT_KEYS = ("unit", "name", "group", "ranked", "evaluated", "reason", "type", "submitted")
#: Unit keys an item line may repeat (they must agree across the unit's lines).
SHARED_KEYS = ("name", "group", "type")
ITEM_KEYS = ("self", "appraisal", "survey", "evidence", "explanation", "applicable", "reason")
ITEM_LINE_KEYS = ("unit", "item", *SHARED_KEYS, *ITEM_KEYS)
MAX_DEPTH = 32

LinePath = tuple[str | int, ...]


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


_DECODER = json.JSONDecoder(parse_float=Decimal, parse_constant=_no_constants)


class LineProblem(Exception):
    """A problem at a character offset of the line being read."""

    def __init__(self, code: str, message: str, offset: int, hint: str | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.offset, self.hint = code, message, offset, hint


class _Line:
    """One JSON line parsed with the offset of every key and value."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.values: dict[LinePath, int] = {}
        self.keys: dict[LinePath, int] = {}

    def parse(self) -> Any:
        value, end = self._value(0, (), 0)
        end = self._space(end)
        if end < len(self.text):
            raise LineProblem("PR011", "extra text after the JSON value", end)
        return value

    def _space(self, i: int) -> int:
        while i < len(self.text) and self.text[i] in " \t\r":
            i += 1
        return i

    def _expect(self, i: int, char: str, what: str) -> int:
        i = self._space(i)
        if not self.text.startswith(char, i):
            raise LineProblem("PR011", f"expected {what}", i)
        return i + 1

    def _value(self, i: int, path: LinePath, depth: int) -> tuple[Any, int]:
        if depth > MAX_DEPTH:
            raise LineProblem("PR903", f"values nest deeper than {MAX_DEPTH} levels", i)
        i = self._space(i)
        self.values[path] = i
        char = self.text[i : i + 1]
        if char == "{":
            return self._object(i + 1, path, depth)
        if char == "[":
            return self._array(i + 1, path, depth)
        try:
            return _DECODER.raw_decode(self.text, i)
        except json.JSONDecodeError as exc:
            raise LineProblem("PR011", exc.msg, exc.pos) from None
        except ValueError as exc:  # NaN, Infinity, an integer too long to read
            raise LineProblem("PR011", str(exc), i) from None

    def _object(self, i: int, path: LinePath, depth: int) -> tuple[dict[str, Any], int]:
        out: dict[str, Any] = {}
        i = self._space(i)
        if self.text.startswith("}", i):
            return out, i + 1
        while True:
            i = self._space(i)
            if not self.text.startswith('"', i):
                raise LineProblem("PR011", "expected a key in double quotes", i)
            try:
                key, after = scanstring(self.text, i + 1)
            except json.JSONDecodeError as exc:
                raise LineProblem("PR011", exc.msg, exc.pos) from None
            if key in out:
                raise LineProblem("PR005", f"key {key!r} appears twice on this line", i)
            self.keys[(*path, key)] = i
            i = self._expect(after, ":", "':' after the key")
            out[key], i = self._value(i, (*path, key), depth + 1)
            i = self._space(i)
            if self.text.startswith(",", i):
                i += 1
                continue
            return out, self._expect(i, "}", "',' or '}'")

    def _array(self, i: int, path: LinePath, depth: int) -> tuple[list[Any], int]:
        out: list[Any] = []
        i = self._space(i)
        if self.text.startswith("]", i):
            return out, i + 1
        while True:
            value, i = self._value(i, (*path, len(out)), depth + 1)
            out.append(value)
            i = self._space(i)
            if self.text.startswith(",", i):
                i += 1
                continue
            return out, self._expect(i, "]", "',' or ']'")


class _Builder:
    """Turns parsed lines into the facts format's data and a source map of the JSONL file."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.source_map = SourceMap(name)
        self.problems: list[Diagnostic] = []
        self.header: dict[str, Any] | None = None
        self.units: dict[str, dict[str, Any]] = {}
        self.index: dict[str, int] = {}
        self.first_line: dict[tuple[str, str], int] = {}  # (unit, key) / (unit, "#item:ID")

    def problem(
        self, code: str, message: str, line: int, offset: int, hint: str | None = None
    ) -> None:
        self.problems.append(
            Diagnostic.make(code, message, file=self.name, line=line, column=offset + 1, hint=hint)
        )

    def add(self, number: int, seen_data: bool, parsed: _Line, value: Any) -> bool:
        """Add one line; return whether it held data (a unit or item line)."""
        if not isinstance(value, dict):
            self.problem("PR103", "each line must be a JSON object {...}", number, 0)
            return seen_data
        if "unit" not in value:
            if "ruleset" in value and not seen_data and self.header is None:
                self._header(number, parsed, value)
                return seen_data
            self.problem(
                "PR102",
                "missing key 'unit'",
                number,
                0,
                hint="each line gives a unit and one of its items; only the first line may be "
                'a header {"ruleset": ..., "year": ...}',
            )
            return seen_data
        unit_id = value["unit"]
        if isinstance(unit_id, int) and not isinstance(unit_id, bool):
            unit_id = str(unit_id)
        if not isinstance(unit_id, str) or not unit_id:
            self.problem("PR103", "'unit' must be a text id", number, parsed.values[("unit",)])
            return True
        allowed = ITEM_LINE_KEYS if "item" in value else UNIT_KEYS
        if not self._known_keys(number, parsed, value, allowed):
            return True
        unit = self.units.get(unit_id)
        if unit is None:
            unit = self.units[unit_id] = {"unit": unit_id, "items": {}}
            self.index[unit_id] = len(self.index)
            self.source_map.values[("units", self.index[unit_id])] = (number, 1)
            self.source_map.values[("units", self.index[unit_id], "unit")] = (
                number,
                parsed.values[("unit",)] + 1,
            )
        base: LinePath = ("units", self.index[unit_id])
        unit_keys = SHARED_KEYS if "item" in value else UNIT_KEYS[1:]
        for key in unit_keys:
            if key in value:
                self._unit_key(number, parsed, unit, base, key, value[key])
        if "item" in value:
            self._item(number, parsed, unit, base, value)
        return True

    def _known_keys(
        self, number: int, parsed: _Line, value: dict[str, Any], allowed: tuple[str, ...]
    ) -> bool:
        ok = True
        item_line = "item" in value
        for key in value:
            if key in allowed:
                continue
            if allowed is not HEADER_KEYS and key in ITEM_LINE_KEYS:
                hint = f'{key!r} belongs on an item line: give "item" too'
            elif allowed is not HEADER_KEYS and key in UNIT_KEYS:
                hint = f'{key!r} belongs on a unit line (one without "item")'
            else:
                known = sorted({*allowed, *ITEM_LINE_KEYS, *UNIT_KEYS} - {"unit"})
                close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
                hint = f"did you mean {close[0]!r}?" if close else "allowed: " + ", ".join(allowed)
            kind = (
                "the header line"
                if allowed is HEADER_KEYS
                else ("an item line" if item_line else "a unit line")
            )
            self.problem(
                "PR101", f"unknown key {key!r} on {kind}", number, parsed.keys[(key,)], hint
            )
            ok = False
        return ok

    def _header(self, number: int, parsed: _Line, value: dict[str, Any]) -> None:
        if self._known_keys(number, parsed, value, HEADER_KEYS):
            self.header = value
            for key in value:
                self.source_map.keys[(key,)] = (number, parsed.keys[(key,)] + 1)
                self._map(parsed, (key,), (key,), number)

    def _unit_key(
        self,
        number: int,
        parsed: _Line,
        unit: dict[str, Any],
        base: LinePath,
        key: str,
        value: Any,
    ) -> None:
        if key in unit:
            if unit[key] != value:
                first = self.first_line[(unit["unit"], key)]
                self.problem(
                    "PR104",
                    f"unit {unit['unit']}: {key} {value!r} differs from {unit[key]!r} "
                    f"(line {first})",
                    number,
                    parsed.values[(key,)],
                )
            return
        unit[key] = value
        self.first_line[(unit["unit"], key)] = number
        self.source_map.keys[(*base, key)] = (number, parsed.keys[(key,)] + 1)
        self._map(parsed, (key,), (*base, key), number)

    def _item(
        self, number: int, parsed: _Line, unit: dict[str, Any], base: LinePath, value: Any
    ) -> None:
        item_id = value["item"]
        if isinstance(item_id, int | Decimal) and not isinstance(item_id, bool):
            item_id = str(item_id)  # an id written as a number: 2 or 1.2
        if not isinstance(item_id, str) or not item_id:
            self.problem("PR103", "'item' must be a text id", number, parsed.values[("item",)])
            return
        marker = (unit["unit"], f"#item:{item_id}")
        if marker in self.first_line:
            self.problem(
                "PR005",
                f"unit {unit['unit']}: item {item_id} is given twice (first on line "
                f"{self.first_line[marker]})",
                number,
                parsed.values[("item",)],
            )
            return
        self.first_line[marker] = number
        path = (*base, "items", item_id)
        self.source_map.keys[path] = (number, parsed.values[("item",)] + 1)
        self.source_map.values[path] = (number, 1)
        item = {k: v for k, v in value.items() if k in ITEM_KEYS}
        for key in item:
            self.source_map.keys[(*path, key)] = (number, parsed.keys[(key,)] + 1)
            self._map(parsed, (key,), (*path, key), number)
        unit["items"][item_id] = item

    def _map(self, parsed: _Line, line_path: LinePath, path: LinePath, number: int) -> None:
        """Copy the positions of a value and everything inside it into the source map."""
        n = len(line_path)
        for where, offset in parsed.values.items():
            if where[:n] == line_path:
                self.source_map.values[(*path, *where[n:])] = (number, offset + 1)
        for where, offset in parsed.keys.items():
            if where[:n] == line_path and len(where) > n:
                self.source_map.keys[(*path, *where[n:])] = (number, offset + 1)


def parse_jsonl(text: str, name: str = "<jsonl>", *, ruleset: Ruleset | None = None) -> Facts:
    """Read JSON-lines text into validated Facts; raises FactsError listing every problem."""
    builder = _Builder(name)
    seen_data = False
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip("\r")
        if not line.strip():
            continue
        parsed = _Line(line)
        try:
            value = parsed.parse()
        except LineProblem as problem:
            builder.problem(problem.code, problem.message, number, problem.offset, problem.hint)
            seen_data = True
            continue
        seen_data = builder.add(number, seen_data, parsed, value)
    data: dict[str, Any] = dict(builder.header or {})
    if "ruleset" not in data or "year" not in data:
        if ruleset is None:
            builder.problem(
                "PR102",
                "the file names no ruleset and year",
                1,
                0,
                hint='start it with a header line {"ruleset": "<id>", "year": <year>}, or read '
                "it for a ruleset",
            )
        else:
            data.setdefault("ruleset", ruleset.id)
            data.setdefault("year", ruleset.document.year)
    if builder.problems:
        raise FactsError(builder.problems)
    data["units"] = list(builder.units.values())
    loaded = LoadedDocument(data=data, source_map=builder.source_map, text=text)
    return facts_from_loaded(loaded)


class JsonLinesFactsReader:
    """Facts from a JSON-lines database export: one line per unit and item."""

    #: Written as a number, not imported: it states the API this code was written against.
    api_version: ClassVar[int] = 1
    suffixes: ClassVar[tuple[str, ...]] = (".jsonl",)
    summary: ClassVar[str] = "JSON lines, one line per unit and item (demo plugin)"

    def read(self, path: Path, *, ruleset: Ruleset | None = None) -> Facts:
        try:
            text = read_text(path, max_bytes=limits.MAX_FACTS_BYTES, display=str(path))
        except DiagnosticError as exc:
            raise FactsError(exc.diagnostics) from None
        return parse_jsonl(text, str(path), ruleset=ruleset)
