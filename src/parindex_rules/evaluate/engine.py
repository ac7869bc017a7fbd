"""Evaluate one unit's facts against a compiled ruleset, exactly, with explanations.

The compiled ruleset fixes the order once (derived values, then leaves, then parents bottom-up);
each unit only walks it. For every leaf the engine picks the fact the stage needs (the self
score, or the last appraisal round present, or survey values), lets the scoring method read and
score it, then applies what the ruleset declares: evidence policy, not-applicable policy,
missing-value policy. Parents add their children. Every problem becomes a diagnostic located
in the facts file; nothing is clamped or guessed silently.

Per node the engine records what the explanation needs (the method's Outcome, the values read
and where each was written, what a policy did); :mod:`.records` makes the explanation record
from that when it is first asked for. What is the same for every unit (labels, provenance
texts, flags) is worked out once per ruleset (:mod:`.plan`).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any, Literal

from parindex_rules.codes import Code, Severity, register_codes
from parindex_rules.compile.compiled import ROOT_ID, CompiledNode, CompiledRuleset
from parindex_rules.diagnostics import Diagnostic, Path
from parindex_rules.evaluate.explanation import Explanation
from parindex_rules.evaluate.plan import NodePlan, plan_of
from parindex_rules.evaluate.records import EvidenceEffect, Explainer, Read, Value
from parindex_rules.evaluate.result import Deduction, NodeResult, UnitResult
from parindex_rules.expr.nodes import (
    Env,
    EvaluationSignal,
    FunctionFailed,
    MissingValue,
    ValueTooLarge,
    ZeroDenominator,
)
from parindex_rules.loader.facts import Facts
from parindex_rules.loader.yaml import SourceMap
from parindex_rules.methods.base import (
    EvalContext,
    FactProblem,
    LeafInfo,
    outcome_problem,
)
from parindex_rules.model.facts import ItemFacts, UnitFacts
from parindex_rules.model.ruleset import Origin
from parindex_rules.numbers import (
    ZERO,
    NotADecimal,
    Number,
    add,
    compare,
    format_exact,
    parse_decimal,
    sub,
)
from parindex_rules.plugins import one_line

register_codes(
    Code(
        "PR601",
        "evidence-missing",
        Severity.WARNING,
        "An item has a score but no evidence; the ruleset's evidence policy applies.",
    ),
    Code(
        "PR602",
        "explanation-missing",
        Severity.WARNING,
        "An item has no evidence and no written explanation; it is flagged for the council.",
    ),
    Code(
        "PR521",
        "fact-not-read",
        Severity.ERROR,
        "A fact is given that the item's scoring method never reads (e.g. survey values for an "
        "item scored from the assessment); it would be ignored silently.",
    ),
)

Stage = Literal["self", "appraised", "final"]
STAGES: tuple[Stage, ...] = ("self", "appraised", "final")


def stage_includes(stage: str, origin: Origin) -> bool:
    """Self and appraised stages cover what units self-assess; the final stage covers all."""
    return stage == "final" or origin.self_assessable


class _Reported(MissingValue):
    """An input whose value was refused (and already reported): the leaf fails quietly."""


class _Failed:
    """A derived value that could not be computed: re-raised for each leaf that reads it."""

    def __init__(self, signal: EvaluationSignal) -> None:
        self.signal = signal


class UnitEvaluation:
    """Evaluates one unit at one stage. Create, call :meth:`run`, read the result."""

    def __init__(
        self,
        compiled: CompiledRuleset,
        unit: UnitFacts,
        *,
        stage: Stage = "final",
        year: int | None = None,
        facts_map: SourceMap | None = None,
        unit_path: Path = (),
    ) -> None:
        if stage not in STAGES:
            raise ValueError(f"unknown stage {stage!r}: one of {', '.join(STAGES)}")
        self.compiled = compiled
        self.plan = plan_of(compiled)
        self.doc = compiled.document
        self.unit = unit
        self.stage: Stage = stage
        self.year = year if year is not None else self.doc.year
        self.facts_map = facts_map or SourceMap("<facts>")
        self.unit_path = unit_path
        self.places = self.doc.rounding.places
        self.rounding = self.doc.rounding.mode
        self.diagnostics: list[Diagnostic] = []
        self.inputs: dict[str, Value | MissingValue] = {}
        self.derived: dict[str, Value | _Failed] = {}
        self.results: dict[str, NodeResult] = {}
        self.deductions: list[Deduction] = []
        self.documents = self.plan.documents
        self.explainer = Explainer(
            stage=stage,
            places=self.places,
            rounding=self.rounding,
            facts_map=self.facts_map,
            not_applicable=self.doc.policies.not_applicable.value,
        )
        self._items_path: Path = (*unit_path, "items")
        #: Past the self stage, items no round appraised are missing (the `unappraised` policy).
        self._unappraised_is_missing = (
            stage != "self" and self.doc.policies.unappraised.value == "missing"
        )

    @classmethod
    def of(
        cls, compiled: CompiledRuleset, facts: Facts, index: int, *, stage: Stage = "final"
    ) -> UnitEvaluation:
        """The evaluation of unit number `index` of a facts file, located in that file."""
        return cls(
            compiled,
            facts.units[index],
            stage=stage,
            year=facts.document.year,
            facts_map=facts.source_map,
            unit_path=("units", index),
        )

    # -- locations
    def item_path(self, item_id: str, *rest: str | int) -> Path:
        return (*self._items_path, item_id, *rest)

    def where(self, path: Path, what: str) -> str:
        return self.explainer.where(path, what)

    def problem(
        self,
        code: str,
        message: str,
        path: Path,
        *,
        hint: str | None = None,
        severity: Severity | None = None,
        key: bool = False,
    ) -> None:
        self.diagnostics.append(
            self.facts_map.diagnostic(
                code,
                f"unit {self.unit.unit}: {message}",
                path,
                hint=hint,
                key=key,
                **({"severity": severity} if severity is not None else {}),
            )
        )

    # -- the run
    def run(self) -> UnitResult:
        result = UnitResult(
            ruleset=self.compiled.id,
            unit=self.unit.unit,
            name=self.unit.name,
            group=self.unit.group,
            stage=self.stage,
            evaluated=self.unit.evaluated,
            ranked=self.unit.ranked and self.unit.evaluated,
            reason=self.unit.reason,
            places=self.places,
            rounding=self.rounding,
            provisional=self.plan.provisional,
            type=self.unit.type,
        )
        if not self.unit.evaluated:
            # Excluded (e.g. dishonest evidence): neither evaluated nor ranked; result withheld.
            return result
        for rule in self.doc.ranking.not_ranked:
            if rule.matches(self.unit.unit, self.unit.name):
                result.ranked = False
                result.reason = rule.reason
        self._check_items()
        self._read_inputs()
        self._derive()
        results = self.results
        context = _LeafContext(self)
        for plan in self.plan.leaves:
            results[plan.id] = self._leaf(plan, context)
        for plan in self.plan.parents:
            results[plan.id] = self._parent(plan)
        result.nodes = {node_id: results[node_id] for node_id in self.plan.nodes}
        result.deductions = self.deductions
        result.diagnostics = self.diagnostics
        return result

    # -- facts that do not fit the ruleset
    def _check_items(self) -> None:
        nodes = self.plan.nodes
        for item_id, item in self.unit.items.items():
            plan = nodes.get(item_id)
            if plan is None or item_id == ROOT_ID:
                leaves = self.compiled.leaf_order
                close = difflib.get_close_matches(item_id, leaves, n=1, cutoff=0.6)
                self.problem(
                    "PR502",
                    f"item {item_id!r} is not in ruleset {self.compiled.id}",
                    self.item_path(item_id),
                    key=True,
                    hint=f"did you mean {close[0]!r}?" if close else None,
                )
                continue
            if plan.children:
                children = plan.node.children
                self.problem(
                    "PR503",
                    f"item {item_id} has children: give facts for its leaves "
                    f"({', '.join(children[:4])}{', ...' if len(children) > 4 else ''})",
                    self.item_path(item_id),
                    key=True,
                )
                continue
            if item.self_ is not None and not plan.self_assessable:
                self.problem(
                    "PR508",
                    f"item {item_id} ({plan.origin.value}) is not self-assessed: remove its "
                    "`self` score",
                    self.item_path(item_id, "self"),
                    key=True,
                    hint="survey and council items are scored by the appraisal council",
                )
            self._check_unread(plan, item)
            if not item.applicable:
                if not (item.reason and item.reason.strip()):
                    self.problem(
                        "PR514",
                        f"item {item_id} is declared not applicable without a reason",
                        self.item_path(item_id, "applicable"),
                    )
                if not plan.node.may_be_not_applicable:
                    self.problem(
                        "PR517",
                        f"item {item_id} cannot be declared not applicable",
                        self.item_path(item_id, "applicable"),
                    )

    def _check_unread(self, plan: NodePlan, item: ItemFacts) -> None:
        """Facts the item's method never reads would be ignored silently: refuse them."""
        if plan.reads == "survey" and item.appraisal is not None:
            self.problem(
                "PR521",
                f"item {plan.id} is scored from its survey values: `appraisal` is never read",
                self.item_path(plan.id, "appraisal"),
                key=True,
                hint="give the survey result under `survey: {YEAR: value}`",
            )
        if plan.reads != "survey" and item.survey is not None:
            self.problem(
                "PR521",
                f"item {plan.id} is not scored from survey values: `survey` is never read",
                self.item_path(plan.id, "survey"),
                key=True,
                hint="give the council's score under `appraisal` (survey-based items scored by "
                "the council take appraisal rounds)",
            )

    # -- inputs (raw figures) for this stage
    def _read_inputs(self) -> None:
        items = self.unit.items
        inputs = self.inputs
        for plan, names in self.plan.input_owners:
            item = items.get(plan.id)
            if item is None:
                for name in names:
                    inputs[name] = MissingValue(name)
                continue
            merged, refused = self._merge_layers(plan, item)
            for name in names:
                if not item.applicable:
                    inputs[name] = MissingValue(f"{name} (item {plan.id} is not applicable)")
                elif name in refused:
                    inputs[name] = _Reported(name)
                elif name in merged:
                    inputs[name] = merged[name]
                elif self._unappraised_missing(item):
                    inputs[name] = MissingValue(
                        f"{name} (no appraisal round, and the ruleset's `unappraised` policy "
                        "is `missing`)"
                    )
                else:
                    inputs[name] = MissingValue(name)

    def _merge_layers(self, plan: NodePlan, item: ItemFacts) -> tuple[dict[str, Value], set[str]]:
        """An item's inputs for this stage: each round restates some of the values before it.
        Also the names whose last value given was refused (and reported)."""
        node = plan.node
        merged: dict[str, Value] = {}
        refused: set[str] = set()
        for raw, path, label in self._input_layers(plan, item):
            is_mapping = isinstance(raw, dict)
            mapping = raw if is_mapping else self._as_mapping(node, raw, path)
            if mapping is None:
                continue
            for name, value in mapping.items():
                value_path = (*path, name) if is_mapping else path
                if name not in node.inputs:
                    close = difflib.get_close_matches(str(name), list(node.inputs), n=1)
                    self.problem(
                        "PR512",
                        f"item {plan.id} has no input {name!r}",
                        value_path,
                        key=is_mapping,
                        hint=(f"did you mean {close[0]!r}? " if close else "")
                        + "inputs: "
                        + ", ".join(node.inputs),
                    )
                    continue
                if value is None:
                    continue
                number = self._input_value(name, value, value_path)
                if number is None:
                    refused.add(name)
                else:
                    refused.discard(name)
                    merged[name] = Value(number, label, value_path)
        return merged, refused

    def _input_layers(self, plan: NodePlan, item: ItemFacts) -> list[tuple[Any, Path, str]]:
        if self._unappraised_missing(item):
            # As for scores given directly: without an appraisal round the item is missing.
            return []
        layers: list[tuple[Any, Path, str]] = []
        path = (*self._items_path, plan.id)
        if item.self_ is not None and plan.self_assessable:
            layers.append((item.self_, (*path, "self"), "self-assessment"))
        if self.stage != "self" and item.appraisal:
            for r, raw in enumerate(item.appraisal):
                if raw is not None:
                    layers.append((raw, (*path, "appraisal", r), f"appraisal round {r + 1}"))
        return layers

    def _unappraised_missing(self, item: ItemFacts) -> bool:
        """Past the self stage, an item no round appraised is missing when the ruleset says so."""
        return self._unappraised_is_missing and not any(r is not None for r in item.appraisal or [])

    def _as_mapping(self, node: CompiledNode, raw: Any, path: Path) -> dict[str, Any] | None:
        if len(node.inputs) == 1:  # a scalar is the item's only input
            return {next(iter(node.inputs)): raw}
        self.problem(
            "PR504",
            f"item {node.id} takes its inputs as a mapping, e.g. "
            + "{"
            + ", ".join(f"{n}: ..." for n in node.inputs)
            + "}",
            path,
        )
        return None

    def _input_value(self, name: str, raw: Any, path: Path) -> Number | None:
        try:
            value = parse_decimal(raw)
        except NotADecimal as exc:
            self.problem("PR504", f"input {name} must be a number: {exc}", path)
            return None
        check = self.plan.input_checks[name]
        if check.whole and value != value.to_integral_value():
            self.problem("PR504", f"input {name} is a count: {raw} is not a whole number", path)
            return None
        for low, high, what in check.limits:
            if (low is not None and value < low) or (high is not None and value > high):
                span = f"{format_exact(low) if low is not None else '-∞'} to " + (
                    format_exact(high) if high is not None else "+∞"
                )
                self.problem(
                    "PR505",
                    f"input {name} = {format_exact(value)} is outside {span} ({what})",
                    path,
                )
                return None
        return value

    # -- derived values
    def _lookup(self, name: str, reads: list[Read] | None, plan: NodePlan | None) -> Number:
        """The value of `name` for a formula: the item's maximum, an input, a derived value or
        a parameter. What a leaf's rule reads is recorded in `reads`, for its explanation."""
        if plan is not None and name == "max":
            if reads is not None:
                reads.append(("max", plan.max, "the item's maximum", ()))
            return plan.max
        entry = self.inputs.get(name)
        if entry is not None:
            if isinstance(entry, MissingValue):
                # A fresh signal: the stored one, once raised, would hold this evaluation
                # through its traceback's frames (a cycle only the cycle collector frees).
                raise type(entry)(entry.name)
            if reads is not None:
                reads.append((name, entry.value, entry.label, entry.path))
            value: Number = entry.value
            return value
        derived = self.derived.get(name)
        if derived is not None:
            if isinstance(derived, _Failed):
                raise derived.signal
            if reads is not None:
                reads.append((name, derived.value, derived.label, ()))
            derived_value: Number = derived.value
            return derived_value
        param = self.compiled.parameters.get(name)
        if param is not None:
            if reads is not None:
                reads.append((name, param, "parameter of the ruleset", ()))
            return param
        raise MissingValue(name)

    def _lookup_factory(self, reads: list[Read] | None, node: CompiledNode | None) -> Any:
        plan = self.plan.nodes[node.id] if node is not None else None

        def lookup(name: str) -> Number:
            return self._lookup(name, reads, plan)

        return lookup

    def _derive(self) -> None:
        env = Env(self._lookup_factory(None, None), self.rounding)
        for name in self.compiled.derived_order:
            derived = self.compiled.derived[name]
            try:
                value = derived.formula.evaluate(env)
            except EvaluationSignal as signal:
                self.derived[name] = _Failed(signal)
                continue
            self.derived[name] = Value(
                value,
                f"derived value = {derived.formula.text} ({derived.file}:{derived.line})",
            )

    def _result(
        self,
        plan: NodePlan,
        status: str,
        score: Number | None,
        max_: Number,
        explanation: Explanation | Callable[[], Explanation],
    ) -> NodeResult:
        return NodeResult(
            plan.id,
            plan.name,
            plan.level,
            plan.origin_label,
            max_,
            score,
            status,
            plan.provisional,
            explanation,
        )

    # -- leaves
    def _leaf(self, plan: NodePlan, context: _LeafContext) -> NodeResult:
        method = plan.method
        assert method is not None  # compiled leaves always have one
        item = self.unit.items.get(plan.id)
        if not (plan.self_assessable or self.stage == "final"):
            return self._result(
                plan, "not_in_stage", None, ZERO, partial(self.explainer.not_in_stage, plan)
            )
        if item is not None and not item.applicable:
            return self._not_applicable(plan, item.reason or "không áp dụng", ())
        reads: list[Read] = []
        picked: Value | None = None
        try:
            value: Any = None
            if plan.reads == "assessment":
                picked = self._pick(plan, item)
                if picked is None:
                    raise MissingValue(self._missing_text(plan))
                value = method.read(picked.value)
            elif plan.reads == "survey":
                if item is not None and item.survey is not None:
                    survey_path = self.item_path(plan.id, "survey")
                    picked = Value(item.survey, "survey values", survey_path)
                    value = method.read(item.survey)
                else:
                    value = method.read({})
            outcome = method.evaluate(context.at(plan, value, picked, reads))
            broken = outcome_problem(outcome)
        except FactProblem as problem:
            return self._failed(plan, item, problem.code, problem.message, picked, problem.hint)
        except MissingValue as missing:
            return self._missing(plan, item, missing)
        except ZeroDenominator as zero:
            return self._failed(
                plan,
                item,
                "PR516",
                f"denominator is 0 in {zero.text}",
                picked,
                "declare `on_zero_denominator` in the rule",
            )
        except ValueTooLarge as large:
            return self._failed(plan, item, "PR906", str(large), picked, None)
        except FunctionFailed as failed:
            return self._failed(plan, item, "PR704", str(failed), picked, None)
        except Exception as exc:  # a plugin's bug: reported with its name, never a traceback
            return self._failed(
                plan,
                item,
                "PR704",
                f"scoring method {method.name!r} raised {one_line(exc)}",
                picked,
                None,
            )
        if broken is not None:  # a plugin's bug: reported with its name, never a traceback
            return self._failed(
                plan,
                item,
                "PR707",
                f"scoring method {method.name!r} broke its contract: {broken}",
                picked,
                None,
            )
        if outcome.not_applicable is not None:
            return self._not_applicable(plan, outcome.not_applicable, tuple(outcome.steps))
        score = outcome.score
        if compare(score, ZERO) < 0 or compare(score, plan.max) > 0:
            code = "PR520" if compare(score, ZERO) < 0 else "PR506"
            explanation = self.explainer.scored(plan, item, picked, reads, outcome, None, None)
            return self._failed(
                plan,
                item,
                code,
                f"item {plan.id}: the rule gives {format_exact(score)}, outside 0 to "
                f"{format_exact(plan.max)}",
                picked,
                "scores are never clamped silently: check the facts, or declare `cap: true`",
                explanation,
            )
        effect = None
        if plan.checks_evidence and item is not None and not item.evidence:
            score, effect = self._evidence(plan, item, score)
        # The method's Outcome is kept as it is: its part of the explanation.
        explain = partial(self.explainer.scored, plan, item, picked, reads, outcome, effect, score)
        return self._result(plan, "scored", score, plan.max, explain)

    def _pick(self, plan: NodePlan, item: ItemFacts | None) -> Value | None:
        """The value the stage reads: the self score, else the last appraisal round given."""
        if item is None:
            return None
        if self.stage == "self":
            if item.self_ is None:
                return None
            return Value(item.self_, "self-assessment", (*self._items_path, plan.id, "self"))
        rounds = item.appraisal
        if rounds:
            for r in range(len(rounds) - 1, -1, -1):
                if rounds[r] is not None:
                    path = (*self._items_path, plan.id, "appraisal", r)
                    return Value(rounds[r], f"appraisal round {r + 1}", path)
        if (
            item.self_ is not None
            and plan.self_assessable
            and self.doc.policies.unappraised.value == "self"
        ):
            label = "self-assessment, no appraisal round: the self score stands"
            return Value(item.self_, label, (*self._items_path, plan.id, "self"))
        return None

    def _missing_text(self, plan: NodePlan) -> str:
        if self.stage == "self":
            return f"the self score of item {plan.id}"
        if plan.self_assessable:
            return f"a score (self or appraisal) for item {plan.id}"
        return f"the council's appraisal of item {plan.id}"

    def _missing(self, plan: NodePlan, item: ItemFacts | None, missing: MissingValue) -> NodeResult:
        explanation = self.explainer.leaf(plan, item)
        path = self.item_path(plan.id)
        if isinstance(missing, _Reported):
            explanation.status = "error"
            explanation.zero_reason = f"input {missing.name} was refused (see the diagnostics)"
            return self._result(plan, "error", None, plan.max, explanation)

        if plan.node.missing == "zero":
            self.problem(
                "PR510",
                f"item {plan.id}: {missing.name} is missing; scored 0 as the ruleset says",
                path,
                key=True,
            )
            explanation.zero_reason = (
                f"{missing.name} is missing; the ruleset scores a missing value 0"
            )
            explanation.score = ZERO
            return self._result(plan, "scored", ZERO, plan.max, explanation)
        self.problem(
            missing.code,
            f"item {plan.id}: {missing.name} is missing",
            path,
            key=True,
            hint="give it in the facts file, or declare the item not applicable with a reason",
        )
        explanation.status = "missing"
        explanation.zero_reason = f"{missing.name} is missing: no score"
        return self._result(plan, "missing", None, plan.max, explanation)

    def _failed(
        self,
        plan: NodePlan,
        item: ItemFacts | None,
        code: str,
        message: str,
        picked: Value | None,
        hint: str | None,
        explanation: Explanation | None = None,
    ) -> NodeResult:
        if explanation is None:
            explanation = self.explainer.leaf(plan, item)
        # Point at the value itself when we know which one was read.
        path = picked.path if picked is not None and picked.path else self.item_path(plan.id)
        if not message.startswith(f"item {plan.id}"):
            message = f"item {plan.id}: {message}"
        self.problem(code, message, path, hint=hint)
        explanation.status = "error"
        explanation.zero_reason = message
        return self._result(plan, "error", None, plan.max, explanation)

    def _not_applicable(self, plan: NodePlan, reason: str, steps: tuple[str, ...]) -> NodeResult:
        if self.doc.policies.not_applicable.value == "applicable_maximum":
            max_: Number = ZERO
            self.deductions.append(Deduction(plan.id, plan.name, plan.max, reason))
        else:
            max_ = plan.max
        return self._result(
            plan,
            "not_applicable",
            ZERO,
            max_,
            partial(self.explainer.not_applicable_leaf, plan, reason, steps, max_),
        )

    def _evidence(
        self, plan: NodePlan, item: ItemFacts, score: Number
    ) -> tuple[Number, EvidenceEffect | None]:
        """The score of an item without evidence once the evidence policy applied, and what
        the policy did."""
        policy = plan.evidence
        quote = f' ("{policy.source.quote}")' if policy.source and policy.source.quote else ""
        if policy.value == "required":
            if compare(score, ZERO) > 0:
                self.problem(
                    "PR601",
                    f"item {plan.id} has no evidence document: scored 0 instead of "
                    f"{format_exact(score)} (evidence is required{quote})",
                    self.item_path(plan.id),
                    key=True,
                )
                return ZERO, EvidenceEffect("required", score, quote)
            return ZERO, None
        if policy.value == "explanation" and not (item.explanation and item.explanation.strip()):
            self.problem(
                "PR602",
                f"item {plan.id} has no evidence and no written explanation (giải trình): "
                "flagged for the appraisal council",
                self.item_path(plan.id),
                key=True,
            )
            return score, EvidenceEffect("explanation", score, quote)
        return score, None

    # -- parents
    def _parent(self, plan: NodePlan) -> NodeResult:
        results = self.results
        children = [results[child.id] for child in plan.children]
        max_: Number = ZERO
        sum_: Number = ZERO
        counted = 0
        complete = True
        for child, child_plan in zip(children, plan.children, strict=True):
            if not child_plan.adjustment:  # bonus and penalty points sit outside the maximum
                max_ = add(max_, child.max)
            if child.status == "not_in_stage":
                continue
            counted += 1
            if child.score is None:
                complete = False
            elif complete:
                sum_ = sub(sum_, child.score) if child_plan.penalty else add(sum_, child.score)
        if not counted or not complete:
            status = "incomplete" if counted else "not_in_stage"
            explain = partial(self.explainer.parent, plan, children, max_, status, None, None, None)
            return self._result(plan, status, None, max_, explain)
        score, clamp = sum_, None
        if self.doc.policies.clamp_total.value:
            if compare(sum_, ZERO) < 0:
                score, clamp = ZERO, f"{format_exact(sum_)} raised to 0"
            elif compare(sum_, max_) > 0:
                score = max_
                clamp = f"{format_exact(sum_)} capped at the maximum {format_exact(max_)}"
        explain = partial(self.explainer.parent, plan, children, max_, "scored", sum_, score, clamp)
        return self._result(plan, "scored", score, max_, explain)


