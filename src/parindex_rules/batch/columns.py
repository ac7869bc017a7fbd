"""Plain column data in: lists, numpy arrays, pandas and Arrow columns, categorical codes.

A batch table is a mapping of column name → column (docs/scale.md lists the names). Every
column becomes one of three kinds, each able to give what the engine asks of it:

- :class:`NumericColumn`: numbers (NaN = not given), read exactly: a float is read as the
  shortest decimal that gives it back, exactly as ``parse_decimal`` reads one float;
- :class:`CodedColumn`: categorical codes and their labels (pandas ``category``, Arrow
  dictionary arrays, or :class:`Coded`);
- :class:`ObjectColumn`: anything else (text, lists of conditions, Decimals, None).

pandas and pyarrow are never imported here: their objects are recognised by what they offer.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from parindex_rules.batch.exact import INEXACT, MISSING, OK, Rationals, filled, fits
from parindex_rules.numbers import NotADecimal, parse_decimal

Bools = npt.NDArray[np.bool_]
Codes = npt.NDArray[np.int64]


class Coded:
    """A categorical column: ``codes[i]`` indexes ``labels`` (-1: not given).

    The form a DataFrame's category column holds; cheap to score, since each label is read
    once whatever the number of units.
    """

    def __init__(self, codes: Sequence[int] | npt.NDArray[Any], labels: Sequence[Any]) -> None:
        self.codes = np.asarray(codes, dtype=np.int64)
        self.labels = list(labels)
        if len(self.codes) and (self.codes.max(initial=-1) >= len(self.labels)):
            raise ValueError("a code points past the end of the labels")

    def __len__(self) -> int:
        return len(self.codes)

    def __getitem__(self, row: int) -> Any:
        code = int(self.codes[row])
        return None if code < 0 else self.labels[code]

    def __repr__(self) -> str:
        return f"Coded({len(self.codes)} rows, {len(self.labels)} labels)"


class _SlicedCoded(Coded):
    """Rows of a Coded column, sharing its labels (no copy, no check)."""

    def __init__(self, codes: npt.NDArray[np.int64], labels: list[Any]) -> None:
        self.codes = codes
        self.labels = labels


def _absent(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def _hashable(value: Any) -> Any:
    if isinstance(value, list):
        return ("__list__", *(_hashable(v) for v in value))
    if isinstance(value, dict):
        return ("__dict__", *sorted((str(k), _hashable(v)) for k, v in value.items()))
    return value


def _plain(value: Any) -> Any:
    """A numpy scalar as the Python value it stands for; lists and dicts unchanged."""
    if isinstance(value, np.generic):
        return value.item()
    return value


def exact_number(value: Any) -> Fraction | None:
    """A raw fact read as a number exactly as the single-unit path reads it; None if not one."""
    try:
        return Fraction(parse_decimal(_plain(value)))
    except NotADecimal:
        return None


class RawColumn(ABC):
    """What every column kind offers the engine."""

    n: int

    @abstractmethod
    def present(self) -> Bools:
        """The rows where a value is given."""

    @abstractmethod
    def item(self, row: int) -> Any:
        """The raw value of one row, as plain Python (None when not given)."""

    @abstractmethod
    def factorize(self) -> tuple[Codes, list[Any]]:
        """Codes (-1: not given) and the distinct raw values they stand for."""

    def rationals(self) -> tuple[Rationals, Bools]:
        """The values as exact numbers (MISSING where not given) and the rows that are not
        numbers at all (facts that do not fit)."""
        codes, values = self.factorize()
        return _rationals_from_codes(codes, values)

    @abstractmethod
    def slice(self, start: int, stop: int) -> RawColumn:
        """Rows start..stop (a view where the kind allows)."""


def _rationals_from_codes(codes: Codes, values: list[Any]) -> tuple[Rationals, Bools]:
    n = len(codes)
    k = len(values)
    num = np.zeros(k + 1, np.int64)
    den = np.ones(k + 1, np.int64)
    signal = np.zeros(k + 1, np.int8)
    bad = np.zeros(k + 1, np.bool_)
    for i, value in enumerate(values):
        exact = exact_number(value)
        if exact is None:
            bad[i] = True
            signal[i] = INEXACT
        elif not fits(exact):
            signal[i] = INEXACT
        else:
            num[i], den[i] = exact.numerator, exact.denominator
    signal[k] = MISSING  # code -1 picks the last slot
    index = np.where(codes < 0, k, codes)
    del n
    return Rationals(num[index], den[index], signal[index]), bad[index]


class NumericColumn(RawColumn):
    """Numbers (ints, floats, bools); NaN is "not given"."""

    def __init__(self, values: npt.NDArray[Any], present: Bools | None = None) -> None:
        self.values = values
        self.n = len(values)
        if present is None:
            present = ~np.isnan(values) if values.dtype.kind == "f" else np.ones(self.n, np.bool_)
        self._present = present

    def present(self) -> Bools:
        return self._present

    def slice(self, start: int, stop: int) -> RawColumn:
        return NumericColumn(self.values[start:stop], self._present[start:stop])

    def item(self, row: int) -> Any:
        if not self._present[row]:
            return None
        return self.values[row].item()

    def factorize(self) -> tuple[Codes, list[Any]]:
        codes = np.full(self.n, -1, np.int64)
        present = self._present
        uniques, inverse = np.unique(self.values[present], return_inverse=True)
        codes[present] = inverse
        return codes, [u.item() for u in uniques]

    def rationals(self) -> tuple[Rationals, Bools]:
        values = self.values
        n = self.n
        kind = values.dtype.kind
        present = self._present
        if kind == "b":  # true/false is not a number: a fact that does not fit
            return Rationals.signalled(n, INEXACT).where(
                present, Rationals.signalled(n, MISSING)
            ), present.copy()
        if kind in "iu":
            if kind == "u" and len(values) and values.max(initial=0) > 2**62:
                return super().rationals()
            ints = values.astype(np.int64)
            huge = np.abs(ints) >= 2**62
            signal = np.where(present, np.where(huge, INEXACT, OK), MISSING).astype(np.int8)
            return Rationals(ints * ~huge, np.ones(n, np.int64), signal), np.zeros(n, np.bool_)
        if kind != "f":
            return super().rationals()
        return _floats_exactly(values.astype(np.float64), present)


def _floats_exactly(values: npt.NDArray[np.float64], present: Bools) -> tuple[Rationals, Bools]:
    """Each float read as the shortest decimal that gives it back (``repr``), vectorised.

    c = round(x × 10**6) is that decimal × 10**6 when c / 10**6 gives x back and |c| < 2**50:
    then no other decimal with at most 6 places rounds to the same float (they are 10**-6
    apart, more than its spacing), and the shortest one (``repr``) has no more places. The
    column then shares one denominator, the smallest power of ten that fits every row. Rows
    that do not pass (more places, huge values) are read one by one, exactly.
    """
    n = len(values)
    signal = np.where(present, OK, MISSING).astype(np.int8)
    finite = np.isfinite(values)
    bad = present & ~finite
    signal[bad] = INEXACT
    usable = present & finite
    safe = np.where(usable, values, 0.0)
    with np.errstate(invalid="ignore", over="ignore"):
        candidate = np.round(safe * 1e6)
        found = (np.abs(candidate) < 2.0**50) & (candidate / 1e6 == safe)
    num = candidate.astype(np.int64) * found
    others = np.flatnonzero(usable & ~found)
    if not len(others):
        digits = 0  # the fewest decimals every row fits in (2 for percentages like 87.25)
        while digits < 6 and (num % 10 ** (6 - digits)).any():
            digits += 1
        if digits < 6:
            num //= 10 ** (6 - digits)
        return Rationals(num, filled(10**digits, n), signal), bad
    den = np.full(n, 10**6, np.int64)
    for row in others.tolist():
        exact = exact_number(float(values[row]))
        if exact is None or not fits(exact):
            signal[row] = INEXACT
        else:
            num[row], den[row] = exact.numerator, exact.denominator
    return Rationals(num, den, signal), bad


class CodedColumn(RawColumn):
    def __init__(self, coded: Coded) -> None:
        self.coded = coded
        self.n = len(coded)

    def present(self) -> Bools:
        result: Bools = self.coded.codes >= 0
        return result

    def slice(self, start: int, stop: int) -> RawColumn:
        return CodedColumn(_SlicedCoded(self.coded.codes[start:stop], self.coded.labels))

    def item(self, row: int) -> Any:
        return _plain(self.coded[row])

    def factorize(self) -> tuple[Codes, list[Any]]:
        return self.coded.codes, [_plain(v) for v in self.coded.labels]


class ObjectColumn(RawColumn):
    def __init__(self, values: Sequence[Any]) -> None:
        self.values = values
        self.n = len(values)
        self._codes: Codes | None = None
        self._uniques: list[Any] = []

    def present(self) -> Bools:
        return np.array([not _absent(v) for v in self.values], dtype=np.bool_)

    def slice(self, start: int, stop: int) -> RawColumn:
        return ObjectColumn(self.values[start:stop])

    def item(self, row: int) -> Any:
        value = self.values[row]
        return None if _absent(value) else _plain(value)

    def factorize(self) -> tuple[Codes, list[Any]]:
        if self._codes is None:
            seen: dict[Any, int] = {}
            uniques: list[Any] = []
            codes = np.empty(self.n, np.int64)
            for i, value in enumerate(self.values):
                if _absent(value):
                    codes[i] = -1
                    continue
                key = (type(value), _hashable(value))
                code = seen.get(key)
                if code is None:
                    code = seen[key] = len(uniques)
                    uniques.append(_plain(value))
                codes[i] = code
            self._codes, self._uniques = codes, uniques
        return self._codes, self._uniques


def as_column(values: Any, n: int | None = None) -> RawColumn:
    """Any supported column object as a :class:`RawColumn`."""
    if isinstance(values, RawColumn):
        return values
    if isinstance(values, Coded):
        return CodedColumn(values)
    # pandas: Series (categorical or not) and Categorical
    cat = getattr(values, "cat", None)
    if cat is not None and hasattr(cat, "codes") and hasattr(cat, "categories"):
        return CodedColumn(Coded(np.asarray(cat.codes), list(cat.categories)))
    if hasattr(values, "codes") and hasattr(values, "categories"):
        return CodedColumn(Coded(np.asarray(values.codes), list(values.categories)))
    # Arrow: chunked arrays and dictionary arrays
    if hasattr(values, "combine_chunks"):
        values = values.combine_chunks()
    if hasattr(values, "dictionary") and hasattr(values, "indices"):
        indices = values.indices.to_numpy(zero_copy_only=False)
        codes = np.where(np.isnan(indices), -1, indices) if indices.dtype.kind == "f" else indices
        mask = np.asarray(values.is_null().to_numpy(zero_copy_only=False), dtype=np.bool_)
        codes = np.where(mask, -1, codes).astype(np.int64)
        return CodedColumn(Coded(codes, values.dictionary.to_pylist()))
    if hasattr(values, "to_pylist") and hasattr(values, "type"):
        return _arrow_column(values)
    if hasattr(values, "to_numpy") and hasattr(values, "dtype"):  # a pandas Series
        return _pandas_column(values)
    if isinstance(values, np.ndarray):
        if values.dtype.kind in "iufb":
            return NumericColumn(values)
        return ObjectColumn(values.tolist())
    if isinstance(values, list | tuple):
        return _list_column(values)
    raise TypeError(f"unsupported column type {type(values).__name__}")


def _list_column(values: Sequence[Any]) -> RawColumn:
    kinds = {type(v) for v in values if v is not None}
    if kinds == {int} and None not in values and all(abs(v) < 2**62 for v in values):
        return NumericColumn(np.asarray(values, dtype=np.int64))
    if kinds == {float}:
        return NumericColumn(np.array([np.nan if v is None else v for v in values], np.float64))
    return ObjectColumn(list(values))


def _pandas_column(series: Any) -> RawColumn:
    kind = getattr(series.dtype, "kind", "O")
    if kind in "iufb":
        return NumericColumn(series.to_numpy())
    na = getattr(series, "isna", None)
    if na is not None and str(series.dtype) in ("Int64", "Int32", "Int16", "Int8", "boolean"):
        present = ~np.asarray(series.isna(), dtype=np.bool_)
        filled = series.fillna(0).to_numpy(dtype=np.int64 if "Int" in str(series.dtype) else bool)
        return NumericColumn(filled, present)
    if na is not None and str(series.dtype) in ("Float64", "Float32"):
        return NumericColumn(series.to_numpy(dtype=np.float64, na_value=np.nan))
    return ObjectColumn(series.tolist())


def _arrow_column(array: Any) -> RawColumn:
    type_name = str(array.type)
    if type_name.startswith(("int", "uint", "double", "float", "bool")):
        nulls = np.asarray(array.is_null().to_numpy(zero_copy_only=False), dtype=np.bool_)
        values = array.to_numpy(zero_copy_only=False)
        if values.dtype.kind == "O":
            return ObjectColumn(array.to_pylist())
        if values.dtype.kind == "f":
            values = np.where(nulls, np.nan, values)
            return NumericColumn(values)
        return NumericColumn(values, ~nulls)
    return ObjectColumn(array.to_pylist())


class Table:
    """A batch of units as columns: unit ids, optional metadata, and fact columns."""

    def __init__(
        self,
        n: int,
        columns: Mapping[str, RawColumn],
        units: list[str],
        *,
        names: list[str | None] | None = None,
        groups: list[str | None] | None = None,
        ranked: list[bool] | None = None,
        reasons: list[str | None] | None = None,
        delegate: Bools | None = None,
        row_facts: Callable[[int], Any] | None = None,
    ) -> None:
        self.n = n
        self.columns = dict(columns)
        self.units = units
        self.names: list[str | None] = names if names is not None else [None] * n
        self.groups: list[str | None] = groups if groups is not None else [None] * n
        self.ranked: list[bool] = ranked if ranked is not None else [True] * n
        self.reasons: list[str | None] = reasons if reasons is not None else [None] * n
        #: Rows the facts themselves send to the exact path (facts that do not fit columns).
        self.delegate = delegate if delegate is not None else np.zeros(n, np.bool_)
        #: Builds one row's UnitFacts for the exact path (set by the table's maker).
        self.row_facts = row_facts

    def column(self, name: str) -> RawColumn | None:
        return self.columns.get(name)

    def slice(self, start: int, stop: int) -> Table:
        """Rows start..stop: the engine works on blocks that stay in the processor's cache."""
        return Table(
            stop - start,
            {name: column.slice(start, stop) for name, column in self.columns.items()},
            self.units[start:stop],
            names=self.names[start:stop],
            groups=self.groups[start:stop],
            ranked=self.ranked[start:stop],
            reasons=self.reasons[start:stop],
            delegate=self.delegate[start:stop],
        )


