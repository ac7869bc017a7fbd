"""Evaluate one unit's facts against a compiled ruleset, exactly, with explanations.

The compiled ruleset fixes the order once (derived values, then leaves, then parents bottom-up);
each unit only walks it. For every leaf the engine picks the fact the stage needs (the self
score, or the last appraisal round present, or survey values), lets the scoring method read and
score it, then applies what the ruleset declares: evidence policy, not-applicable policy,
missing-value policy. Parents add their children. Every problem becomes a diagnostic located
in the facts file; nothing is clamped or guessed silently.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from parindex_rules.codes import Code, Severity, register_codes
from parindex_rules.compile.compiled import ROOT_ID, CompiledNode, CompiledRuleset
from parindex_rules.diagnostics import Diagnostic, Path
from parindex_rules.evaluate.explanation import Explanation, InputRecord
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
from parindex_rules.methods.base import EvalContext, FactProblem, LeafInfo, outcome_problem
from parindex_rules.model.facts import ItemFacts, UnitFacts
from parindex_rules.model.ruleset import InputSpec, Origin
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


@dataclass
class _Value:
    value: Any
    source: str
    path: Path = ()


class _Reported(MissingValue):
    """An input whose value was refused (and already reported): the leaf fails quietly."""


class _Failed:
    """A derived value that could not be computed: re-raised for each leaf that reads it."""

    def __init__(self, signal: EvaluationSignal) -> None:
        self.signal = signal


_TEXTS: dict[int, tuple[CompiledRuleset, dict[str, str], dict[str, str]]] = {}


def _texts_of(compiled: CompiledRuleset) -> tuple[dict[str, str], dict[str, str]]:
    """Document titles and each node's provenance text: the same for every unit, made once."""
    cached = _TEXTS.get(id(compiled))
    if cached is None or cached[0] is not compiled:
        documents = compiled.document_titles()
        texts = {i: n.provenance.text(documents) for i, n in compiled.nodes.items()}
        if len(_TEXTS) > 64:
            _TEXTS.clear()
        cached = _TEXTS[id(compiled)] = (compiled, documents, texts)
    return cached[1], cached[2]


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
        self.doc = compiled.document
        self.unit = unit
        self.stage: Stage = stage
        self.year = year if year is not None else self.doc.year
        self.facts_map = facts_map or SourceMap("<facts>")
        self.unit_path = unit_path
        self.places = self.doc.rounding.places
        self.rounding = self.doc.rounding.mode
        self.diagnostics: list[Diagnostic] = []
        self.inputs: dict[str, _Value | MissingValue] = {}
        self.derived: dict[str, _Value | _Failed] = {}
        self.results: dict[str, NodeResult] = {}
        self.deductions: list[Deduction] = []
        self.documents, self.provenance_texts = _texts_of(compiled)

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
        return (*self.unit_path, "items", item_id, *rest)

    def where(self, path: Path, what: str) -> str:
        if not self.facts_map.values and not self.facts_map.keys:
            return what
        return f"{what} ({self.facts_map.where(path)})"

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
            provisional=self.compiled.provisional,
            type=self.unit.type,
        )
        if not self.unit.evaluated:
            # Excluded (e.g. dishonest evidence): neither evaluated nor ranked; result withheld.
            return result
        for rule in self.doc.ranking.not_ranked:
            if rule.unit == self.unit.unit or (
                rule.name is not None and rule.name == self.unit.name
            ):
                result.ranked = False
                result.reason = rule.reason
        self._check_items()
        self._read_inputs()
        self._derive()
        for node_id in self.compiled.leaf_order:
            self.results[node_id] = self._leaf(self.compiled.nodes[node_id])
        for node_id in self.compiled.parent_order:
            self.results[node_id] = self._parent(self.compiled.nodes[node_id])
        result.nodes = {ROOT_ID: self.results[ROOT_ID]}
        result.nodes.update(
            (node_id, self.results[node_id])
            for node_id in self.compiled.nodes
            if node_id != ROOT_ID
        )
        result.deductions = self.deductions
        result.diagnostics = self.diagnostics
        return result

    # -- facts that do not fit the ruleset
    def _check_items(self) -> None:
        nodes = self.compiled.nodes
        for item_id, item in self.unit.items.items():
            path = self.item_path(item_id)
            node = nodes.get(item_id)
            if node is None or item_id == ROOT_ID:
                leaves = self.compiled.leaf_order
                close = difflib.get_close_matches(item_id, leaves, n=1, cutoff=0.6)
                self.problem(
                    "PR502",
                    f"item {item_id!r} is not in ruleset {self.compiled.id}",
                    path,
                    key=True,
                    hint=f"did you mean {close[0]!r}?" if close else None,
                )
                continue
            if not node.is_leaf:
                self.problem(
                    "PR503",
                    f"item {item_id} has children: give facts for its leaves "
                    f"({', '.join(node.children[:4])}{', ...' if len(node.children) > 4 else ''})",
                    path,
                    key=True,
                )
                continue
            if item.self_ is not None and not node.origin.self_assessable:
                self.problem(
                    "PR508",
                    f"item {item_id} ({node.origin.value}) is not self-assessed: remove its "
                    "`self` score",
                    self.item_path(item_id, "self"),
                    key=True,
                    hint="survey and council items are scored by the appraisal council",
                )
            self._check_unread(node, item)
            if not item.applicable:
                if not (item.reason and item.reason.strip()):
                    self.problem(
                        "PR514",
                        f"item {item_id} is declared not applicable without a reason",
                        self.item_path(item_id, "applicable"),
                    )
                if not node.may_be_not_applicable:
                    self.problem(
                        "PR517",
                        f"item {item_id} cannot be declared not applicable",
                        self.item_path(item_id, "applicable"),
                    )

    def _check_unread(self, node: CompiledNode, item: ItemFacts) -> None:
        """Facts the item's method never reads would be ignored silently: refuse them."""
        reads = node.method.reads if node.method is not None else "assessment"
        if reads == "survey" and item.appraisal is not None:
            self.problem(
                "PR521",
                f"item {node.id} is scored from its survey values: `appraisal` is never read",
                self.item_path(node.id, "appraisal"),
                key=True,
                hint="give the survey result under `survey: {YEAR: value}`",
            )
        if reads != "survey" and item.survey is not None:
            self.problem(
                "PR521",
                f"item {node.id} is not scored from survey values: `survey` is never read",
                self.item_path(node.id, "survey"),
                key=True,
                hint="give the council's score under `appraisal` (survey-based items scored by "
                "the council take appraisal rounds)",
            )

    # -- inputs (raw figures) for this stage
    def _read_inputs(self) -> None:
        owners: dict[str, list[str]] = {}
        for name, owner in self.compiled.input_owner.items():
            owners.setdefault(owner, []).append(name)
        for owner, names in owners.items():
            node = self.compiled.nodes[owner]
            item = self.unit.items.get(owner)
            layers = self._input_layers(node, item)
            merged: dict[str, _Value] = {}
            refused: set[str] = set()
            for raw, path, label in layers:
                mapping = self._as_mapping(node, raw, path)
                if mapping is None:
                    continue
                for name, value in mapping.items():
                    if name not in node.inputs:
                        close = difflib.get_close_matches(str(name), list(node.inputs), n=1)
                        self.problem(
                            "PR512",
                            f"item {owner} has no input {name!r}",
                            (*path, name) if isinstance(raw, dict) else path,
                            key=isinstance(raw, dict),
                            hint=(f"did you mean {close[0]!r}? " if close else "")
                            + "inputs: "
                            + ", ".join(node.inputs),
                        )
                        continue
                    if value is None:
                        continue
                    value_path = (*path, name) if isinstance(raw, dict) else path
                    number = self._input_value(node.inputs[name], name, value, value_path)
                    if number is None:
                        refused.add(name)
                    else:
                        refused.discard(name)
                        merged[name] = _Value(number, self.where(value_path, label))
            for name in names:
                if item is not None and not item.applicable:
                    self.inputs[name] = MissingValue(f"{name} (item {owner} is not applicable)")
                elif name in refused:
                    self.inputs[name] = _Reported(name)
                elif name in merged:
                    self.inputs[name] = merged[name]
                elif item is not None and self._unappraised_missing(item):
                    self.inputs[name] = MissingValue(
                        f"{name} (no appraisal round, and the ruleset's `unappraised` policy "
                        "is `missing`)"
                    )
                else:
                    self.inputs[name] = MissingValue(name)

    def _input_layers(
        self, node: CompiledNode, item: ItemFacts | None
    ) -> list[tuple[Any, Path, str]]:
        if item is None:
            return []
        if self._unappraised_missing(item):
            # As for scores given directly: without an appraisal round the item is missing.
            return []
        layers: list[tuple[Any, Path, str]] = []
        if item.self_ is not None and node.origin.self_assessable:
            layers.append((item.self_, self.item_path(node.id, "self"), "self-assessment"))
        if self.stage != "self":
            for r, raw in enumerate(item.appraisal or []):
                if raw is not None:
                    layers.append(
                        (raw, self.item_path(node.id, "appraisal", r), f"appraisal round {r + 1}")
                    )
        return layers

    def _unappraised_missing(self, item: ItemFacts) -> bool:
        """Past the self stage, an item no round appraised is missing when the ruleset says so."""
        return (
            self.stage != "self"
            and not any(r is not None for r in item.appraisal or [])
            and self.doc.policies.unappraised.value == "missing"
        )

    def _as_mapping(self, node: CompiledNode, raw: Any, path: Path) -> dict[str, Any] | None:
        if isinstance(raw, dict):
            return raw
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

    def _input_value(self, spec: InputSpec, name: str, raw: Any, path: Path) -> Number | None:
        try:
            value = parse_decimal(raw)
        except NotADecimal as exc:
            self.problem("PR504", f"input {name} must be a number: {exc}", path)
            return None
        limits: list[tuple[Decimal | None, Decimal | None, str]] = []
        if spec.kind == "count":
            if value != value.to_integral_value():
                self.problem("PR504", f"input {name} is a count: {raw} is not a whole number", path)
                return None
            limits.append((Decimal(0), None, "a count"))
        elif spec.kind == "percent":
            limits.append((Decimal(0), Decimal(100), "a percentage"))
        elif spec.kind == "ratio":
            limits.append((Decimal(0), Decimal(1), "a ratio"))
        if spec.min is not None or spec.max is not None:
            limits.append((spec.min, spec.max, "declared range"))
        for low, high, what in limits:
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
    def _lookup_factory(self, reads: list[InputRecord] | None, node: CompiledNode | None) -> Any:
        def lookup(name: str) -> Number:
            if node is not None and name == "max":
                if reads is not None:
                    reads.append(InputRecord("max", format_exact(node.max), "the item's maximum"))
                return node.max
            if name in self.inputs:
                entry = self.inputs[name]
                if isinstance(entry, MissingValue):
                    raise entry
                if reads is not None:
                    reads.append(InputRecord(name, format_exact(entry.value), entry.source))
                value: Number = entry.value
                return value
            if name in self.derived:
                derived = self.derived[name]
                if isinstance(derived, _Failed):
                    raise derived.signal
                if reads is not None:
                    reads.append(InputRecord(name, format_exact(derived.value), derived.source))
                derived_value: Number = derived.value
                return derived_value
            if name in self.compiled.parameters:
                param = self.compiled.parameters[name]
                if reads is not None:
                    reads.append(InputRecord(name, format_exact(param), "parameter of the ruleset"))
                return param
            raise MissingValue(name)

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
            self.derived[name] = _Value(
                value,
                f"derived value = {derived.formula.text} ({derived.file}:{derived.line})",
            )

    # -- leaves
    def _explanation(
        self, node: CompiledNode, status: str, score: Number | None, max_: Number
    ) -> Explanation:
        return Explanation(
            node=node.id,
            name=node.name,
            level=node.level,
            stage=self.stage,
            origin=node.origin_label,
            status=status,
            score=score,
            max=max_,
            places=self.places,
            rounding=self.rounding,
            location=node.location,
            provenance=self.provenance_texts[node.id],
            provisional=node.rests_on_provisional,
            method=node.method.name if node.method else None,
            rule=node.rule,
        )

    def _node_result(
        self,
        node: CompiledNode,
        status: str,
        score: Number | None,
        max_: Number,
        explanation: Explanation,
    ) -> NodeResult:
        return NodeResult(
            id=node.id,
            name=node.name,
            level=node.level,
            origin=node.origin_label,
            max=max_,
            score=score,
            status=status,
            provisional=node.rests_on_provisional,
            explanation=explanation,
        )

    def _leaf(self, node: CompiledNode) -> NodeResult:
        method = node.method
        assert method is not None  # compiled leaves always have one
        item = self.unit.items.get(node.id)
        if not stage_includes(self.stage, node.origin):
            explanation = self._explanation(node, "not_in_stage", None, ZERO)
            explanation.notes.append(
                f"{node.origin.value} item: not self-assessed, so not part of the "
                f"{self.stage} stage"
            )
            return self._node_result(node, "not_in_stage", None, ZERO, explanation)
        if item is not None and not item.applicable:
            return self._not_applicable(node, item.reason or "không áp dụng", [])
        reads: list[InputRecord] = []
        explanation = self._explanation(node, "scored", None, node.max)
        explanation.evidence = [_evidence_text(e) for e in (item.evidence if item else [])]
        picked: _Value | None = None
        try:
            value: Any = None
            if method.reads == "survey":
                if item is not None and item.survey is not None:
                    survey_path = self.item_path(node.id, "survey")
                    picked = _Value(
                        item.survey, self.where(survey_path, "survey values"), survey_path
                    )
                    value = method.read(item.survey)
                else:
                    value = method.read({})
            elif method.reads == "assessment":
                picked = self._pick(node, item)
                if picked is None:
                    raise MissingValue(self._missing_text(node))
                value = method.read(picked.value)
                reads.append(InputRecord("value given", _show(picked.value), picked.source))
            ctx = _LeafContext(self, node, value, picked.source if picked else "", reads)
            outcome = method.evaluate(ctx)
            broken = outcome_problem(outcome)
        except FactProblem as problem:
            return self._failed(
                node, explanation, problem.code, problem.message, picked, problem.hint
            )
        except MissingValue as missing:
            return self._missing(node, explanation, missing)
        except ZeroDenominator as zero:
            return self._failed(
                node,
                explanation,
                "PR516",
                f"denominator is 0 in {zero.text}",
                picked,
                "declare `on_zero_denominator` in the rule",
            )
        except ValueTooLarge as large:
            return self._failed(node, explanation, "PR906", str(large), picked, None)
        except FunctionFailed as failed:
            return self._failed(node, explanation, "PR704", str(failed), picked, None)
        except Exception as exc:  # a plugin's bug: reported with its name, never a traceback
            return self._failed(
                node,
                explanation,
                "PR704",
                f"scoring method {method.name!r} raised {one_line(exc)}",
                picked,
                None,
            )
        if broken is not None:  # a plugin's bug: reported with its name, never a traceback
            return self._failed(
                node,
                explanation,
                "PR707",
                f"scoring method {method.name!r} broke its contract: {broken}",
                picked,
                None,
            )
        if outcome.not_applicable is not None:
            return self._not_applicable(node, outcome.not_applicable, outcome.steps)
        explanation.inputs = reads + [InputRecord(*i) for i in outcome.inputs]
        explanation.matched = outcome.matched
        explanation.steps = list(outcome.steps)
        explanation.caps = list(outcome.caps)
        explanation.notes.extend(outcome.notes)
        explanation.zero_reason = outcome.zero_reason
        explanation.formula = getattr(getattr(method, "formula", None), "text", None)
        score = outcome.score
        if compare(score, ZERO) < 0 or compare(score, node.max) > 0:
            code = "PR520" if compare(score, ZERO) < 0 else "PR506"
            return self._failed(
                node,
                explanation,
                code,
                f"item {node.id}: the rule gives {format_exact(score)}, outside 0 to "
                f"{format_exact(node.max)}",
                picked,
                "scores are never clamped silently: check the facts, or declare `cap: true`",
            )
        score = self._evidence(node, item, score, explanation)
        explanation.score = score
        return self._node_result(node, "scored", score, node.max, explanation)

    def _pick(self, node: CompiledNode, item: ItemFacts | None) -> _Value | None:
        if item is None:
            return None
        self_path = self.item_path(node.id, "self")
        if self.stage == "self":
            if item.self_ is None:
                return None
            return _Value(item.self_, self.where(self_path, "self-assessment"), self_path)
        rounds = item.appraisal or []
        for r in range(len(rounds) - 1, -1, -1):
            if rounds[r] is not None:
                path = self.item_path(node.id, "appraisal", r)
                return _Value(rounds[r], self.where(path, f"appraisal round {r + 1}"), path)
        if (
            item.self_ is not None
            and node.origin.self_assessable
            and self.doc.policies.unappraised.value == "self"
        ):
            label = "self-assessment, no appraisal round: the self score stands"
            return _Value(item.self_, self.where(self_path, label), self_path)
        return None

    def _missing_text(self, node: CompiledNode) -> str:
        if self.stage == "self":
            return f"the self score of item {node.id}"
        if node.origin.self_assessable:
            return f"a score (self or appraisal) for item {node.id}"
        return f"the council's appraisal of item {node.id}"

    def _missing(
        self, node: CompiledNode, explanation: Explanation, missing: MissingValue
    ) -> NodeResult:
        path = self.item_path(node.id)
        if isinstance(missing, _Reported):
            explanation.status = "error"
            explanation.zero_reason = f"input {missing.name} was refused (see the diagnostics)"
            return self._node_result(node, "error", None, node.max, explanation)

        if node.missing == "zero":
            self.problem(
                "PR510",
                f"item {node.id}: {missing.name} is missing; scored 0 as the ruleset says",
                path,
                key=True,
            )
            explanation.zero_reason = (
                f"{missing.name} is missing; the ruleset scores a missing value 0"
            )
            explanation.score = ZERO
            return self._node_result(node, "scored", ZERO, node.max, explanation)
        self.problem(
            missing.code,
            f"item {node.id}: {missing.name} is missing",
            path,
            key=True,
            hint="give it in the facts file, or declare the item not applicable with a reason",
        )
        explanation.status = "missing"
        explanation.zero_reason = f"{missing.name} is missing: no score"
        return self._node_result(node, "missing", None, node.max, explanation)

    def _failed(
        self,
        node: CompiledNode,
        explanation: Explanation,
        code: str,
        message: str,
        picked: _Value | None,
        hint: str | None,
    ) -> NodeResult:
        # Point at the value itself when we know which one was read.
        path = picked.path if picked is not None and picked.path else self.item_path(node.id)
        if not message.startswith(f"item {node.id}"):
            message = f"item {node.id}: {message}"
        self.problem(code, message, path, hint=hint)
        explanation.status = "error"
        explanation.zero_reason = message
        return self._node_result(node, "error", None, node.max, explanation)

    def _not_applicable(self, node: CompiledNode, reason: str, steps: list[str]) -> NodeResult:
        policy = self.doc.policies.not_applicable.value
        if policy == "applicable_maximum":
            max_: Number = ZERO
            self.deductions.append(Deduction(node.id, node.name, node.max, reason))
            note = (
                f"not applicable ({reason}): its {format_exact(node.max)} points come off this "
                "unit's maximum"
            )
        else:
            max_ = node.max
            note = (
                f"not applicable ({reason}): scored 0; the ruleset keeps the declared maximum "
                "as the denominator"
            )
        explanation = self._explanation(node, "not_applicable", ZERO, max_)
        explanation.steps = list(steps)
        explanation.notes.append(note)
        explanation.zero_reason = note
        return self._node_result(node, "not_applicable", ZERO, max_, explanation)

    def _evidence(
        self, node: CompiledNode, item: ItemFacts | None, score: Number, explanation: Explanation
    ) -> Number:
        if not node.origin.self_assessable or item is None:
            return score
        policy = node.evidence or self.doc.policies.evidence
        if policy.value == "none" or item.evidence:
            return score
        quote = f' ("{policy.source.quote}")' if policy.source and policy.source.quote else ""
        if policy.value == "required":
            if compare(score, ZERO) > 0:
                self.problem(
                    "PR601",
                    f"item {node.id} has no evidence document: scored 0 instead of "
                    f"{format_exact(score)} (evidence is required{quote})",
                    self.item_path(node.id),
                    key=True,
                )
                explanation.caps.append(
                    f"{format_exact(score)} → 0: no evidence document (tài liệu kiểm chứng)"
                )
                explanation.zero_reason = (
                    f"no evidence document: the ruleset gives no points without one{quote}"
                )
            return ZERO
        if policy.value == "explanation" and not (item.explanation and item.explanation.strip()):
            self.problem(
                "PR602",
                f"item {node.id} has no evidence and no written explanation (giải trình): "
                "flagged for the appraisal council",
                self.item_path(node.id),
                key=True,
            )
            explanation.notes.append(
                "no evidence and no explanation: flagged for the appraisal council" + quote
            )
        return score

    # -- parents
    def _parent(self, node: CompiledNode) -> NodeResult:
        children = [self.results[c] for c in node.children]
        regular = [c for c in children if not self.compiled.nodes[c.id].origin.adjustment]
        max_: Number = ZERO
        for child in regular:
            max_ = add(max_, child.max)
        counted = [c for c in children if c.status != "not_in_stage"]
        explanation = self._explanation(node, "scored", None, max_)
        explanation.children = [c.explanation for c in children]
        if not counted:
            explanation.status = "not_in_stage"
            explanation.notes.append(f"no item of this node is part of the {self.stage} stage")
            return self._node_result(node, "not_in_stage", None, max_, explanation)
        broken = [c.id for c in counted if c.score is None]
        if broken:
            explanation.status = "incomplete"
            explanation.zero_reason = "no score: " + ", ".join(broken) + " could not be scored"
            return self._node_result(node, "incomplete", None, max_, explanation)
        score: Number = ZERO
        terms = []
        for child in counted:
            assert child.score is not None
            origin = self.compiled.nodes[child.id].origin
            if origin is Origin.PENALTY:
                score = sub(score, child.score)
                terms.append(f"− {format_exact(child.score)} ({child.id}, penalty)")
            else:
                score = add(score, child.score)
                tag = f" ({child.id}, bonus)" if origin is Origin.BONUS else ""
                terms.append(f"+ {format_exact(child.score)}{tag}")
        text = " ".join(terms).lstrip("+ ")
        explanation.steps.append(f"sum of {len(counted)} items: {text} = {format_exact(score)}")
        if self.doc.policies.clamp_total.value:
            if compare(score, ZERO) < 0:
                explanation.caps.append(f"{format_exact(score)} raised to 0")
                score = ZERO
            elif compare(score, max_) > 0:
                explanation.caps.append(
                    f"{format_exact(score)} capped at the maximum {format_exact(max_)}"
                )
                score = max_
        if score == 0:
            explanation.zero_reason = "every item counted scored 0"
        explanation.score = score
        return self._node_result(node, "scored", score, max_, explanation)


class _LeafContext(EvalContext):
    def __init__(
        self,
        evaluation: UnitEvaluation,
        node: CompiledNode,
        value: Any,
        value_source: str,
        reads: list[InputRecord],
    ) -> None:
        assert node.method is not None
        self.leaf: LeafInfo = node.method.leaf
        self.stage = evaluation.stage
        self.year = evaluation.year
        self.value = value
        self.value_source = value_source
        self.survey_fallback = evaluation.doc.policies.survey_fallback.value
        self._lookup = evaluation._lookup_factory(reads, node)
        self._rounding = evaluation.rounding

    def env(self) -> Env:
        return Env(self._lookup, self._rounding)

    def lookup(self, name: str) -> Number:
        value: Number = self._lookup(name)
        return value


def _show(value: Any) -> str:
    if isinstance(value, Decimal):
        return format_exact(value)
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    return str(value)


def _evidence_text(evidence: Any) -> str:
    parts = [p for p in (evidence.number, evidence.date, evidence.title, evidence.link) if p]
    return " · ".join(str(p) for p in parts)


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
