"""From a loaded ruleset document to a :class:`CompiledRuleset`, checking everything at once.

Steps, each adding diagnostics without stopping at the first problem:

1. the document model (unknown keys, types) — stops here on errors, nothing else can be trusted;
2. the hierarchy: ids, provenance, maxima and their sums, declared counts and point split;
3. scoring methods: known names, their own settings, allowed origins, formulas parsed once;
4. names: inputs, derived values, parameters, and the graph (cycles, unused values, order).
"""

from __future__ import annotations

import difflib
import hashlib
from decimal import Decimal
from fractions import Fraction
from typing import Any

import networkx as nx
from pydantic import BaseModel

from parindex_rules import limits
from parindex_rules.codes import Code, Severity, register_codes
from parindex_rules.compile.compiled import (
    ROOT_ID,
    CompiledDerived,
    CompiledNode,
    CompiledRuleset,
    Level,
    Provenance,
)
from parindex_rules.compile.workflow import declaration_problems
from parindex_rules.diagnostics import Diagnostic, Path, RulesetError, format_path
from parindex_rules.expr.functions import FunctionSpec
from parindex_rules.expr.nodes import Formula, Type
from parindex_rules.expr.parser import MAX_NAME, FormulaError, parse_formula
from parindex_rules.loader.extends import expand_extends
from parindex_rules.loader.yaml import LoadedDocument, SourceMap, position_in_scalar
from parindex_rules.methods.base import CompileContext, LeafInfo, get_method
from parindex_rules.model.common import (
    provisional_parts,
    ruleset_id_year,
    segment_key,
    walk_models,
)
from parindex_rules.model.ruleset import (
    Criterion,
    Derived,
    FieldNode,
    NodeBase,
    Origin,
    Parameter,
    RulesetDocument,
    Source,
    SubCriterion,
)
from parindex_rules.model.validate import validate
from parindex_rules.numbers import format_exact, total
from parindex_rules.plugins import one_line, registry

register_codes(
    Code(
        "PR222",
        "inputs-not-read",
        Severity.ERROR,
        "A leaf declares inputs but its scoring method reads a score directly.",
    ),
)

register_codes(
    Code(
        "PR111",
        "id-year-mismatch",
        Severity.WARNING,
        "The year in the ruleset id differs from the ruleset's evaluation `year:`.",
    ),
)

_LEAF_KEYS = ("rule", "scoring", "inputs", "evidence", "evidence_documents", "missing")


def _validate_function(name: str, obj: Any) -> str | None:
    if not isinstance(obj, FunctionSpec):
        return f"{obj!r} is not a FunctionSpec"
    if obj.name != name:
        return f"registered as {name!r} but its FunctionSpec is named {obj.name!r}"
    return None


registry.set_validator("functions", _validate_function)


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def compile_document(loaded: LoadedDocument) -> CompiledRuleset:
    """Compile a loaded YAML document. Raises :class:`RulesetError` listing every problem.

    A document that ``extends:`` another is expanded first (paths relative to its file).
    """
    loaded = expand_extends(loaded)
    source_map = loaded.source_map
    if not isinstance(loaded.data, dict):
        raise RulesetError(
            [source_map.diagnostic("PR007", "a ruleset file must be a mapping of keys", ())]
        )
    document, problems = validate(RulesetDocument, loaded.data, source_map)
    if document is None:
        raise RulesetError(problems)
    compiled = _Compiler(document, source_map, loaded.text, loaded.texts).run()
    return compiled


