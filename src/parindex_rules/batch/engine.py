"""Evaluate many units of one ruleset at once, exactly, without explanation records.

The single-unit engine (:mod:`parindex_rules.evaluate.engine`) walks the compiled ruleset once
per unit. This one walks it once per batch: every step computes a whole column.

How exactness is kept:

- Leaves score exactly: each method's ``evaluate_batch`` returns exact rationals
  (:mod:`parindex_rules.batch.exact`); methods without one are called per unit, for that item
  alone.
- A score that is a decimal with at most ``SCALE`` places (every choice, band, point and
  survey score, and most ratios) is held as a scaled integer: sums, indices and the declared
  rounding are then integer arithmetic, exact by construction.
- A score that is not such a decimal (a ratio like 2/3) is carried as a float with a rigorous
  error bound. When rounding, a value whose interval could hold a rounding boundary (x.xx5 for
  the half modes) is flagged, and its unit is scored again by the exact single-unit path.
- Units whose facts do not fit (an unknown outcome, a value out of range, a zero denominator
  the rule does not cover, a number too large for int64, a unit withheld) are also scored by
  the exact path, which reports each problem with its line and column.

So every number equals what :meth:`Ruleset.evaluate` gives, after the declared rounding.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from parindex_rules.batch.columns import RawColumn, Table
from parindex_rules.batch.contract import BatchContext, BatchOutcome
from parindex_rules.batch.exact import (
    INEXACT,
    MISSING,
    OK,
    ZERO_DENOMINATOR,
    Rationals,
    Truths,
    constant_of,
    filled,
    fits,
    overflows,
    round_division,
    round_nonnegative,
    select,
)
from parindex_rules.batch.formulas import BatchEnv, evaluate
from parindex_rules.batch.result import BatchResult
from parindex_rules.compile.compiled import CompiledNode, CompiledRuleset
from parindex_rules.diagnostics import Diagnostic, FactsError
from parindex_rules.evaluate.engine import Stage, UnitEvaluation, stage_includes
from parindex_rules.evaluate.result import STATUSES, UnitResult
from parindex_rules.expr.nodes import Env, EvaluationSignal, MissingValue, ZeroDenominator
from parindex_rules.methods.base import EvalContext, FactProblem, LeafInfo, ScoringMethod
from parindex_rules.model.ruleset import Origin
from parindex_rules.numbers import Number, RoundingMode, normalize, round_to

Bools = npt.NDArray[np.bool_]
Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]

SCORED, NOT_APPLICABLE, MISSING_STATUS, NOT_IN_STAGE, ERROR, WITHHELD, INCOMPLETE = (
    STATUSES.index(s)
    for s in (
        "scored",
        "not_applicable",
        "missing",
        "not_in_stage",
        "error",
        "withheld",
        "incomplete",
    )
)
#: Statuses whose node has a score (not applicable scores 0): the two lowest codes.
HAS_SCORE = (SCORED, NOT_APPLICABLE)
assert HAS_SCORE == (0, 1)
#: Child statuses that leave a parent incomplete (no score though counted), as status bits.
_BROKEN = np.uint8((1 << MISSING_STATUS) | (1 << ERROR) | (1 << WITHHELD) | (1 << INCOMPLETE))

#: Rows per block: int64 columns of this many rows stay in the cache and out of the system
#: allocator's page-faulting path (below 128 KiB each).
BLOCK = 16_000

#: Scores are held as integers of 10**-scale points, exact at that scale: scale 9 when the
#: ruleset's sums and indices fit int64 at it (any real ruleset), else down to 6.
SCALES = (9, 8, 7, 6)
_U = 2.0**-52  # a generous unit roundoff for the error bounds below
_BOUND = 2**62


@dataclass
class _Column:
    """One node's values across the batch: a decimal part and, where needed, a rational rest.

    The score is ``value × 10**-scale + rest``: `value` holds every score that is a decimal at
    the engine's scale (choices, bands, points, most ratios); `rest` holds what is not (2/3 of
    a point), exactly while int64 can hold it, else (signal INEXACT) `approx` ± `error` does.
    """

    status: npt.NDArray[np.uint8]
    value: Ints
    max: Ints
    rest: Rationals | None = None
    approx: Floats | None = None
    error: Floats | None = None

    def has_score(self) -> Bools:
        result: Bools = self.status <= NOT_APPLICABLE
        return result


class BatchEngine:
    """A compiled ruleset prepared for batches: node order, scale, and the fast-path check."""

    def __init__(self, compiled: CompiledRuleset) -> None:
        self.compiled = compiled
        self.doc = compiled.document
        self.places = self.doc.rounding.places
        self.rounding = self.doc.rounding.mode
        self.node_ids = list(compiled.nodes)
        self.position = {node_id: i for i, node_id in enumerate(self.node_ids)}
        decimals = max((_decimals(n.max) for n in compiled.nodes.values()), default=0)
        bound = sum((n.max for n in compiled.leaves()), Decimal(0))
        fitting = [s for s in SCALES if bound * 10 ** (s + 2 + self.places) * 4 < _BOUND]
        self.scale = max(fitting[0] if fitting else SCALES[-1], decimals)
        #: Whether every sum, index and rounding fits int64 at this scale (else: exact path).
        self.fast = bound * 10 ** (self.scale + 2 + self.places) * 4 < _BOUND
        self.unit = 10**self.scale
        #: Parents that can leave [0, max] (a bonus or penalty below them): only these clamp.
        self.clamped: dict[str, bool] = {}
        for node_id in compiled.parent_order:
            node = compiled.nodes[node_id]
            self.clamped[node_id] = any(
                compiled.nodes[c].adjusts_parent or self.clamped.get(c, False)
                for c in node.children
            )
        #: Rounded scores and indices fit int32 for any ruleset whose indices stay below 2**31.
        adjusted = any(n.origin.adjustment for n in compiled.leaves())
        if adjusted and not self.doc.policies.clamp_total.value:
            smallest = min((n.max for n in compiled.nodes.values() if n.max > 0), default=1)
            widest = bound / Decimal(smallest) * 100 * 10**self.places
        else:  # every score within its maximum: indices up to 100
            widest = max(bound, Decimal(100)) * 10**self.places
        self.dtype = next(
            t
            for t, top in ((np.int16, 2**15), (np.int32, 2**31), (np.int64, 2**63))
            if widest < top
        )
        #: No penalty item: every score is >= 0, which lets rounding take a shorter path.
        self.nonnegative = all(n.origin is not Origin.PENALTY for n in compiled.leaves())
        self.owned_inputs: dict[str, list[str]] = {}
        for name, owner in compiled.input_owner.items():
            self.owned_inputs.setdefault(owner, []).append(name)

    def years_of(self, table: Table, item_id: str) -> list[str]:
        """The table's columns of other survey years for an item (``8.1@2022``)."""
        years = getattr(table, "_years", None)
        if years is None:
            years = {}
            for name in table.columns:
                item, at, _ = name.partition("@")
                if at:
                    years.setdefault(item, []).append(name)
            table._years = years  # type: ignore[attr-defined]
        found: list[str] = years.get(item_id, [])
        return found

    # -- the run
    def run(self, table: Table, *, stage: Stage, year: int) -> BatchResult:
        """Score every row of `table`; blocks of rows stay small enough for the cache."""
        n = table.n
        result = self.empty_result(table, stage, year)
        delegate = table.delegate.copy()
        if self.fast:
            for start in range(0, n, BLOCK):
                stop = min(n, start + BLOCK)
                block = _Run(self, table.slice(start, stop), stage, year)
                block.inputs()
                block.derive()
                for node_id in self.compiled.leaf_order:
                    block.leaf(self.compiled.nodes[node_id])
                for node_id in self.compiled.parent_order:
                    block.parent(self.compiled.nodes[node_id])
                block.write(result, start)
                delegate[start:stop] |= block.delegate
        else:
            delegate[:] = True
        self.exact_rows(result, table, delegate, stage, year)
        return result

    def empty_result(self, table: Table, stage: Stage, year: int) -> BatchResult:
        n = table.n
        shape = (len(self.node_ids), n)
        ranked = np.array(table.ranked, dtype=np.bool_) if n else np.zeros(0, np.bool_)
        reasons = list(table.reasons)
        for rule in self.doc.ranking.not_ranked:
            for row in range(n):
                if rule.matches(table.units[row], table.names[row]):
                    ranked[row] = False
                    reasons[row] = rule.reason
        return BatchResult(
            ruleset=self.compiled.id,
            stage=stage,
            year=year,
            places=self.places,
            rounding=self.rounding,
            provisional=self.compiled.provisional,
            units=list(table.units),
            names=list(table.names),
            groups=list(table.groups),
            ranked=ranked,
            reasons=reasons,
            node_ids=list(self.node_ids),
            status=np.full(shape, WITHHELD, np.uint8),
            score=np.zeros(shape, self.dtype),
            index=np.zeros(shape, self.dtype),
            max_common=np.array(
                [int(self.compiled.nodes[i].max.scaleb(self.scale)) for i in self.node_ids],
                np.int64,
            ),
            max_scale=self.scale,
            ok=np.ones(n, np.bool_),
            exact=np.zeros(n, np.bool_),
        )

    def exact_rows(
        self, result: BatchResult, table: Table, delegate: Bools, stage: Stage, year: int
    ) -> None:
        """Score the delegated rows with the exact single-unit path and write them in."""
        rows = np.flatnonzero(delegate)
        if not len(rows):
            return
        if table.row_facts is None:  # pragma: no cover - every table maker sets it
            raise RuntimeError("this table cannot give a unit's facts for the exact path")
        problems: list[Diagnostic] = []
        for row in rows.tolist():
            try:
                unit = table.row_facts(row)
            except FactsError as exc:
                problems.extend(exc.diagnostics)
                continue
            exact = UnitEvaluation(self.compiled, unit, stage=stage, year=year).run()
            write_unit(result, row, exact, self.scale)
        if problems:
            raise FactsError(problems)


