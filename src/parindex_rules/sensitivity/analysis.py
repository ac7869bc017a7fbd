"""How stable each unit's rank is when declared parameters vary (Monte Carlo).

The approach of COINr and of the JRC/OECD Handbook on composite indicators: draw the uncertain
parameters (band thresholds, weights, maxima) many times, score and rank every unit in each
replicate, report the interval each unit's rank falls in, and which parameter moves ranks most
(a first-order sensitivity index of the mean absolute rank shift, estimated by grouping the
replicates on each parameter's value: the share of that output's variance the parameter
explains on its own).

Scores are exact. Each replicate's tree of sums is computed for all replicates and units at
once in floats *with a rigorous error bound*; two units whose indices are closer than their
bounds are compared again in exact fractions, so ranks and ties never depend on float noise.
Ranking is standard competition ranking (1, 2, 2, 4) on the exact index, within each unit's
group when the ruleset ranks within groups.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from parindex_rules.api import Ruleset
from parindex_rules.compile.compiled import CompiledNode
from parindex_rules.diagnostics import DiagnosticError
from parindex_rules.evaluate.engine import Stage, UnitEvaluation
from parindex_rules.expr.nodes import Env
from parindex_rules.intervals import Interval
from parindex_rules.loader.facts import Facts
from parindex_rules.numbers import format_exact, format_rounded
from parindex_rules.sensitivity.spec import Parameter, parse

_U = 2.0**-52


@dataclass
class UnitSensitivity:
    unit: str
    name: str
    group: str | None
    rank: int  # nominal: no parameter varied
    index: str  # nominal, rounded as declared
    ranks: npt.NDArray[np.int64]
    index_low: str
    index_high: str
    moved_most_by: str | None

    @property
    def interval(self) -> tuple[int, int]:
        return int(self.ranks.min()), int(self.ranks.max())

    def quantile(self, q: float) -> int:
        return int(np.quantile(self.ranks, q, method="inverted_cdf"))


@dataclass
class Influence:
    parameter: Parameter
    #: Share of the variance of the mean absolute rank shift this parameter explains alone.
    first_order: float
    #: Mean absolute rank shift over the replicates where this parameter is at either end.
    shift_at_extremes: float


@dataclass
class SensitivityResult:
    ruleset: str
    provisional: bool
    stage: str
    replicates: int
    seed: int
    units: list[UnitSensitivity]
    influences: list[Influence]
    mean_rank_shift: float
    not_ranked: list[dict[str, Any]] = field(default_factory=list)

    def unit(self, unit_id: str) -> UnitSensitivity:
        for unit in self.units:
            if unit.unit == unit_id:
                return unit
        raise KeyError(unit_id)

    def most_influential(self) -> Influence | None:
        return self.influences[0] if self.influences else None

    def to_json(self) -> dict[str, Any]:
        return {
            "ruleset": self.ruleset,
            "provisional": self.provisional,
            "stage": self.stage,
            "replicates": self.replicates,
            "seed": self.seed,
            "mean_rank_shift": round(self.mean_rank_shift, 6),
            "parameters": [
                {
                    "spec": i.parameter.text,
                    "kind": i.parameter.kind,
                    "target": i.parameter.target,
                    "values": len(i.parameter.grid),
                    "first_order": round(i.first_order, 6),
                    "shift_at_extremes": round(i.shift_at_extremes, 6),
                }
                for i in self.influences
            ],
            "units": [
                {
                    "unit": u.unit,
                    "name": u.name,
                    "group": u.group,
                    "rank": u.rank,
                    "rank_interval": list(u.interval),
                    "rank_p05": u.quantile(0.05),
                    "rank_median": u.quantile(0.5),
                    "rank_p95": u.quantile(0.95),
                    "index": u.index,
                    "index_interval": [u.index_low, u.index_high],
                    "moved_most_by": u.moved_most_by,
                }
                for u in self.units
            ],
            "not_ranked": self.not_ranked,
        }

    def to_text(self) -> str:
        lines = []
        if self.provisional:
            lines.append("PROVISIONAL: this ruleset rests on content no source states.")
        lines.append(
            f"Sensitivity of ranks — {self.ruleset}, stage {self.stage}: {self.replicates} "
            f"replicates, seed {self.seed}; mean absolute rank shift "
            f"{self.mean_rank_shift:.3f}"
        )
        lines.append("")
        head = ("Unit", "Rank", "Interval", "5–95 %", "Median", "Index", "Index range", "Moved by")
        rows = [head]
        for u in sorted(self.units, key=lambda x: (x.group or "", x.rank, x.unit)):
            low, high = u.interval
            rows.append(
                (
                    u.unit,
                    str(u.rank),
                    f"{low}–{high}" if low != high else str(low),
                    f"{u.quantile(0.05)}–{u.quantile(0.95)}",
                    str(u.quantile(0.5)),
                    u.index,
                    f"{u.index_low}–{u.index_high}",
                    u.moved_most_by or "—",
                )
            )
        widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
        for row in rows:
            lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        lines.append("")
        lines.append(
            "Parameters, most influential first (first-order share of rank-shift variance):"
        )
        for i in self.influences:
            lines.append(
                f"  {i.first_order:6.3f}  {i.parameter.text}  (mean shift at its extremes "
                f"{i.shift_at_extremes:.3f})"
            )
        for entry in self.not_ranked:
            lines.append(f"not ranked: {entry['unit']} ({entry['reason']})")
        return "\n".join(lines) + "\n"


class _Cohort:
    """The exact base scores of every unit, and the values band thresholds are compared with."""

    def __init__(self, ruleset: Ruleset, facts: Facts, stage: Stage, params: list[Parameter]):
        compiled = ruleset.compiled
        self.compiled = compiled
        self.leaves = list(compiled.leaf_order)
        self.position = {leaf: i for i, leaf in enumerate(self.leaves)}
        evaluations = []
        problems: list[Any] = []
        for i in range(len(facts.units)):
            evaluation = UnitEvaluation.of(compiled, facts, i, stage=stage)
            result = evaluation.run()
            problems.extend(d for d in result.diagnostics if d.is_error)
            evaluations.append((evaluation, result))
        if problems:
            raise DiagnosticError(problems)
        self.results = [r for _, r in evaluations if r.evaluated]
        banded = {p.target for p in params if p.kind == "threshold"}
        n, k = len(self.results), len(self.leaves)
        self.score: list[list[Fraction | None]] = [[None] * k for _ in range(n)]
        self.max = np.zeros((n, k), dtype=object)
        self.band_value: dict[tuple[int, str], Fraction] = {}
        kept = [(e, r) for e, r in evaluations if r.evaluated]
        for u, (evaluation, result) in enumerate(kept):
            for j, leaf in enumerate(self.leaves):
                node = result.nodes[leaf]
                self.max[u, j] = Fraction(node.max)
                if node.status in ("scored", "not_applicable"):
                    self.score[u][j] = Fraction(node.score or 0)
                if leaf in banded and node.status == "scored":
                    value = _band_value(evaluation, compiled.nodes[leaf])
                    points = _points(compiled.nodes[leaf], value, {})
                    if points == self.score[u][j]:  # else post-processed (evidence): fixed
                        self.band_value[(u, leaf)] = value


def _band_value(evaluation: UnitEvaluation, node: CompiledNode) -> Fraction:
    method: Any = node.method
    lookup = evaluation._lookup_factory(None, node)
    if method.formula is not None:
        value = method.formula.evaluate(Env(lookup, evaluation.rounding))
    else:
        value = lookup(method.config.input)
    return Fraction(value)


def _points(node: CompiledNode, value: Fraction, shifts: dict[Decimal, Decimal]) -> Fraction:
    """The points of the band `value` falls in once each threshold t moves to t + shifts[t]."""
    method: Any = node.method
    for band, interval in zip(method.config.bands, method.intervals, strict=False):
        moved = Interval(
            None if interval.low is None else interval.low + shifts.get(interval.low, 0),
            interval.low_closed,
            None if interval.high is None else interval.high + shifts.get(interval.high, 0),
            interval.high_closed,
        )
        if moved.contains(value):
            return Fraction(band.points)
    return Fraction(0)  # a value past a moved edge of the domain: no band, no points


def analyse(
    ruleset: Ruleset,
    facts: Facts,
    specs: Sequence[str],
    *,
    replicates: int = 1000,
    seed: int = 0,
    stage: Stage = "final",
) -> SensitivityResult:
    """Vary the parameters `specs` (spec.py) over `replicates` seeded draws; rank intervals."""
    from parindex_rules.sensitivity.spec import thresholds

    compiled = ruleset.compiled
    params = [parse(spec, compiled) for spec in specs]
    if replicates < 1:
        raise ValueError("replicates must be at least 1")
    cohort = _Cohort(ruleset, facts, stage, params)
    results = cohort.results
    leaves = cohort.leaves
    n_units, n_leaves = len(results), len(leaves)
    rng = np.random.default_rng(seed)
    draws = np.stack(
        [rng.integers(0, len(p.grid), size=replicates) for p in params]
        or [np.zeros(replicates, np.int64)]
    )[: len(params)]

    # Factors of points and maxima: one per replicate and leaf, exact per parameter value.
    factor_tables: list[tuple[int, list[int], list[Fraction]]] = []
    factors = np.ones((replicates, n_leaves))
    for p_index, param in enumerate(params):
        if param.kind == "threshold":
            continue
        node = compiled.nodes.get(param.target)  # None for an origin (a weight in %)
        grid_factors = [param.factor(d, node) for d in param.grid]
        columns = [cohort.position[leaf] for leaf in param.leaves]
        factor_tables.append((p_index, columns, grid_factors))
        floats = np.array([float(v) for v in grid_factors])[draws[p_index]]
        factors[:, columns] *= floats[:, None]

    # Band items whose thresholds move: points per unit for each distinct combination drawn.
    band_points: dict[str, tuple[npt.NDArray[np.float64], list[int], Any]] = {}
    for leaf in {p.target for p in params if p.kind == "threshold"}:
        node = compiled.nodes[leaf]
        acting = [i for i, p in enumerate(params) if p.kind == "threshold" and p.target == leaf]
        combos, found = np.unique(draws[acting].T, axis=0, return_inverse=True)
        inverse = found.reshape(-1)
        table = np.zeros((len(combos), n_units))
        exact: dict[tuple[int, int], Fraction] = {}
        own = thresholds(node)
        for c, combo in enumerate(combos):
            shifts: dict[Decimal, Decimal] = {}
            for p_index, g in zip(acting, combo, strict=True):
                param = params[p_index]
                delta = param.grid[int(g)]
                for t in own if param.at is None else [param.at]:
                    shifts[t] = shifts.get(t, Decimal(0)) + delta
            for u in range(n_units):
                value = cohort.band_value.get((u, leaf))
                base = cohort.score[u][cohort.position[leaf]]
                points = base if value is None else _points(node, value, shifts)
                exact[(c, u)] = points or Fraction(0)
                table[c, u] = float(points or 0)
        band_points[leaf] = (table, list(inverse), exact)

    # Every replicate and unit at once: the tree of sums in floats, with error bounds.
    score_f = np.array([[float(s) if s is not None else 0.0 for s in row] for row in cohort.score])
    max_f = cohort.max.astype(float)
    clamp = compiled.document.policies.clamp_total.value
    sums: dict[str, tuple[Any, Any, Any, Any]] = {}
    for j, leaf in enumerate(leaves):
        f = factors[:, j][:, None]
        if leaf in band_points:
            table, chosen, _ = band_points[leaf]
            s = table[np.asarray(chosen)]
        else:
            s = score_f[:, j][None, :]
        v = f * s
        m = f * max_f[:, j][None, :]
        sums[leaf] = (v, np.abs(v) * (4 * _U), m, np.abs(m) * (4 * _U))
    adjusted = _adjusted(compiled)
    for node_id in compiled.parent_order:
        node = compiled.nodes[node_id]
        total_v: Any = 0.0
        total_e: Any = 0.0
        total_m: Any = 0.0
        total_me: Any = 0.0
        size: Any = 0.0
        for child_id in node.children:
            v, e, m, me = sums.pop(child_id)
            child = compiled.nodes[child_id]
            total_v = total_v - v if child.subtracted else total_v + v
            size = size + np.abs(v)
            total_e = total_e + e
            if not child.adjusts_parent:
                total_m = total_m + m
                total_me = total_me + me
        k = len(node.children) + 2
        total_e = total_e + size * (k * _U)
        total_me = total_me + np.abs(total_m) * (k * _U)
        if clamp and adjusted.get(node_id):
            total_v = np.clip(total_v, 0.0, total_m)
        sums[node_id] = (total_v, total_e, total_m, total_me)
    total_v, total_e, total_m, total_me = sums["total"]
    total_v = np.broadcast_to(total_v, (replicates, n_units))
    total_m = np.broadcast_to(total_m, (replicates, n_units))
    with np.errstate(divide="ignore", invalid="ignore"):
        index = np.where(total_m > 0, total_v / total_m * 100, 0.0)
        index_error = np.where(
            total_m > 0,
            (total_e / total_m + np.abs(total_v) * total_me / total_m**2) * 100
            + np.abs(index) * (8 * _U),
            0.0,
        )
    index_error = np.broadcast_to(index_error, (replicates, n_units)) * 2 + 1e-300

    exact_cache: dict[tuple[int, tuple[int, ...]], Fraction] = {}

    def exact_index(r: int, u: int) -> Fraction:
        key = (u, tuple(int(x) for x in draws[:, r]))
        cached = exact_cache.get(key)
        if cached is None:
            cached = exact_cache[key] = _exact_index(
                compiled, cohort, params, factor_tables, band_points, draws, r, u, adjusted
            )
        return cached

    # Nominal ranks (nothing varied) on the exact index.
    nominal_index = [Fraction(r.index) if r.index is not None else Fraction(0) for r in results]
    ranked_units = [u for u, r in enumerate(results) if r.ranked]
    within = compiled.document.ranking.within
    groups: dict[str | None, list[int]] = {}
    for u in ranked_units:
        groups.setdefault(results[u].group if within == "group" else None, []).append(u)
    nominal_rank = _nominal_ranks(results, ranked_units, nominal_index, within)
    ranks = np.zeros((replicates, n_units), np.int64)
    for members in groups.values():
        _rank_group(index, index_error, members, ranks, exact_index)

    # Outputs.
    mean_shift = np.zeros(replicates)
    if ranked_units:
        nominal = np.array([nominal_rank[u] for u in ranked_units])
        mean_shift = np.abs(ranks[:, ranked_units] - nominal[None, :]).mean(axis=1)
    influences = [
        Influence(p, _first_order(mean_shift, draws[i]), _at_extremes(mean_shift, draws[i], p))
        for i, p in enumerate(params)
    ]
    influences.sort(key=lambda x: (-x.first_order, -x.shift_at_extremes, x.parameter.text))
    doc = compiled.document
    places, mode = doc.rounding.places, doc.rounding.mode
    units = []
    for u in ranked_units:

        def exact_of(r: int, u: int = u) -> Fraction:
            return exact_index(r, u)

        low = _exact_extreme(index[:, u], index_error[:, u], exact_of, min)
        high = _exact_extreme(index[:, u], index_error[:, u], exact_of, max)
        moved = None
        if params and ranks[:, u].min() != ranks[:, u].max():
            shares = [_first_order(ranks[:, u].astype(float), draws[i]) for i in range(len(params))]
            moved = params[int(np.argmax(shares))].text
        result = results[u]
        units.append(
            UnitSensitivity(
                unit=result.unit,
                name=result.name,
                group=result.group,
                rank=nominal_rank[u],
                index=format_rounded(nominal_index[u], places, mode),
                ranks=ranks[:, u].copy(),
                index_low=format_rounded(low, places, mode),
                index_high=format_rounded(high, places, mode),
                moved_most_by=moved,
            )
        )
    not_ranked = [
        {"unit": r.unit, "name": r.name, "reason": r.reason} for r in results if not r.ranked
    ]
    return SensitivityResult(
        ruleset=compiled.id,
        provisional=compiled.provisional,
        stage=stage,
        replicates=replicates,
        seed=seed,
        units=units,
        influences=influences,
        mean_rank_shift=float(mean_shift.mean()),
        not_ranked=not_ranked,
    )


def _nominal_ranks(
    results: list[Any], ranked_units: list[int], index: list[Fraction], within: Any
) -> dict[int, int]:
    """Ranks with nothing varied, by :mod:`parindex_rules.rank` (exact ties): the replicates
    below are ranked the same way, vectorised (one Ranking per replicate would be too slow)."""
    from parindex_rules.rank.ranking import RankEntry, Ranking
    from parindex_rules.rank.ties import ExactTies

    entries = [
        RankEntry(results[u].unit, results[u].name, results[u].group, index[u])
        for u in ranked_units
    ]
    ranks = Ranking(ExactTies(), within=within).rank(entries).ranks()
    return {u: int(ranks[results[u].unit] or 0) for u in ranked_units}


def _adjusted(compiled: Any) -> dict[str, bool]:
    """Parents with a bonus or penalty item below them (only they can leave [0, max])."""
    out: dict[str, bool] = {}
    for node_id in compiled.parent_order:
        out[node_id] = any(
            compiled.nodes[c].adjusts_parent or out.get(c, False)
            for c in compiled.nodes[node_id].children
        )
    return out


def _rank_group(index: Any, error: Any, members: list[int], ranks: Any, exact_index: Any) -> None:
    """Competition ranks within one group for every replicate; near-ties settled exactly."""
    if not members:
        return
    values = index[:, members]
    errors = error[:, members]
    order = np.argsort(-values, axis=1, kind="stable")
    ordered = np.take_along_axis(values, order, axis=1)
    ordered_error = np.take_along_axis(errors, order, axis=1)
    close = (ordered[:, :-1] - ordered[:, 1:]) <= (ordered_error[:, :-1] + ordered_error[:, 1:])
    positions = np.broadcast_to(np.arange(1, len(members) + 1), order.shape)
    block = np.empty_like(order)
    np.put_along_axis(block, order, positions, axis=1)
    member_array = np.array(members)
    ranks[:, member_array] = block
    for r in np.flatnonzero(close.any(axis=1)).tolist():
        i = 0
        k = len(members)
        while i < k:
            j = i
            while j + 1 < k and close[r, j]:
                j += 1
            if j > i:  # positions i..j are within float noise of each other: exact
                chain = [members[int(order[r, p])] for p in range(i, j + 1)]
                exact = {u: exact_index(r, u) for u in chain}
                for u in chain:
                    ranks[r, u] = i + 1 + sum(exact[w] > exact[u] for w in chain)
            i = j + 1


def _exact_index(
    compiled: Any,
    cohort: _Cohort,
    params: list[Parameter],
    factor_tables: list[tuple[int, list[int], list[Fraction]]],
    band_points: dict[str, Any],
    draws: Any,
    r: int,
    u: int,
    adjusted: dict[str, bool],
) -> Fraction:
    """One unit's index in one replicate, in exact fractions (the float path's referee)."""
    k = len(cohort.leaves)
    factor = [Fraction(1)] * k
    for p_index, columns, values in factor_tables:
        value = values[int(draws[p_index, r])]
        for c in columns:
            factor[c] *= value
    scores: dict[str, tuple[Fraction, Fraction]] = {}
    for j, leaf in enumerate(cohort.leaves):
        if leaf in band_points:
            _, inverse, exact = band_points[leaf]
            s: Fraction = exact[(int(inverse[r]), u)]
        else:
            s = cohort.score[u][j] or Fraction(0)
        scores[leaf] = (factor[j] * s, factor[j] * cohort.max[u, j])
    clamp = compiled.document.policies.clamp_total.value
    for node_id in compiled.parent_order:
        total = Fraction(0)
        maximum = Fraction(0)
        for child_id in compiled.nodes[node_id].children:
            v, m = scores.pop(child_id)
            child = compiled.nodes[child_id]
            total = total - v if child.subtracted else total + v
            if not child.adjusts_parent:
                maximum += m
        if clamp and adjusted.get(node_id):
            total = min(max(total, Fraction(0)), maximum)
        scores[node_id] = (total, maximum)
    total, maximum = scores["total"]
    return total / maximum * 100 if maximum else Fraction(0)


def _exact_extreme(values: Any, errors: Any, exact: Any, pick: Any) -> Fraction:
    """The exact smallest (or largest) index over the replicates: every replicate whose float
    could be the extreme is settled exactly."""
    best = float(pick(values))
    if pick is min:
        candidates = np.flatnonzero(values - errors <= best + errors.max())
    else:
        candidates = np.flatnonzero(values + errors >= best - errors.max())
    return pick(exact(int(r)) for r in candidates)  # type: ignore[no-any-return]


def _first_order(output: Any, draws: Any) -> float:
    """Share of the variance of `output` explained by the parameter's value alone (η²)."""
    total = float(np.var(output))
    if total == 0.0:
        return 0.0
    mean = float(np.mean(output))
    explained = 0.0
    for value in np.unique(draws):
        chosen = output[draws == value]
        explained += len(chosen) * (float(chosen.mean()) - mean) ** 2
    return explained / len(output) / total


def _at_extremes(output: Any, draws: Any, param: Parameter) -> float:
    top = len(param.grid) - 1
    chosen = output[(draws == 0) | (draws == top)]
    return float(chosen.mean()) if len(chosen) else 0.0


__all__ = ["Influence", "SensitivityResult", "UnitSensitivity", "analyse", "format_exact"]
