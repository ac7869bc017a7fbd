"""The catalogue of diagnostic codes.

Codes are stable: a code, once published, keeps its meaning forever (a renamed slug keeps its
number). Ranges follow the pipeline so that a code tells a reader where a problem was found:

- ``PR0xx`` loading files (encoding, YAML syntax, duplicate keys, ids that name no ruleset)
- ``PR1xx`` the document model (unknown keys, wrong types, provenance)
- ``PR2xx`` structure (ids, maxima, counts, bands, choices)
- ``PR3xx`` formulas (syntax, allow-list, names, types, limits)
- ``PR4xx`` the evaluation graph (cycles, unused values)
- ``PR5xx`` facts (units, items, values)
- ``PR6xx`` workflow (evidence, stages, deadlines, ranking)
- ``PR7xx`` plugins
- ``PR8xx`` input/output and the command line
- ``PR9xx`` limits

docs/diagnostics.md lists every code with an example; a test keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    """How bad a diagnostic is. Errors stop a ruleset from compiling or a result from being used."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Code:
    """One entry of the catalogue."""

    code: str
    slug: str
    severity: Severity
    summary: str


_E, _W, _I = Severity.ERROR, Severity.WARNING, Severity.INFO

_ENTRIES: tuple[Code, ...] = (
    # -- loading
    Code("PR001", "file-not-found", _E, "The file does not exist or cannot be read."),
    Code("PR002", "encoding", _E, "The file is not valid UTF-8 text."),
    Code("PR003", "empty-file", _E, "The file is empty or holds only comments."),
    Code("PR004", "yaml-syntax", _E, "The YAML cannot be parsed."),
    Code("PR005", "duplicate-key", _E, "A mapping has the same key twice."),
    Code("PR006", "tab-indentation", _E, "A tab is used for indentation; YAML allows spaces only."),
    Code("PR007", "not-a-mapping", _E, "The document's top level must be a mapping."),
    Code(
        "PR008", "unsupported-yaml", _E, "A YAML feature that rulesets do not allow (custom tag)."
    ),
    Code(
        "PR010",
        "unknown-ruleset",
        _E,
        "No installed ruleset has this id and no file has this path.",
    ),
    Code("PR011", "json-syntax", _E, "The JSON cannot be parsed."),
    Code("PR012", "alias-not-allowed", _E, "YAML anchors and aliases are not allowed."),
    # -- document model
    Code("PR101", "unknown-key", _E, "A key the format does not define."),
    Code("PR102", "missing-key", _E, "A required key is missing."),
    Code("PR103", "wrong-type", _E, "A value has the wrong type."),
    Code("PR104", "invalid-value", _E, "A value is not one of those allowed."),
    Code("PR105", "invalid-decimal", _E, "A number cannot be read exactly as a decimal."),
    Code("PR106", "invalid-id", _E, "An id is not a dotted decision number such as 1, 1.2, I.8.1."),
    Code("PR107", "provenance-missing", _E, "A node has neither `source` nor `provisional`."),
    Code("PR108", "provenance-conflict", _E, "A node has both `source` and `provisional`."),
    Code("PR109", "unknown-method", _E, "No installed scoring method has this name."),
    Code("PR110", "unknown-document", _E, "A `source` names a document the ruleset does not list."),
    # -- structure
    Code("PR201", "duplicate-id", _E, "Two nodes share an id."),
    Code("PR202", "id-parent-mismatch", _E, "A child's id does not extend its parent's id."),
    Code("PR203", "id-order", _E, "Sibling ids are out of the decision's order."),
    Code("PR204", "max-sum", _E, "Children's maxima do not add up to their parent's maximum."),
    Code("PR205", "count-mismatch", _E, "Declared counts differ from what the ruleset contains."),
    Code("PR206", "split-mismatch", _E, "Declared points by origin differ from the ruleset's."),
    Code("PR207", "leaf-without-scoring", _E, "A leaf has no `scoring`."),
    Code("PR208", "scoring-on-parent", _E, "A node with children has `scoring`."),
    Code("PR209", "origin-conflict", _E, "The node's origin is not one its scoring method allows."),
    Code("PR210", "bands-gap", _E, "Bands leave values that no band covers."),
    Code("PR211", "bands-overlap", _E, "Two bands cover the same value."),
    Code("PR212", "bands-not-monotonic", _E, "Band points do not follow the declared direction."),
    Code("PR213", "points-above-max", _E, "A rule can give more points than the node's maximum."),
    Code("PR214", "duplicate-option", _E, "Two options, conditions or bands share a key or label."),
    Code(
        "PR215", "checklist-sum", _E, "A checklist's condition points do not add up to the maximum."
    ),
    Code(
        "PR216", "total-mismatch", _E, "The declared total maximum differs from the sum of fields."
    ),
    Code("PR217", "bad-bound", _E, "A band's bounds are empty or contradictory."),
    Code("PR218", "too-deep", _E, "Sub-criteria cannot have children."),
    Code("PR219", "max-not-positive", _E, "A maximum must be greater than zero."),
    Code("PR220", "duplicate-fact", _E, "Two items declare an input with the same name."),
    Code("PR221", "points-not-reachable", _W, "The node's maximum cannot be reached by its rule."),
    Code(
        "PR230", "provisional", _W, "Content that no source states (warning; error with --strict)."
    ),
    Code("PR231", "empty-rule-text", _W, "A leaf has no verbatim rule text."),
    # -- formulas
    Code("PR301", "formula-syntax", _E, "The formula cannot be parsed."),
    Code("PR302", "formula-forbidden", _E, "The formula uses syntax outside the allow-list."),
    Code("PR303", "formula-unknown-name", _E, "The formula uses a name that is not defined."),
    Code(
        "PR304",
        "formula-unknown-function",
        _E,
        "The formula calls a function that is not registered.",
    ),
    Code("PR305", "formula-arity", _E, "A function is called with the wrong number of arguments."),
    Code(
        "PR306",
        "formula-type",
        _E,
        "A value of the wrong type (text, or true/false where a number belongs).",
    ),
    Code("PR307", "formula-too-complex", _E, "The formula is too long or too deeply nested."),
    Code("PR308", "formula-power", _E, "A power whose exponent is not a small whole number."),
    # -- graph
    Code("PR401", "cycle", _E, "Values depend on themselves."),
    Code("PR402", "unused-input", _W, "An input is declared but no rule reads it."),
    Code("PR403", "unused-derived", _W, "A derived value is declared but no rule reads it."),
    Code("PR404", "unused-parameter", _W, "A parameter is declared but no rule reads it."),
    Code("PR405", "name-clash", _E, "An input, derived value or parameter reuses a taken name."),
    # -- facts
    Code("PR501", "duplicate-unit", _E, "Two units share an id."),
    Code("PR502", "unknown-item", _E, "Facts name an item the ruleset does not have."),
    Code("PR503", "not-a-leaf", _E, "Facts are given for a node that has children."),
    Code("PR504", "fact-type", _E, "A fact has the wrong type for its item."),
    Code(
        "PR505",
        "fact-out-of-range",
        _E,
        "A fact is outside its declared range (e.g. a negative count, 120 %).",
    ),
    Code("PR506", "score-above-max", _E, "A score is above the item's maximum (never clamped)."),
    Code(
        "PR507",
        "score-not-allowed",
        _E,
        "A score is not one of the item's allowed values or steps.",
    ),
    Code(
        "PR508",
        "self-score-not-allowed",
        _E,
        "A self score is given for an item units do not self-assess.",
    ),
    Code("PR509", "missing-fact", _E, "A value needed to score an item is missing."),
    Code("PR510", "missing-scored-zero", _I, "A value is missing and the ruleset scores it 0."),
    Code("PR511", "unknown-choice", _E, "The outcome named is not one of the item's outcomes."),
    Code("PR512", "unknown-input", _E, "Facts give an input the item does not declare."),
    Code("PR513", "ruleset-mismatch", _E, "The facts file is for another ruleset."),
    Code(
        "PR514",
        "reason-missing",
        _E,
        "A unit not ranked, or an item not applicable, gives no reason.",
    ),
    Code("PR515", "unknown-unit", _E, "No unit has this id."),
    Code(
        "PR516",
        "zero-denominator",
        _E,
        "A ratio's denominator is 0 and the rule does not say what then.",
    ),
    Code("PR517", "not-applicable-refused", _E, "The item cannot be declared not applicable."),
    Code(
        "PR518",
        "survey-missing",
        _E,
        "No survey value for the evaluation year (nor a fallback year).",
    ),
    Code("PR519", "year-mismatch", _E, "The facts file is for another evaluation year."),
    Code("PR520", "negative-score", _E, "A score is negative."),
    # -- input/output
    Code("PR801", "no-reader", _E, "No facts reader handles this file (or has this name)."),
    # -- limits
    Code("PR901", "file-too-large", _E, "The file is larger than the limit for its kind."),
    Code("PR902", "too-many-yaml-nodes", _E, "The file holds more YAML nodes than the limit."),
    Code("PR903", "too-deeply-nested", _E, "The file nests collections deeper than the limit."),
    Code("PR904", "too-many-nodes", _E, "The ruleset has more nodes than the limit."),
    Code("PR905", "too-many-units", _E, "The facts file has more units than the limit."),
    Code(
        "PR906", "value-too-large", _E, "A formula's value grew beyond the limit while evaluating."
    ),
)

CATALOGUE: dict[str, Code] = {entry.code: entry for entry in _ENTRIES}


def register_codes(*entries: Code) -> None:
    """Add codes from a later pipeline step or a plugin. A code may be registered only once."""
    for entry in entries:
        known = CATALOGUE.get(entry.code)
        if known is not None and known != entry:
            raise ValueError(f"diagnostic code {entry.code} is already registered as {known.slug}")
        CATALOGUE[entry.code] = entry


def lookup(code: str) -> Code:
    """Return the catalogue entry of `code` (KeyError for an unknown code: a programming error)."""
    return CATALOGUE[code]