def _decimals(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -int(exponent)) if isinstance(exponent, int) else 0


class _Run:
    """One batch: the working columns and the rows sent to the exact path."""

    def __init__(self, engine: BatchEngine, table: Table, stage: Stage, year: int) -> None:
        self.engine = engine
        self.compiled = engine.compiled
        self.doc = engine.doc
        self.table = table
        self.stage = stage
        self.year = year
        self.n = table.n
        self.delegate = table.delegate.copy()
        self.row_error = np.zeros(self.n, np.bool_)  # an error diagnostic the batch path found
        self.inputs_: dict[str, Rationals] = {}
        self.derived: dict[str, Rationals | Truths] = {}
        self.columns: dict[str, _Column] = {}
        self.not_applicable: dict[str, Bools] = {}
        self.parameters = {
            name: Rationals.constant(value, self.n)
            for name, value in self.compiled.parameters.items()
        }

    # -- names formulas read
    def lookup(self, name: str) -> Rationals:
        if name in self.inputs_:
            return self.inputs_[name]
        if name in self.derived:
            value = self.derived[name]
            if isinstance(value, Truths):  # a true/false derived value read as a number
                return Rationals.inexact(self.n)
            return value
        if name in self.parameters:
            return self.parameters[name]
        return Rationals.signalled(self.n, MISSING)

    def item_not_applicable(self, node: CompiledNode) -> Bools:
        """Rows whose facts declare the item not applicable (checked as the exact path does)."""
        cached = self.not_applicable.get(node.id)
        if cached is not None:
            return cached
        na = np.zeros(self.n, np.bool_)
        column = self.table.column(f"{node.id}:applicable")
        if column is not None:
            codes, values = column.factorize()
            given = codes >= 0
            flags = np.array([v is False or v == 0 for v in values] + [False], np.bool_)
            fit = np.array([isinstance(v, bool) or v in (0, 1) for v in values] + [True])
            index = np.where(given, codes, len(values))
            self.delegate |= given & ~fit[index]
            na = given & flags[index]
            if na.any():
                reasons = self.table.column(f"{node.id}:reason")
                if reasons is None:
                    self.delegate |= na  # PR514: not applicable without a reason
                else:
                    rcodes, rvalues = reasons.factorize()
                    blank = np.array(
                        [not (isinstance(v, str) and v.strip()) for v in rvalues] + [True]
                    )
                    self.delegate |= na & blank[np.where(rcodes >= 0, rcodes, len(rvalues))]
                if not node.may_be_not_applicable:
                    self.delegate |= na  # PR517
        self.not_applicable[node.id] = na
        return na

    def item_present(self, node: CompiledNode) -> Bools:
        """Rows that have any fact for the item (the facts file would have an entry for it)."""
        present = np.zeros(self.n, np.bool_)
        names = [node.id, f"{node.id}:applicable", f"{node.id}:evidence"]
        names += self.engine.owned_inputs.get(node.id, [])
        for name in names:
            column = self.table.column(name)
            if column is not None:
                present |= column.present()
        return present

    # -- inputs and derived values
    def inputs(self) -> None:
        for name, owner_id in self.compiled.input_owner.items():
            owner = self.compiled.nodes[owner_id]
            spec = owner.inputs[name]
            column = self.table.column(name)
            readable = self.stage != "self" or owner.origin.self_assessable
            if column is None or not readable:
                self.inputs_[name] = Rationals.signalled(self.n, MISSING)
                continue
            values, bad = column.rationals()
            self.delegate |= bad
            ok = values.signal == OK
            limits: list[tuple[Decimal | None, Decimal | None]] = []
            if spec.kind == "count":
                self.delegate |= ok & ((values.den != 1) | (values.num < 0))
            elif spec.kind == "percent":
                limits.append((Decimal(0), Decimal(100)))
            elif spec.kind == "ratio":
                limits.append((Decimal(0), Decimal(1)))
            if spec.min is not None or spec.max is not None:
                limits.append((spec.min, spec.max))
            for low, high in limits:
                for bound, wrong in ((low, -1), (high, 1)):
                    if bound is None:
                        continue
                    sign, signal = values.compare(Rationals.constant(bound, self.n))
                    self.delegate |= ok & ((sign == wrong) | (signal != OK))
            na = self.item_not_applicable(owner)
            if na.any():
                values = values.with_signal(np.where(na, MISSING, values.signal).astype(np.int8))
            self.inputs_[name] = values

    def derive(self) -> None:
        env = BatchEnv(self.lookup, self.engine.rounding, self.n)
        for name in self.compiled.derived_order:
            self.derived[name] = evaluate(self.compiled.derived[name].formula.root, env)

    # -- leaves
    def leaf(self, node: CompiledNode) -> None:
        method = node.method
        assert method is not None
        n = self.n
        node_max = self.engine_scaled(node.max)
        if not stage_includes(self.stage, node.origin):
            self.columns[node.id] = _Column(
                np.full(n, NOT_IN_STAGE, np.uint8),
                filled(0, n),
                filled(0, n),
            )
            return
        na = self.item_not_applicable(node)
        outcome = self.score_leaf(node, method)
        score = outcome.score
        signal = score.signal
        if constant_of(signal) == OK or not signal.any():  # the common case: nothing raised
            ok = np.ones(n, np.bool_)
            missing = np.zeros(n, np.bool_)
            problem = np.zeros(n, np.bool_)
        else:
            ok = signal == OK
            missing = signal == MISSING
            problem = ~(ok | missing)
        if outcome.problem is not None and outcome.problem.any():
            problem |= outcome.problem
        excluded = na if na.any() else None  # not applicable: the method's result is not used
        if outcome.not_applicable is not None and outcome.not_applicable.any():
            excluded = outcome.not_applicable if excluded is None else excluded | na
        value, decimal = score.scaled(self.engine.scale)
        # Outside [0, max] is an error in the exact path (never clamped silently).
        problem |= decimal & ((value < 0) | (value > node_max))
        rest = ok & ~decimal & ~problem
        if rest.any():
            low, low_signal = score.compare(Rationals.constant(0, n))
            high, high_signal = score.compare(Rationals.constant(node.max, n))
            outside = (low < 0) | (high > 0) | (low_signal != OK) | (high_signal != OK)
            problem |= rest & outside
            rest &= ~outside
        if excluded is not None:
            problem &= ~excluded
            missing &= ~excluded
            rest &= ~excluded
        missing &= ~problem
        if problem.any():
            self.delegate |= problem
        keep = ~(problem | missing) if excluded is None else ~(problem | missing | excluded)
        # Evidence required: an item given without evidence scores 0.
        policy = node.evidence or self.doc.policies.evidence
        if node.origin.self_assessable and policy.value == "required":
            evidence = self.table.column(f"{node.id}:evidence")
            has = np.zeros(n, np.bool_)
            if evidence is not None:
                codes, values = evidence.factorize()
                truthy = np.array([v is True or v == 1 for v in values] + [False])
                has = truthy[np.where(codes >= 0, codes, len(values))]
            zeroed = keep & self.item_present(node) & ~has
            keep &= ~zeroed
            rest &= ~zeroed
        status = (problem * np.uint8(ERROR)).astype(np.uint8)
        if excluded is not None:
            status += excluded * np.uint8(NOT_APPLICABLE)
        if node.missing != "zero" and missing.any():
            status += missing * np.uint8(MISSING_STATUS)
            self.row_error |= missing
        max_column: Ints = filled(node_max, n)
        if excluded is not None and self.doc.policies.not_applicable.value == "applicable_maximum":
            max_column = node_max * ~excluded
        column = _Column(status, value * keep, max_column)
        if rest.any():
            column.rest = Rationals(
                score.num * rest,
                select(rest, score.den, 1),
                filled(OK, n, np.int8),
            )
        self.columns[node.id] = column

    def engine_scaled(self, value: Decimal) -> int:
        return int(value.scaleb(self.engine.scale))

    def score_leaf(self, node: CompiledNode, method: ScoringMethod) -> BatchOutcome:
        values: RawColumn | None = None
        previous: RawColumn | None = None
        if method.reads in ("assessment", "survey"):
            values = self.table.column(node.id)
        if method.reads == "survey":
            previous = self.table.column(f"{node.id}@{self.year - 1}")
            for name in self.engine.years_of(self.table, node.id):
                if name != f"{node.id}@{self.year - 1}":
                    column = self.table.columns[name]
                    self.delegate |= column.present()  # other years: checked by the exact path
        ctx = BatchContext(
            node.method.leaf if node.method else _leaf_info(node),
            n=self.n,
            stage=self.stage,
            year=self.year,
            rounding=self.engine.rounding,
            survey_fallback=self.doc.policies.survey_fallback.value,
            values=values,
            previous=previous,
            lookup=self.lookup,
        )
        outcome: BatchOutcome | None
        try:
            outcome = method.evaluate_batch(ctx)
        except Exception:  # a plugin's batch code failing: score its item per unit instead
            outcome = None
        if outcome is None:
            outcome = _loop(method, ctx, self.compiled.parameters)
        return outcome

    # -- parents
    def parent(self, node: CompiledNode) -> None:
        n = self.n
        nodes = self.compiled.nodes
        children = [(nodes[c], self.columns[c]) for c in node.children]
        # A child's value is 0 where it has no score; where it has none though counted, the
        # parent is incomplete (and so is every ancestor), so plain sums are safe.
        constant_max = 0
        max_parts: list[Ints] = []
        seen = np.zeros(n, np.uint8)  # bit s set: some child has status s
        value: Ints | None = None
        rest: Rationals | None = None
        for child, column in children:
            if not child.adjusts_parent:
                if column.max.strides == (0,):
                    constant_max += int(column.max[0]) if n else 0
                else:
                    max_parts.append(column.max)
            seen |= np.left_shift(np.uint8(1), column.status)
            penalty = child.subtracted
            if value is None:
                value = -column.value if penalty else column.value
            else:
                value = value - column.value if penalty else value + column.value
            if column.rest is not None:
                child_rest = column.rest
                if rest is None:
                    rest = -child_rest if penalty else child_rest
                else:
                    rest = rest - child_rest if penalty else rest + child_rest
        max_column: Ints = filled(constant_max, n)
        for part in max_parts:
            max_column = max_column + part
        broken = (seen & _BROKEN) != 0
        status = (broken * np.uint8(INCOMPLETE)).astype(np.uint8)
        nothing = seen == (1 << NOT_IN_STAGE)
        if nothing.any():
            status = select(nothing, np.uint8(NOT_IN_STAGE), status).astype(np.uint8)
        out = _Column(status, value if value is not None else filled(0, n), max_column)
        out.rest = rest
        if rest is not None:
            unsure = rest.signal != OK
            if unsure.any():
                self._float_sum(children, out, unsure)
        if self.engine.clamped.get(node.id) and self.doc.policies.clamp_total.value:
            self._clamp(out)
        self.columns[node.id] = out

    def _float_sum(
        self, children: list[tuple[CompiledNode, _Column]], out: _Column, unsure: Bools
    ) -> None:
        """Where int64 cannot hold the rational rest: the whole score as a float, with a
        rigorous error bound (rounding near a boundary then goes to the exact path)."""
        n = self.n
        approx = np.zeros(n, np.float64)
        magnitude = np.zeros(n, np.float64)
        error = np.zeros(n, np.float64)
        for child, column in children:
            sign = -1.0 if child.subtracted else 1.0
            whole, whole_error = _whole_float(column, self.engine.unit)
            whole = whole * column.has_score()
            approx += sign * whole
            magnitude += np.abs(whole)
            error += whole_error * column.has_score()
        error += magnitude * ((len(children) + 4) * _U)
        out.approx = approx * unsure
        out.error = error * unsure

    def _clamp(self, out: _Column) -> None:
        """Keep a parent within [0, max] after bonus and penalty points (exactly)."""
        n = self.n
        if out.rest is None:
            out.value = np.clip(out.value, 0, out.max)
            return
        whole = Rationals.decimals(out.value, self.engine.scale) + out.rest
        zero = Rationals.constant(0, n)
        top = Rationals.decimals(out.max, self.engine.scale)
        below, low_signal = whole.compare(zero)
        above, high_signal = whole.compare(top)
        sure = (low_signal == OK) & (high_signal == OK) & (out.rest.signal == OK)
        low = sure & (below < 0)
        high = sure & (above > 0)
        clamped = low | high
        if clamped.any():
            out.value = select(high, out.max, out.value * ~low)
            out.rest = out.rest.where(~clamped, zero)
        if out.approx is not None:
            out.approx = np.clip(out.approx, 0.0, out.max / self.engine.unit)

    # -- rounding and the result
    def write(self, result: BatchResult, start: int) -> None:
        """Round every node of this block as declared and write it into `result`."""
        engine = self.engine
        n = self.n
        stop = start + n
        places = engine.places
        mode = engine.rounding
        scale = engine.scale
        hundred = 100 * 10**places
        result.ok[start:stop] = ~self.row_error
        for i, node_id in enumerate(engine.node_ids):
            column = self.columns[node_id]
            result.status[i, start:stop] = column.status
            maxima = np.broadcast_to(column.max, (n,))
            if start == 0 and maxima.strides == (0,) and n:
                result.max_common[i] = maxima[0]  # the first block sets the common maximum
            result.set_max(i, slice(start, stop), maxima)
            has_score = column.has_score()
            has_max = maxima != 0
            fast = engine.nonnegative
            if scale >= places:
                divisor = 10 ** (scale - places)
                scores = (
                    round_nonnegative(column.value, divisor, mode)
                    if fast
                    else round_division(column.value, divisor, mode)
                )
            else:
                scores = column.value * 10 ** (places - scale)
            constant_max = maxima.strides == (0,)
            if constant_max and n and maxima[0] != 0:
                top = int(maxima[0])
                indices = (
                    round_nonnegative(column.value * hundred, top, mode)
                    if fast
                    else round_division(column.value * hundred, top, mode)
                )
            else:
                safe_max = select(has_max, maxima, 1)
                indices = round_division(column.value * hundred, safe_max, mode)
            if column.rest is not None:
                self._round_rest(column, has_score & has_max, has_score, scores, indices)
            result.score[i, start:stop] = scores * has_score
            result.index[i, start:stop] = indices * (has_score & has_max)

    def _round_rest(
        self,
        column: _Column,
        with_index: Bools,
        with_score: Bools,
        scores: Ints,
        indices: Ints,
    ) -> None:
        """Rows with a rational rest: rounded exactly while int64 holds the computation, else
        from the float with its error bound; too close to a boundary: the exact path."""
        engine = self.engine
        rest = column.rest
        assert rest is not None
        rows = np.flatnonzero(with_score & ((rest.num != 0) | (rest.signal != OK)))
        if not len(rows):
            return
        places, mode, scale = engine.places, engine.rounding, engine.scale
        value = column.value[rows]
        num, den, signal = rest.num[rows], rest.den[rows], rest.signal[rows]
        maximum = np.broadcast_to(column.max, (self.n,))[rows]
        # The whole score as one fraction: (value × den + num × 10**scale) / (10**scale × den).
        risky = overflows(value, den) | overflows(num, filled(engine.unit, len(rows)))
        with np.errstate(over="ignore"):
            whole = value * den + num * engine.unit
        risky |= np.abs(whole) >= 2**62
        # score × 10**places = whole / (10**(scale - places) × den)
        score_den = den * 10 ** (scale - places)
        risky |= den >= 2**62 // 10 ** (scale - places)
        # index × 10**places = whole × 100 × 10**places / (den × max), cancelling common factors
        hundred = 100 * 10**places
        common = np.gcd(maximum, hundred)
        common[common == 0] = 1
        index_num_factor = hundred // common
        index_den = maximum // common
        risky |= overflows(whole, index_num_factor) | overflows(den, index_den)
        with np.errstate(over="ignore"):
            index_num = whole * index_num_factor
            index_den = den * index_den
        sure = (signal == OK) & ~risky
        has_index = with_index[rows]
        ok_rows = rows[sure]
        scores[ok_rows] = round_division(whole[sure], score_den[sure], mode)
        exact_index = sure & has_index
        indices[rows[exact_index]] = round_division(
            index_num[exact_index], index_den[exact_index], mode
        )
        floating = ~sure
        if not floating.any():
            return
        fl_rows = rows[floating]
        approx, error = _whole_float(column, engine.unit)
        x = approx[fl_rows] * 10**places
        e = error[fl_rows] * 10**places
        scores[fl_rows] = _round_float(x, mode)
        flagged = _near_boundary(x, e, mode)
        safe_max = np.where(maximum[floating] == 0, 1, maximum[floating]) / engine.unit
        xi = approx[fl_rows] / safe_max * hundred
        ei = error[fl_rows] / safe_max * hundred
        indices[fl_rows] = _round_float(xi, mode)
        flagged |= has_index[floating] & _near_boundary(xi, ei, mode)
        self.delegate[fl_rows[flagged]] = True


