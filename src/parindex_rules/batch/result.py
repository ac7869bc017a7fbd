"""What a batch returns: per-unit, per-node scores as plain columns, without explanations.

Values are stored as integers: scores and indices rounded once with the ruleset's declared
places and mode, × 10**places (85.71 is 8571); maxima exactly, × 10**max_scale. They convert
to decimal text (as the JSON outputs write numbers), Decimals, or floats for plotting. The
explanation of any unit stays one call away: ``ruleset.evaluate(unit)``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from parindex_rules.evaluate.result import STATUSES
from parindex_rules.numbers import RoundingMode

Form = Literal["text", "decimal", "scaled", "float"]
_WITH_SCORE = (STATUSES.index("scored"), STATUSES.index("not_applicable"))


@dataclass
class BatchResult:
    """Scores of many units of one ruleset at one stage."""

    ruleset: str
    stage: str
    year: int
    places: int
    rounding: RoundingMode
    provisional: bool
    units: list[str]
    names: list[str | None]
    groups: list[str | None]
    ranked: npt.NDArray[np.bool_]
    reasons: list[str | None]
    #: Node ids in the ruleset's order, the total ("total") first.
    node_ids: list[str]
    #: Status per node and unit: an index into ``parindex_rules.evaluate.result.STATUSES``.
    status: npt.NDArray[np.uint8]
    #: Rounded score × 10**places (0 where the node has no score).
    score: npt.NDArray[np.int64]
    #: Rounded index × 10**places (0 where it has none: no score, or a maximum of 0).
    index: npt.NDArray[np.int64]
    #: Exact maximum × 10**max_scale of each node where it is the same for every unit (the
    #: usual case); `max_rows` holds the nodes whose maximum differs between units.
    max_common: npt.NDArray[np.int64]
    max_scale: int
    #: False for a unit with an error diagnostic (a missing value, a fact that does not fit):
    #: `Ruleset.evaluate(unit)` lists them with file, line and column.
    ok: npt.NDArray[np.bool_]
    #: Units scored by the exact single-unit path (facts that do not fit the fast path, or a
    #: value too close to a rounding boundary to be settled without exact arithmetic).
    exact: npt.NDArray[np.bool_]
    max_rows: dict[int, npt.NDArray[np.int64]] = field(default_factory=dict)

    @property
    def max(self) -> npt.NDArray[np.int64]:
        """Exact maxima × 10**max_scale, per node and unit (made on demand)."""
        out = np.repeat(self.max_common[:, None], len(self.units), axis=1)
        for i, row in self.max_rows.items():
            out[i] = row
        return out

    def max_of(self, i: int) -> npt.NDArray[np.int64]:
        row = self.max_rows.get(i)
        if row is not None:
            return row
        return np.broadcast_to(self.max_common[i], (len(self.units),))

    def set_max(self, i: int, rows: slice | int, values: Any) -> None:
        """Write maxima of node `i` for some units, keeping constant rows compact."""
        current = self.max_rows.get(i)
        if current is None:
            if np.all(np.asarray(values) == self.max_common[i]):
                return
            current = self.max_rows[i] = np.full(len(self.units), self.max_common[i], np.int64)
        current[rows] = values

    def __len__(self) -> int:
        return len(self.units)

    def __repr__(self) -> str:
        return f"<BatchResult {self.ruleset}: {len(self.units)} units × {len(self.node_ids)} nodes>"

    # -- lookups
    def row(self, node_id: str) -> int:
        try:
            return self.node_ids.index(node_id)
        except ValueError:
            raise KeyError(f"no node {node_id!r} in ruleset {self.ruleset}") from None

    def unit_row(self, unit: str) -> int:
        try:
            return self.units.index(unit)
        except ValueError:
            raise KeyError(f"no unit {unit!r} in the batch") from None

    def has_score(self, node_id: str = "total") -> npt.NDArray[np.bool_]:
        status = self.status[self.row(node_id)]
        result: npt.NDArray[np.bool_] = np.isin(status, _WITH_SCORE)
        return result

    def has_index(self, node_id: str = "total") -> npt.NDArray[np.bool_]:
        result: npt.NDArray[np.bool_] = self.has_score(node_id) & (
            self.max_of(self.row(node_id)) != 0
        )
        return result

    def statuses(self, node_id: str = "total") -> list[str]:
        return [STATUSES[s] for s in self.status[self.row(node_id)].tolist()]

    def value(
        self, unit: str, node_id: str = "total", what: Literal["score", "index", "max"] = "score"
    ) -> Decimal | None:
        """One rounded score or index (or the exact maximum) as a Decimal; None when absent."""
        return self.column(node_id, what, form="decimal")[self.unit_row(unit)]  # type: ignore[no-any-return]

    # -- columns
    def column(
        self,
        node_id: str = "total",
        what: Literal["score", "index", "max", "status"] = "score",
        *,
        form: Form = "text",
    ) -> Any:
        """One node's values for every unit.

        `form`: "text" (decimal strings, as the JSON outputs write them; None when absent),
        "decimal" (Decimal or None), "scaled" (the int64 array × 10**places, or × 10**max_scale
        for maxima; 0 when absent — see :meth:`has_score`), "float" (NaN when absent).
        """
        i = self.row(node_id)
        if what == "status":
            return self.statuses(node_id)
        if what == "max":
            values, places, present = self.max_of(i), self.max_scale, np.ones(len(self), np.bool_)
        elif what == "score":
            values, places, present = self.score[i], self.places, self.has_score(node_id)
        else:
            values, places, present = self.index[i], self.places, self.has_index(node_id)
        if form == "scaled":
            return values
        if form == "float":
            return np.where(present, values / 10**places, np.nan)
        if what == "max":
            return _texts_exact(values, places, form)
        return _texts(values, places, present, form)

    def to_columns(
        self,
        nodes: Sequence[str] | None = None,
        what: Iterable[str] = ("score", "index"),
        *,
        form: Form = "text",
    ) -> dict[str, Any]:
        """Plain columns: ``unit`` and, per node, ``"<node>.score"``, ``"<node>.index"``, ...

        The default covers every node; pass `nodes` (e.g. ``["total", "1", "2"]``) to keep a
        table small. Partition-friendly: the result is a dict of lists or numpy arrays, ready
        for ``pandas.DataFrame(...)``.
        """
        out: dict[str, Any] = {"unit": list(self.units)}
        out["ranked"] = self.ranked.copy()
        out["ok"] = self.ok.copy()
        for node_id in nodes if nodes is not None else self.node_ids:
            for kind in what:
                out[f"{node_id}.{kind}"] = self.column(node_id, kind, form=form)  # type: ignore[arg-type]
        return out

    def to_pandas(
        self,
        nodes: Sequence[str] | None = None,
        what: Iterable[str] = ("score", "index"),
        *,
        form: Form = "text",
    ) -> Any:
        """The same columns as a pandas DataFrame (pandas must be installed)."""
        import pandas as pd  # type: ignore[import-untyped, unused-ignore]

        return pd.DataFrame(self.to_columns(nodes, what, form=form))


def _texts(
    values: npt.NDArray[np.int64], places: int, present: npt.NDArray[np.bool_], form: Form
) -> list[Any]:
    """Scaled integers as decimal text with exactly `places` digits ("85.71")."""
    out: list[Any] = []
    scale = 10**places
    for value, given in zip(values.tolist(), present.tolist(), strict=True):
        if not given:
            out.append(None)
            continue
        sign = "-" if value < 0 else ""
        whole, fraction = divmod(abs(value), scale)
        text = f"{sign}{whole}.{fraction:0{places}d}" if places else f"{sign}{whole}"
        out.append(text if form == "text" else Decimal(text))
    return out


def _texts_exact(values: npt.NDArray[np.int64], places: int, form: Form) -> list[Any]:
    """Exact maxima without needless zeros ("100", "14.5")."""
    from parindex_rules.numbers import format_exact

    cache: dict[int, Any] = {}
    out: list[Any] = []
    for value in values.tolist():
        shown = cache.get(value)
        if shown is None:
            exact = Decimal(value).scaleb(-places)
            shown = cache[value] = format_exact(exact) if form == "text" else exact
        out.append(shown)
    return out
