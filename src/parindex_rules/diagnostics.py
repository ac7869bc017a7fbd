"""Diagnostics: every problem the library finds, with where it is and what to do.

A :class:`Diagnostic` is data, not an exception: the loader, the compiler and the evaluator
collect them all and report them together. When a step cannot go on, it raises a
:class:`DiagnosticError` that carries the whole list. Every exception the library raises on
purpose derives from :class:`ParindexError`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction
from typing import Any

from parindex_rules.codes import Severity, lookup

PathPart = str | int
Path = tuple[PathPart, ...]


def format_path(path: Sequence[PathPart]) -> str:
    """Render a node path as ``fields[2].criteria[1].max``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            text = str(part)
            simple = text.replace("_", "a").isalnum() and not text[:1].isdigit()
            if simple:
                out += f".{text}" if out else text
            else:
                out += f"[{text!r}]"
    return out


def shown(value: object) -> str:
    """A value in a message as the user wrote it in YAML or JSON: ``5``, ``0.5``, ``true``,
    ``null``, ``'text'``, ``[1, 'x']``, ``{a: 1}`` — never a Python repr such as
    ``Decimal('5')`` or ``True``. Fractions show as ``1/3``, dates as ``2023-12-14``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, Mapping):
        items = (f"{k if isinstance(k, str) else shown(k)}: {shown(v)}" for k, v in value.items())
        return "{" + ", ".join(items) + "}"
    if isinstance(value, (set, frozenset)):
        return "[" + ", ".join(sorted(shown(v) for v in value)) + "]"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(shown(v) for v in value) + "]"
    return repr(value)


@dataclass(frozen=True)
class Diagnostic:
    """One problem: stable code, severity, message, location and a hint.

    ``line`` and ``column`` are 1-based; 0 means "not known" (e.g. a whole-file problem).
    """

    code: str
    message: str
    file: str = "<input>"
    line: int = 0
    column: int = 0
    path: Path = ()
    hint: str | None = None
    severity: Severity = field(default=Severity.ERROR)

    @classmethod
    def make(
        cls,
        code: str,
        message: str,
        *,
        file: str = "<input>",
        line: int = 0,
        column: int = 0,
        path: Path = (),
        hint: str | None = None,
        severity: Severity | None = None,
    ) -> Diagnostic:
        """Build a diagnostic whose severity defaults to the catalogue's."""
        return cls(
            code=code,
            message=message,
            file=file,
            line=line,
            column=column,
            path=tuple(path),
            hint=hint,
            severity=severity if severity is not None else lookup(code).severity,
        )

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def slug(self) -> str:
        return lookup(self.code).slug

    def with_severity(self, severity: Severity) -> Diagnostic:
        return replace(self, severity=severity)

    def format(self) -> str:
        """``FILE:LINE:COL: CODE message`` (shared/interfaces.md), plus the hint and path."""
        where = f"{self.file}:{self.line}:{self.column}"
        text = f"{where}: {self.code} {self.message}"
        if self.severity is not Severity.ERROR:
            text = f"{where}: {self.code} [{self.severity.value}] {self.message}"
        extras = []
        if self.path:
            extras.append(f"at {format_path(self.path)}")
        if self.hint:
            extras.append(f"hint: {self.hint}")
        if extras:
            text += " (" + "; ".join(extras) + ")"
        return text

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "slug": self.slug,
            "severity": self.severity.value,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": format_path(self.path),
            "hint": self.hint,
        }

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.column, self.code, self.message)


class ParindexError(Exception):
    """Root of every exception the library raises on purpose."""


class DiagnosticError(ParindexError):
    """A step could not complete; ``diagnostics`` lists every problem found, errors first."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics: list[Diagnostic] = sort_diagnostics(diagnostics)
        errors = [d for d in self.diagnostics if d.is_error]
        first = errors[0] if errors else (self.diagnostics[0] if self.diagnostics else None)
        summary = first.format() if first else "unknown error"
        more = len(errors) - 1
        if more > 0:
            summary += f" (and {more} more error{'s' if more > 1 else ''})"
        super().__init__(summary)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]


class RulesetError(DiagnosticError):
    """A ruleset could not be loaded or compiled."""


class FactsError(DiagnosticError):
    """A facts file could not be read or does not fit its ruleset."""


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Stable, deterministic order: by file, then position, then code."""
    unique = list(dict.fromkeys(diagnostics))
    return sorted(unique, key=Diagnostic.sort_key)


class DiagnosticList:
    """A collector that steps append to; errors do not stop collection."""

    def __init__(self, items: Iterable[Diagnostic] = ()) -> None:
        self._items: list[Diagnostic] = list(items)

    def add(self, diagnostic: Diagnostic) -> None:
        self._items.append(diagnostic)

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        self._items.extend(diagnostics)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    @property
    def has_errors(self) -> bool:
        return any(d.is_error for d in self._items)

    def sorted(self) -> list[Diagnostic]:
        return sort_diagnostics(self._items)