class _Compiler:
    def __init__(
        self,
        document: RulesetDocument,
        source_map: SourceMap,
        text: str,
        texts: dict[str, str] | None = None,
    ) -> None:
        self.doc = document
        self.sm = source_map
        self.text = text
        self.lines = text.splitlines()
        # A document merged through `extends:` takes content from other files too.
        self.texts = dict(texts or {})
        self.lines_of = {name: other.splitlines() for name, other in self.texts.items()}
        self.diags: list[Diagnostic] = []
        self.nodes: dict[str, CompiledNode] = {}
        self.models: dict[str, NodeBase] = {}
        self.input_owner: dict[str, str] = {}
        self.scope: set[str] = set()
        self.derived: dict[str, CompiledDerived] = {}
        self.incomplete: set[str] = set()
        self.settings: list[tuple[Path, str]] = []
        self.functions = registry.names("functions")

    # -- reporting
    def error(
        self, code: str, message: str, path: Path, *, key: bool = False, hint: str | None = None
    ) -> None:
        self.diags.append(self.sm.diagnostic(code, message, path, key=key, hint=hint))

    def warning(
        self, code: str, message: str, path: Path, *, key: bool = False, hint: str | None = None
    ) -> None:
        self.diags.append(
            self.sm.diagnostic(code, message, path, key=key, hint=hint, severity=Severity.WARNING)
        )

    # -- the run
    def run(self) -> CompiledRuleset:
        self._id_year()
        self._hierarchy()
        if len(self.nodes) > limits.MAX_RULESET_NODES:
            self.error(
                "PR904",
                f"the ruleset has {len(self.nodes)} nodes; the limit is {limits.MAX_RULESET_NODES}",
                ("fields",),
            )
            raise RulesetError(self.diags)
        self._sources()
        self._settings()
        self._names()
        self._methods()
        self._origins()
        self._sums()
        self._declared()
        self.diags.extend(declaration_problems(self.doc, self.sm, self.nodes))
        graph, derived_order = self._graph()
        errors = [d for d in self.diags if d.is_error]
        if errors:
            raise RulesetError(self.diags)
        pre_order = list(self.nodes)
        leaf_order = [i for i in pre_order if self.nodes[i].is_leaf]
        parent_order = [i for i in reversed(pre_order) if not self.nodes[i].is_leaf]
        self._provisional_flags(parent_order, derived_order)
        return CompiledRuleset(
            document=self.doc,
            source_map=self.sm,
            file=self.sm.file,
            nodes=self.nodes,
            derived=self.derived,
            parameters={name: p.value for name, p in self.doc.parameters.items()},
            settings=self.settings,
            input_owner=self.input_owner,
            graph=graph,
            derived_order=derived_order,
            leaf_order=leaf_order,
            parent_order=parent_order,
            diagnostics=sorted(self.diags, key=Diagnostic.sort_key),
            content_hash=content_hash(self.text + "".join(self.texts.values())),
        )

    def _id_year(self) -> None:
        named = ruleset_id_year(self.doc.id)
        if named != self.doc.year:
            self.warning(
                "PR111",
                f"ruleset id {self.doc.id!r} names the year {named}, but `year:` is "
                f"{self.doc.year}",
                ("id",),
                hint="the id's year is the evaluation year: correct `year:` or rename the id",
            )

    # -- hierarchy, ids, provenance
    def _provenance(self, model: BaseModel, path: Path, what: str) -> Provenance:
        source: Source | None = getattr(model, "source", None)
        provisional: str | None = getattr(model, "provisional", None)
        if source is None and provisional is None:
            self.error(
                "PR107",
                f"{what} has neither `source` nor `provisional`",
                path,
                hint="quote where the decision states it (`source:`), or say why it is "
                "provisional (`provisional: ...`)",
            )
        elif source is not None and provisional is not None:
            self.error(
                "PR108",
                f"{what} has both `source` and `provisional`",
                (*path, "provisional"),
                key=True,
            )
        if provisional is not None and not provisional.strip():
            self.error("PR104", "`provisional` must say why", (*path, "provisional"))
        return Provenance(source, provisional)

    def _hierarchy(self) -> None:
        doc = self.doc
        line, _ = self.sm.locate(())
        root = CompiledNode(
            id=ROOT_ID,
            name=doc.title,
            level="total",
            parent=None,
            children=[],
            max=doc.max,
            origin=Origin.ASSESSED,
            provenance=self._provenance(doc, (), "the ruleset"),
            path=(),
            file=self.sm.file,
            line=line,
            excerpt_of=doc.excerpt_of,
        )
        self.nodes[ROOT_ID] = root
        self._children(root, doc.fields, ("fields",), "field", None)

    def _children(
        self,
        parent: CompiledNode,
        models: list[FieldNode] | list[Criterion] | list[SubCriterion],
        base: Path,
        level: Level,
        inherited: Origin | None,
    ) -> None:
        previous: tuple[tuple[int, str], str] | None = None
        for i, model in enumerate(models):
            path = (*base, i)
            node = self._node(model, path, level, parent, inherited)
            if node is None:
                continue
            segment = node.id.rsplit(".", 1)[-1]
            key = segment_key(segment)
            if previous is not None and key <= previous[0]:
                self.error(
                    "PR203",
                    f"id {node.id!r} comes after {previous[1]!r}: ids must follow the "
                    "decision's order",
                    (*path, "id"),
                )
            previous = (key, node.id)
            sub_models: list[Any] = []
            sub_level: Level | None = None
            sub_base: Path = ()
            if isinstance(model, FieldNode):
                sub_models, sub_level, sub_base = model.criteria, "criterion", (*path, "criteria")
            elif isinstance(model, Criterion):
                sub_models, sub_level, sub_base = (
                    model.subcriteria,
                    "subcriterion",
                    (*path, "subcriteria"),
                )
            if sub_models and sub_level is not None:
                self._children(node, sub_models, sub_base, sub_level, model.origin or inherited)
            if node.children:
                for name in _LEAF_KEYS:
                    if getattr(model, name) is not None:
                        self.error(
                            "PR208",
                            f"{node.id}: `{name}` belongs on leaves; this node has children",
                            (*path, name),
                            key=True,
                        )
            elif model.scoring is None:
                self.error(
                    "PR207",
                    f"leaf {node.id} has no `scoring`",
                    path,
                    hint="add `scoring: {method: ...}` (points, choice, bands, formula, ...)",
                )

    def _node(
        self,
        model: NodeBase,
        path: Path,
        level: Level,
        parent: CompiledNode,
        inherited: Origin | None,
    ) -> CompiledNode | None:
        node_id = model.id
        if node_id in self.nodes:
            first = self.nodes[node_id]
            self.incomplete.add(parent.id)  # its sum check would only repeat this error
            self.error(
                "PR201",
                f"id {node_id!r} is used twice (first at line {first.line})",
                (*path, "id"),
            )
            self.incomplete.add(parent.id)
            return None
        if parent.id == ROOT_ID:
            if "." in node_id:
                self.error(
                    "PR202",
                    f'field id {node_id!r} must be a single number (e.g. "2" or "II")',
                    (*path, "id"),
                )
        else:
            head, _, tail = node_id.rpartition(".")
            if head != parent.id or not tail:
                self.error(
                    "PR202",
                    f"id {node_id!r} does not extend its parent's id {parent.id!r}",
                    (*path, "id"),
                    hint=f"a child of {parent.id} is numbered {parent.id}.N",
                )
        if model.max <= 0:
            self.error("PR219", f"{node_id}: the maximum must be greater than 0", (*path, "max"))
        line, _ = self.sm.locate(path)
        node = CompiledNode(
            id=node_id,
            name=model.name,
            level=level,
            parent=parent.id,
            children=[],
            max=model.max,
            origin=model.origin or inherited or Origin.ASSESSED,
            provenance=self._provenance(model, path, f"node {node_id}"),
            path=path,
            file=self.sm.position(path)[0],
            line=line,
            rule=model.rule,
            inputs=dict(model.inputs or {}),
            evidence=model.evidence,
            missing=model.missing or self.doc.policies.missing.value,
            may_be_not_applicable=model.may_be_not_applicable,
            notes=model.notes,
            basis=model.basis,
            excerpt_of=model.excerpt_of,
            evidence_documents=model.evidence_documents,
            replaces=model.replaces,
        )
        self.nodes[node_id] = node
        self.models[node_id] = model
        parent.children.append(node_id)
        return node

    def _sources(self) -> None:
        """Every `source` names a document listed under `documents`."""
        known = list(self.doc.documents)
        for path, model in walk_models(self.doc):
            if not isinstance(model, Source) or model.document in self.doc.documents:
                continue
            close = difflib.get_close_matches(model.document, known, n=1)
            hint = (
                f"did you mean {close[0]!r}?"
                if close
                else "list it under `documents:` with its title"
            )
            self.error(
                "PR110",
                f"source document {model.document!r} is not listed under `documents`",
                (*path, "document"),
                hint=hint,
            )

    def _settings(self) -> None:
        """Provisional settings: every `provisional:` in the document that is not a node's or a
        derived value's own (parameters, policies, ranking, classes, rounding, workflow, ...).
        Each makes the ruleset provisional; a setting may not also have a `source`."""
        self.settings = provisional_parts(self.doc, skip=(NodeBase, Derived))
        checked = (NodeBase, Derived, Parameter)  # by _provenance, with their own messages
        for path, model in walk_models(self.doc):
            if not path or isinstance(model, checked):
                continue
            provisional = getattr(model, "provisional", None)
            if not isinstance(provisional, str):
                continue
            if getattr(model, "source", None) is not None:
                self.error(
                    "PR108",
                    f"{format_path(path)} has both `source` and `provisional`",
                    (*path, "provisional"),
                    key=True,
                )
            if not provisional.strip():
                self.error("PR104", "`provisional` must say why", (*path, "provisional"))

    # -- names: inputs, parameters, derived values
    def _names(self) -> None:
        taken: dict[str, Path] = {}
        for name in self.doc.parameters:
            taken[name] = ("parameters", name)
            self._provenance(self.doc.parameters[name], ("parameters", name), f"parameter {name}")
        for name in self.doc.derived:
            path = ("derived", name)
            if name in taken:
                self.error(
                    "PR405",
                    f"derived value {name!r} reuses the name of a parameter",
                    path,
                    key=True,
                )
            taken[name] = path
        for node in self.nodes.values():
            for name in node.inputs:
                input_path: Path = (*node.path, "inputs", name)
                if name == MAX_NAME:
                    self.error(
                        "PR405",
                        f"{name!r} is reserved: it means the item's maximum in formulas",
                        input_path,
                        key=True,
                    )
                elif name in self.input_owner:
                    other = self.input_owner[name]
                    self.error(
                        "PR220",
                        f"input {name!r} is also declared by item {other}: input names are "
                        "unique in a ruleset",
                        input_path,
                        key=True,
                    )
                elif name in taken:
                    self.error(
                        "PR405",
                        f"input {name!r} reuses the name of a "
                        + {"parameters": "parameter", "derived": "derived value"}[
                            str(taken[name][0])
                        ],
                        input_path,
                        key=True,
                    )
                self.input_owner.setdefault(name, node.id)
        self.scope = set(self.input_owner) | set(self.doc.parameters) | set(self.doc.derived)
        for name, spec in self.doc.derived.items():
            path = ("derived", name)
            provenance = self._provenance(spec, path, f"derived value {name}")
            formula = self.parse(spec.formula, (*path, "formula"))
            if formula is not None and MAX_NAME in formula.names:
                self.error(
                    "PR303",
                    f"{MAX_NAME!r} (an item's maximum) means nothing in a derived value",
                    (*path, "formula"),
                )
                formula = None
            if formula is not None:
                file, line, _ = self.sm.position(path, key=True)
                self.derived[name] = CompiledDerived(
                    name, formula, spec.label, provenance, file, line
                )

    def parse(self, text: str, path: Path, expect: Type = Type.NUMBER) -> Formula | None:
        try:
            return parse_formula(
                text,
                functions=self._function,
                scope=self.scope,
                function_names=self.functions,
                expect=expect,
            )
        except FormulaError as exc:
            for problem in exc.problems:
                file, line, column = self._formula_position(path, problem.offset, text)
                self.diags.append(
                    Diagnostic.make(
                        problem.code,
                        problem.message,
                        file=file,
                        line=line,
                        column=column,
                        path=path,
                        hint=problem.hint,
                    )
                )
            return None

    def _function(self, name: str) -> FunctionSpec | None:
        spec: FunctionSpec | None = registry.get("functions", name)
        return spec

    def _formula_position(self, path: Path, offset: int, text: str) -> tuple[str, int, int]:
        """Point at the character inside the formula's text, wherever and however it is
        written (quoted, escaped, over several lines, in this file or one it extends); else
        at the formula's start."""
        file, line, column = self.sm.position(path)
        lines = self.lines_of.get(file, self.lines)
        exact = position_in_scalar(lines, line, column, text, offset)
        return (file, *exact) if exact is not None else (file, line, column)

    # -- scoring methods
    def _methods(self) -> None:
        for node in self.nodes.values():
            model = self.models.get(node.id)
            if model is None or node.children or model.scoring is None:
                continue
            scoring_path = (*node.path, "scoring")
            raw = model.scoring
            name = raw.get("method")
            if name is not None and not isinstance(name, str):
                self.error(
                    "PR103",
                    f"leaf {node.id}: `method` must be the name of a method",
                    (*scoring_path, "method"),
                    hint="one of: " + ", ".join(registry.names("methods")),
                )
                continue
            if not isinstance(name, str):
                self.error(
                    "PR102",
                    f"leaf {node.id}: `scoring` needs `method:`",
                    scoring_path,
                    hint="one of: " + ", ".join(registry.names("methods")),
                )
                continue
            method_cls = get_method(name)
            if method_cls is None:
                installed = registry.names("methods")
                close = difflib.get_close_matches(name, installed, n=1, cutoff=0.5)
                hint = (
                    (f"did you mean {close[0]!r}? " if close else "")
                    + "installed: "
                    + ", ".join(installed)
                )
                broken = [i for i in registry.infos("methods") if i.name == name and i.error]
                if broken:
                    hint = (
                        f"the plugin providing {name!r} failed to load: {broken[0].error.message}"  # type: ignore[union-attr]
                    )
                self.error(
                    "PR109",
                    f"unknown scoring method {name!r}",
                    (*scoring_path, "method"),
                    hint=hint,
                )
                continue
            config, problems = validate(method_cls.Config, raw, self.sm, prefix=scoring_path)
            self.diags.extend(problems)
            if config is None:
                continue
            origin = model.origin or self._inherited_origin(node) or method_cls.default_origin
            node.origin = origin
            leaf = LeafInfo(
                id=node.id,
                name=node.name,
                max=node.max,
                origin=origin,
                rule=node.rule,
                inputs=node.inputs,
            )
            before = len(self.diags)
            try:
                method = method_cls(config, leaf)
                method.prepare(_MethodContext(self, leaf, scoring_path))
                # Asked here, once, so that a plugin raising in them is reported here too.
                best = method.best()
                read_names = method.names()
            except Exception as exc:  # a plugin's bug must not become a traceback
                self.error("PR704", f"scoring method {name!r} raised {one_line(exc)}", scoring_path)
                continue
            contract = _contract_problem(read_names, best)
            if contract is not None:
                self.error(
                    "PR707", f"scoring method {name!r} broke its contract: {contract}", scoring_path
                )
                continue
            node.method = method
            node.readings = [
                ((*scoring_path, *path), reason) for path, reason in method.provisional_readings()
            ]
            for path, reason in node.readings:
                if not reason.strip():
                    self.error("PR104", "`provisional` must say why", (*path, "provisional"))
            if node.inputs and method.reads != "inputs":
                self.error(
                    "PR222",
                    f"leaf {node.id} declares inputs, but method {name!r} reads a score directly",
                    (*node.path, "inputs"),
                    key=True,
                    hint="use `formula` or `bands`, or remove `inputs`",
                )
            reported = any(d.code == "PR213" for d in self.diags[before:])
            # A maximum that is not positive is reported once (PR219), not as options above it.
            if best is not None and best > node.max and node.max > 0 and not reported:
                self.error(
                    "PR213",
                    f"the rule can give {format_exact(best)}, above the maximum "
                    f"{format_exact(node.max)}",
                    scoring_path,
                )
            if node.rule is None or not node.rule.strip():
                self.warning(
                    "PR231",
                    f"leaf {node.id} has no `rule`: keep the decision's rule text verbatim",
                    node.path,
                )

    def _inherited_origin(self, node: CompiledNode) -> Origin | None:
        parent = node.parent
        while parent is not None and parent != ROOT_ID:
            model = self.models.get(parent)
            if model is not None and model.origin is not None:
                return model.origin
            parent = self.nodes[parent].parent
        return None

    def _origins(self) -> None:
        for node in self.nodes.values():
            model = self.models.get(node.id)
            if model is None:
                continue
            if node.method is not None and node.origin not in type(node.method).allowed_origins:
                allowed = ", ".join(sorted(o.value for o in type(node.method).allowed_origins))
                self.error(
                    "PR209",
                    f"leaf {node.id}: origin {node.origin.value!r} is not allowed with method "
                    f"{node.method.name!r} (allowed: {allowed})",
                    (*node.path, "origin") if model.origin else (*node.path, "scoring", "method"),
                )
            inherited = self._inherited_origin(node)
            if (
                inherited is not None
                and inherited.adjustment
                and model.origin is not None
                and model.origin is not inherited
            ):
                self.error(
                    "PR209",
                    f"{node.id}: origin {model.origin.value!r} inside a {inherited.value} node",
                    (*node.path, "origin"),
                )
        # Bottom-up: a parent without a declared origin takes its children's when they share one.
        for node_id in reversed(list(self.nodes)):
            node = self.nodes[node_id]
            if not node.children:
                node.origin_label = node.origin.value
                continue
            labels = {self.nodes[c].origin_label for c in node.children}
            node.origin_label = labels.pop() if len(labels) == 1 else "mixed"
            model = self.models.get(node_id)
            if model is not None and model.origin is not None:
                node.origin = model.origin
            elif node.origin_label in Origin._value2member_map_:
                node.origin = Origin(node.origin_label)
        for node in self.nodes.values():
            parent = self.nodes.get(node.parent) if node.parent is not None else None
            node.adjusts_parent = (
                parent is not None and node.origin.adjustment and not parent.origin.adjustment
            )

    # -- maxima and declared figures
    def _sums(self) -> None:
        for node in self.nodes.values():
            if not node.children or node.id in self.incomplete:
                continue
            regular = [self.nodes[c].max for c in node.children if not self.nodes[c].adjusts_parent]
            expected = total(regular)
            if expected != node.max:
                parts = " + ".join(format_exact(m) for m in regular)
                if node.id == ROOT_ID:
                    self.error(
                        "PR216",
                        f"the total maximum is {format_exact(node.max)}, but the fields add up "
                        f"to {format_exact(expected)} ({parts})",
                        ("max",),
                    )
                else:
                    self.error(
                        "PR204",
                        f"{node.id}: maximum {format_exact(node.max)}, but its children add up "
                        f"to {format_exact(expected)} ({parts})",
                        (*node.path, "max"),
                    )

    def _counts(self) -> dict[str, int]:
        counts = {"fields": 0, "criteria": 0, "subcriteria": 0}
        for node in self.nodes.values():
            if node.origin.adjustment or node.level == "total":
                continue
            key = {"field": "fields", "criterion": "criteria", "subcriterion": "subcriteria"}[
                node.level
            ]
            counts[key] += 1
        return counts

    def _declared(self) -> None:
        declared = self.doc.declared
        if declared is not None:
            counts = self._counts()
            for key, actual in counts.items():
                stated = getattr(declared, key)
                if stated is not None and stated != actual:
                    self.error(
                        "PR205",
                        f"declared {stated} {key}, but the ruleset has {actual}",
                        ("declared", key),
                    )
            if declared.points_by_origin is not None:
                actual_points = points_by_origin(self.nodes)
                for origin in sorted(
                    set(actual_points) | set(declared.points_by_origin), key=lambda o: o.value
                ):
                    stated_points = declared.points_by_origin.get(origin, Decimal(0))
                    have = actual_points.get(origin, Decimal(0))
                    if stated_points != have:
                        path: Path = ("declared", "points_by_origin", origin.value)
                        stated_text = f"declared {format_exact(stated_points)} points"
                        if origin not in declared.points_by_origin:
                            path = ("declared", "points_by_origin")
                            stated_text = "declared no points"
                        self.error(
                            "PR206",
                            f"{stated_text} of origin {origin.value!r}, but the ruleset's leaves "
                            f"give {format_exact(have)}",
                            path,
                        )
        for i, field in enumerate(self.doc.fields):
            if field.declared is None or field.id not in self.nodes:
                continue
            node = self.nodes[field.id]
            criteria = [self.nodes[c] for c in node.children]
            actual_criteria = len(criteria)
            actual_sub = sum(len(c.children) for c in criteria)
            for key, actual in (("criteria", actual_criteria), ("subcriteria", actual_sub)):
                stated = getattr(field.declared, key)
                if stated is not None and stated != actual:
                    self.error(
                        "PR205",
                        f"field {field.id}: declared {stated} {key}, but it has {actual}",
                        ("fields", i, "declared", key),
                    )

    # -- the graph
    def _graph(self) -> tuple[nx.DiGraph, list[str]]:
        graph: nx.DiGraph = nx.DiGraph()
        for name in self.input_owner:
            graph.add_node(f"input:{name}", kind="input", owner=self.input_owner[name])
        for name in self.doc.parameters:
            graph.add_node(f"param:{name}", kind="parameter")
        for name in self.doc.derived:
            graph.add_node(f"derived:{name}", kind="derived")
        for node in self.nodes.values():
            graph.add_node(f"node:{node.id}", kind=node.level)
            if node.parent is not None:
                graph.add_edge(f"node:{node.id}", f"node:{node.parent}")

        def source_of(name: str) -> str | None:
            if name in self.doc.derived:
                return f"derived:{name}"
            if name in self.doc.parameters:
                return f"param:{name}"
            if name in self.input_owner:
                return f"input:{name}"
            return None

        for name, derived in self.derived.items():
            for used in derived.formula.names:
                origin = source_of(used)
                if origin is not None:
                    graph.add_edge(origin, f"derived:{name}")
        for node in self.nodes.values():
            if node.method is None:
                continue
            for used in node.method.names():
                origin = source_of(used)
                if origin is not None:
                    graph.add_edge(origin, f"node:{node.id}")
        derived_graph = graph.subgraph(f"derived:{n}" for n in self.derived)
        cyclic: set[str] = set()
        for component in sorted(nx.strongly_connected_components(derived_graph), key=sorted):
            members = sorted(component)
            if len(members) == 1 and not derived_graph.has_edge(members[0], members[0]):
                continue
            cycle = nx.find_cycle(derived_graph.subgraph(members), source=members[0])
            # Edges run from what is read to what reads it; spelled the other way, each name
            # reads the next one: x → y → z → x.
            names = [edge[0].split(":", 1)[1] for edge in cycle] + [members[0].split(":", 1)[1]]
            names.reverse()
            first = names[0]
            cyclic.update(m.split(":", 1)[1] for m in members)
            self.error(
                "PR401",
                "derived values depend on themselves: " + " → ".join(names),
                ("derived", first, "formula"),
            )
        for name in self.input_owner:
            if graph.out_degree(f"input:{name}") == 0:
                owner = self.nodes[self.input_owner[name]]
                self.warning(
                    "PR402",
                    f"input {name!r} of item {owner.id} is not read by any formula",
                    (*owner.path, "inputs", name),
                    key=True,
                )
        for name in self.doc.derived:
            if graph.out_degree(f"derived:{name}") == 0:
                self.warning(
                    "PR403", f"derived value {name!r} is not used", ("derived", name), key=True
                )
        for name in self.doc.parameters:
            if graph.out_degree(f"param:{name}") == 0:
                self.warning(
                    "PR404", f"parameter {name!r} is not used", ("parameters", name), key=True
                )
        order: list[str] = []
        if not cyclic:
            for key in nx.topological_sort(graph):
                if key.startswith("derived:"):
                    order.append(key.split(":", 1)[1])
        return graph, order

    def _provisional_flags(self, parent_order: list[str], derived_order: list[str]) -> None:
        """Which nodes rest on provisional content: their own provenance, a reading inside
        their rule or their evidence policy, or a value they read — a provisional parameter or
        derived value, or a derived value reading one — and every parent of such a node."""
        provisional_names = {n for n, p in self.doc.parameters.items() if p.provisional is not None}
        for name in derived_order:
            derived = self.derived[name]
            if derived.provenance.is_provisional or provisional_names & derived.formula.names:
                provisional_names.add(name)
        for node in self.nodes.values():
            node.rests_on_provisional = (
                node.provenance.is_provisional
                or bool(node.readings)
                or (node.evidence is not None and node.evidence.provisional is not None)
                or (node.method is not None and bool(provisional_names & node.method.names()))
            )
        for node_id in parent_order:
            node = self.nodes[node_id]
            if any(self.nodes[c].rests_on_provisional for c in node.children):
                node.rests_on_provisional = True