class _LeafContext(EvalContext):
    """The context methods score in: one per unit, pointed at each leaf in turn."""

    def __init__(self, evaluation: UnitEvaluation) -> None:
        self.evaluation = evaluation
        self.stage = evaluation.stage
        self.year = evaluation.year
        self.survey_fallback = evaluation.doc.policies.survey_fallback.value
        self._rounding = evaluation.rounding
        self._plan: NodePlan | None = None
        self._picked: Value | None = None
        self._reads: list[Read] | None = None

    def at(
        self, plan: NodePlan, value: Any, picked: Value | None, reads: list[Read]
    ) -> _LeafContext:
        assert plan.method is not None
        self.leaf: LeafInfo = plan.method.leaf
        self.value = value
        self._picked = picked
        self._plan = plan
        self._reads = reads
        return self

    @property
    def value_source(self) -> str:  # type: ignore[override]  # worked out when asked for
        picked = self._picked
        return "" if picked is None else self.evaluation.explainer.source(picked)

    def env(self) -> Env:
        return Env(self.lookup, self._rounding)

    def lookup(self, name: str) -> Number:
        return self.evaluation._lookup(name, self._reads, self._plan)


def evaluate_unit(
    compiled: CompiledRuleset,
    unit: UnitFacts,
    *,
    stage: Stage = "final",
    year: int | None = None,
    facts: Facts | None = None,
) -> UnitResult:
    """Evaluate one unit. With `facts` (the file `unit` comes from), diagnostics and
    explanations point into that file, and the year defaults to the file's."""
    if facts is None:
        return UnitEvaluation(compiled, unit, stage=stage, year=year).run()
    unit_path: Path = ()
    for i, candidate in enumerate(facts.units):
        if candidate is unit:
            unit_path = ("units", i)
            break
    return UnitEvaluation(
        compiled,
        unit,
        stage=stage,
        year=year if year is not None else facts.document.year,
        facts_map=facts.source_map,
        unit_path=unit_path,
    ).run()


def check_cohort(compiled: CompiledRuleset, facts: Facts) -> list[Diagnostic]:
    """Problems of the facts file as a whole (ruleset id, year)."""
    problems: list[Diagnostic] = []
    doc = facts.document
    if doc.ruleset != compiled.id:
        problems.append(
            facts.source_map.diagnostic(
                "PR513",
                f"the facts are for ruleset {doc.ruleset!r}, not {compiled.id!r}",
                ("ruleset",),
            )
        )
    if doc.year != compiled.document.year:
        problems.append(
            facts.source_map.diagnostic(
                "PR519",
                f"the facts are for {doc.year}; ruleset {compiled.id} evaluates "
                f"{compiled.document.year}",
                ("year",),
            )
        )
    return problems


def evaluate_units(
    compiled: CompiledRuleset, facts: Facts, *, stage: Stage = "final"
) -> Iterable[UnitResult]:
    """Every unit of a facts file, in the file's order."""
    for i in range(len(facts.units)):
        yield UnitEvaluation.of(compiled, facts, i, stage=stage).run()