def write_unit(result: BatchResult, row: int, unit: UnitResult, max_scale: int) -> None:
    """Put one exact unit result into the batch result's row (rounded as declared)."""
    places, mode = result.places, result.rounding
    result.exact[row] = True
    result.ok[row] = unit.ok
    result.ranked[row] = unit.ranked
    result.reasons[row] = unit.reason
    for i, node_id in enumerate(result.node_ids):
        node = unit.nodes.get(node_id)
        if node is None:  # withheld: the unit is neither evaluated nor ranked
            result.status[i, row] = STATUSES.index("withheld")
            result.score[i, row] = result.index[i, row] = 0
            result.set_max(i, row, 0)
            continue
        result.status[i, row] = STATUSES.index(node.status)
        result.set_max(i, row, _scaled_exact(node.max, max_scale))
        result.score[i, row] = (
            0 if node.score is None else _scaled_exact(round_to(node.score, places, mode), places)
        )
        index = node.index
        result.index[i, row] = (
            0 if index is None else _scaled_exact(round_to(index, places, mode), places)
        )


def _scaled_exact(value: Number, digits: int) -> int:
    scaled = Fraction(value) * 10**digits
    if scaled.denominator != 1:  # pragma: no cover - maxima are decimals within the scale
        raise ValueError(f"{value} has more than {digits} decimals")
    return int(scaled)