def points_by_origin(nodes: dict[str, CompiledNode]) -> dict[Origin, Decimal]:
    """The points of the leaves, by origin (what `declared.points_by_origin` states)."""
    out: dict[Origin, Decimal] = {}
    for node in nodes.values():
        if node.is_leaf:
            out[node.origin] = out.get(node.origin, Decimal(0)) + node.max
    return out


def _contract_problem(read_names: Any, best: Any) -> str | None:
    """What is wrong with what a method's names() and best() returned (a plugin's bug)."""
    if not isinstance(read_names, set | frozenset) or not all(
        isinstance(n, str) for n in read_names
    ):
        return "names() must return a set of names"
    if best is not None and (isinstance(best, bool) or not isinstance(best, Decimal | Fraction)):
        return f"best() must return a Decimal, a Fraction or None, not {type(best).__name__}"
    return None


class _MethodContext(CompileContext):
    def __init__(self, compiler: _Compiler, leaf: LeafInfo, base: Path) -> None:
        self.compiler = compiler
        self.leaf = leaf
        self.rounding = compiler.doc.rounding.mode
        self.base = base

    def formula(self, text: str, path: Path, *, expect: Type = Type.NUMBER) -> Formula | None:
        return self.compiler.parse(text, (*self.base, *path), expect)

    def error(self, code: str, message: str, path: Path = (), hint: str | None = None) -> None:
        if code == "PR213" and self.leaf.max <= 0:
            return  # the maximum itself is wrong (PR219): every option would be "above" it
        self.compiler.error(code, f"{self.leaf.id}: {message}", (*self.base, *path), hint=hint)

    def warning(self, code: str, message: str, path: Path = (), hint: str | None = None) -> None:
        self.compiler.warning(code, f"{self.leaf.id}: {message}", (*self.base, *path), hint=hint)

    def has_name(self, name: str) -> bool:
        return name in self.compiler.scope