#: Columns that describe the unit rather than its facts.
META_COLUMNS = ("unit", "name", "group", "ranked", "reason")


def table_from_columns(data: Mapping[str, Any]) -> Table:
    """A column-oriented mapping (or a pandas DataFrame / Arrow table) as a :class:`Table`."""
    mapping: Mapping[str, Any]
    if hasattr(data, "column_names") and hasattr(data, "column"):  # Arrow table
        mapping = {name: data.column(name) for name in data.column_names}
    elif hasattr(data, "columns") and hasattr(data, "__getitem__") and hasattr(data, "index"):
        mapping = {str(name): data[name] for name in data.columns}  # pandas DataFrame
    else:
        mapping = data
    if "unit" not in mapping:
        raise ValueError("a batch table needs a `unit` column (the units' stable ids)")
    units = [str(u) for u in _as_list(mapping["unit"])]
    n = len(units)
    columns: dict[str, RawColumn] = {}
    for name, values in mapping.items():
        if name in META_COLUMNS:
            continue
        column = as_column(values)
        if column.n != n:
            raise ValueError(f"column {name!r} has {column.n} rows; `unit` has {n}")
        columns[str(name)] = column

    def meta(name: str) -> list[Any] | None:
        return _as_list(mapping[name]) if name in mapping else None

    names = meta("name")
    groups = meta("group")
    ranked = meta("ranked")
    reasons = meta("reason")
    return Table(
        n,
        columns,
        units,
        names=[None if _absent(v) else str(v) for v in names] if names else None,
        groups=[None if _absent(v) else str(v) for v in groups] if groups else None,
        ranked=[True if _absent(v) else bool(v) for v in ranked] if ranked else None,
        reasons=[None if _absent(v) else str(v) for v in reasons] if reasons else None,
    )


def _as_list(values: Any) -> list[Any]:
    if isinstance(values, Coded):
        return [values[i] for i in range(len(values))]
    if hasattr(values, "to_pylist"):
        result: list[Any] = values.to_pylist()
        return result
    if hasattr(values, "tolist"):
        listed: list[Any] = values.tolist()
        return listed
    return list(values)