def _whole_float(column: _Column, unit: int) -> tuple[Floats, Floats]:
    """The whole score of every row as a float, and a bound on its error."""
    value = column.value / unit
    error = np.abs(value) * (2 * _U)
    rest = column.rest
    if rest is None:
        return value, error
    held = rest.signal == OK
    part = rest.floats() * held
    whole = value + part
    error = error + np.abs(part) * (4 * _U) + np.abs(whole) * (2 * _U)
    if column.approx is not None and column.error is not None:
        whole = np.where(held, whole, column.approx)
        error = np.where(held, error, column.error)
    return whole, error


def _round_float(x: Floats, mode: RoundingMode) -> Ints:
    """Round floats known to be away from every rounding boundary."""
    if mode in (RoundingMode.HALF_UP, RoundingMode.HALF_DOWN, RoundingMode.HALF_EVEN):
        return np.floor(x + 0.5).astype(np.int64)
    if mode is RoundingMode.CEILING:
        return np.ceil(x).astype(np.int64)
    if mode is RoundingMode.FLOOR:
        return np.floor(x).astype(np.int64)
    if mode is RoundingMode.DOWN:
        return np.trunc(x).astype(np.int64)
    return (np.sign(x) * np.ceil(np.abs(x))).astype(np.int64)  # UP: away from zero


def _near_boundary(x: Floats, error: Floats, mode: RoundingMode) -> Bools:
    """Rows whose exact value (within `error` of `x`) could sit on the other side of a
    rounding boundary: a half (x.5) for the half modes, a whole number otherwise."""
    tolerance = 2 * (error + (np.abs(x) + 1) * (8 * _U))
    fraction = x - np.floor(x)
    if mode in (RoundingMode.HALF_UP, RoundingMode.HALF_DOWN, RoundingMode.HALF_EVEN):
        distance = np.abs(fraction - 0.5)
    else:
        distance = np.minimum(fraction, 1 - fraction)
    result: Bools = distance <= tolerance
    return result


def _leaf_info(node: CompiledNode) -> LeafInfo:  # pragma: no cover - leaves have a method
    return LeafInfo(node.id, node.name, node.max, node.origin, node.rule, node.inputs)


# -- methods without evaluate_batch: their item scored unit by unit --------------------------


class _Inexact(Exception):
    """A value this path cannot hold exactly: the unit goes to the exact path."""


class _RowContext(EvalContext):
    def __init__(
        self,
        ctx: BatchContext,
        row: int,
        value: Any,
        parameters: dict[str, Decimal],
    ) -> None:
        self.leaf = ctx.leaf
        self.stage = ctx.stage
        self.year = ctx.year
        self.value = value
        self.value_source = f"row {row} of the batch"
        self.survey_fallback = ctx.survey_fallback
        self._ctx = ctx
        self._row = row
        self._parameters = parameters

    def lookup(self, name: str) -> Number:
        if name == "max":
            return self.leaf.max
        if name in self._parameters:
            return self._parameters[name]
        column = self._ctx.lookup(name)
        signal = int(column.signal[self._row])
        if signal == MISSING:
            raise MissingValue(name)
        if signal == ZERO_DENOMINATOR:
            raise ZeroDenominator(name)
        if signal != OK:
            raise _Inexact(name)
        return normalize(column.value(self._row))

    def env(self) -> Env:
        return Env(self.lookup, self._ctx.rounding)


def _loop(method: ScoringMethod, ctx: BatchContext, parameters: dict[str, Decimal]) -> BatchOutcome:
    """Score one item unit by unit with the method's own `read` and `evaluate`."""
    n = ctx.n
    num = np.zeros(n, np.int64)
    den = np.ones(n, np.int64)
    signal = np.zeros(n, np.int8)
    not_applicable = np.zeros(n, np.bool_)
    problem = np.zeros(n, np.bool_)
    for row in range(n):
        try:
            value: Any = None
            if method.reads == "assessment":
                raw = ctx.values.item(row) if ctx.values is not None else None
                if raw is None:
                    raise MissingValue(ctx.leaf.id)
                value = method.read(raw)
            elif method.reads == "survey":
                given: dict[str, Any] = {}
                if ctx.previous is not None and ctx.previous.item(row) is not None:
                    given[str(ctx.year - 1)] = ctx.previous.item(row)
                if ctx.values is not None and ctx.values.item(row) is not None:
                    given[str(ctx.year)] = ctx.values.item(row)
                value = method.read(given)
            outcome = method.evaluate(_RowContext(ctx, row, value, parameters))
        except MissingValue:
            signal[row] = MISSING
            continue
        except (FactProblem, EvaluationSignal, _Inexact):
            problem[row] = True
            continue
        except Exception:  # a plugin's bug: the exact path reports it (PR704)
            problem[row] = True
            continue
        if outcome.not_applicable is not None:
            not_applicable[row] = True
            continue
        exact = Fraction(outcome.score)
        if not fits(exact):
            problem[row] = True
            continue
        num[row], den[row] = exact.numerator, exact.denominator
    signal[problem] = INEXACT
    return BatchOutcome(Rationals(num, den, signal), not_applicable, problem)


__all__ = ["BatchEngine", "write_unit"]
