"""How to fix each diagnostic code: the hand-written part of docs/diagnostics.md.

The rest of each entry (slug, severity, meaning, the example and the exact line printed) comes
from the catalogue and from running the corpus; ``python -m tests.hardening.diagnostics_doc``
writes the page. A new code needs a line here and a corpus case (the tests say so).
"""

from __future__ import annotations

HOW_TO_FIX: dict[str, str] = {
    # -- loading
    "PR001": "Check the path (relative paths start from the folder you run `parindex` in) and "
    "that the file can be read; a folder is not a ruleset file.",
    "PR002": "Save the file as UTF-8 (in Excel: *CSV UTF-8*; in editors: *UTF-8*, with or "
    "without BOM). Files typed in TCVN3/VNI fonts or Windows-1258 must be converted first.",
    "PR003": "Write the content, or point the command at the right file.",
    "PR004": "Correct the YAML at the position shown. Quote values that contain `: ` or start "
    "with `@`, `` ` ``, `%` or `&`; close every quote and bracket you open.",
    "PR005": "Keep one of the two keys: YAML would silently keep only the last one.",
    "PR006": "Replace the tabs at the start of the line with spaces (set your editor to insert "
    "spaces).",
    "PR007": "A ruleset or facts file is a mapping of keys (`id:`, `title:`, ... or "
    "`ruleset:`, `year:`, `units:`); do not start it with `-` or a bare value.",
    "PR008": "Remove the tag (`!!python/...`, `!include`, `!!binary`, ...): rulesets are plain "
    "data, and tags are how YAML files run code or pull in other files.",
    "PR010": "Give an installed id (`parindex list` shows them) or the path to a file; a path "
    "needs its `.yaml` suffix or a `./`.",
    "PR011": "Correct the JSON at the position shown (no trailing commas, no comments, double "
    "quotes only), or save the file as `.yaml` if it is meant to be YAML.",
    "PR012": "Write the value out in full at each place. To reuse a whole ruleset, use `extends:`.",
    "PR020": "Make one ruleset the base of the other, not both: the chain of `extends:` must "
    "end at a ruleset written out in full.",
    "PR021": "Remove only ids the base has (`parindex describe BASE` lists them), or correct "
    "the id.",
    "PR022": "Extend the ruleset written out in full (or a nearer base) instead of a long "
    "chain of rulesets.",
    # -- document model
    "PR101": "Correct the key (the hint suggests the closest one) or remove it: unknown keys are "
    "never ignored, since a misspelt key would silently lose its value.",
    "PR102": "Add the key the message names; `parindex schema` lists every key and what it holds.",
    "PR103": "Give a value of the expected kind: a mapping `{...}`, a list `[...]`, text or a "
    "number, as the message says.",
    "PR104": "Use one of the allowed values listed in the message.",
    "PR105": 'Write the number plainly: `14.5` or `"14,5"` (a decimal comma needs quotes), '
    "without thousands separators, units or exponents, and with at most 30 digits.",
    "PR106": "Number the node as the decision does (`1`, `1.2`, `2.3.1`, `I.8`), quoted; names "
    "of inputs, parameters and derived values are lower-case ASCII with `_` (`so_dung_han`).",
    "PR107": "Add `source:` (the decision, part, row and the quoted words) or "
    "`provisional: <why>` when no source states it.",
    "PR108": "Keep one: `source` when the decision states it, `provisional` when it does not.",
    "PR109": "Correct the method name (the hint lists the installed ones) or install the plugin "
    "that provides it; when the hint says the plugin failed to load, run `parindex list`.",
    "PR110": "List the document under `documents:` (with its title), or correct the key.",
    "PR111": "Make the id's year the evaluation year: correct `year:`, or rename the id "
    "(and the `ruleset:` of its facts files).",
    # -- structure
    "PR201": "Give each node its own id, as the decision numbers it.",
    "PR202": "A criterion of field `2` is numbered `2.N`, a sub-criterion of `2.3` is `2.3.N`; "
    "fields have a single number.",
    "PR203": "Put the siblings in the decision's order (1.2 after 1.1; II after I).",
    "PR204": "Correct the maxima so that the children add up to their parent, as in the "
    "decision's table; bonus and penalty children are not counted.",
    "PR205": "Check the counts the decision states against the items transcribed: an item is "
    "missing, doubled, or counted at the wrong level.",
    "PR206": "Check each item's `origin` and maximum against the decision's split (e.g. 66 "
    "assessed + 34 survey), and list every origin the ruleset uses.",
    "PR207": "Add `scoring: {method: ...}` to the leaf (a criterion without sub-criteria is a "
    "leaf).",
    "PR208": "Move the scoring keys (`scoring`, `rule`, `inputs`, ...) to the leaves: a "
    "parent's score is the sum of its children.",
    "PR209": "Use a method that fits the item's origin (survey items: `survey` or `points`; "
    "council items: `appraisal_only`), or correct `origin`.",
    "PR210": "Add the missing band, or move a bound so that the bands meet (`below: 80` and "
    "`from: 80` meet at 80).",
    "PR211": 'Make one of the two bounds exclusive, as the decision words it: "từ 80%" is '
    '`from: 80`, "dưới 80%" is `below: 80`, "trên 80%" is `above: 80`.',
    "PR212": "Correct the points or the order of the bands, or drop `direction` if the "
    "decision really scores that way.",
    "PR213": "Lower the points to the item's maximum, or correct the maximum.",
    "PR214": "Give each option, condition or allowed score a different key and label.",
    "PR215": "Correct the conditions' points so that they add up to the maximum.",
    "PR216": "Correct the ruleset's `max` or the fields' maxima (every decision we hold totals "
    "100); an excerpt declares `excerpt_of:`.",
    "PR217": "Give a band at most one lower bound (`from` or `above`) and one upper bound (`to` "
    "or `below`), with the lower below the upper; `equals` stands alone.",
    "PR218": "Sub-criteria are the last level: score the item as a whole, or split it with a "
    "`checklist`.",
    "PR219": "Give the node a maximum above zero.",
    "PR220": "Rename one of the inputs: names are unique in the whole ruleset.",
    "PR221": "Check the rule: the best outcome should give the maximum. If the decision really "
    "caps the item lower, keep it (this is a warning).",
    "PR222": "Remove `inputs`, or use a method that reads them (`formula`, `bands`).",
    "PR230": "Replace provisional content with the decision's text and `source:` when the annex "
    "is available; until then results are labelled provisional.",
    "PR231": "Copy the decision's rule text (cách chấm điểm) into `rule:`, verbatim.",
    # -- formulas
    "PR301": "Correct the formula at the position shown: balanced parentheses, an operator "
    "between two values, decimals written with a point.",
    "PR302": "Use only arithmetic, comparisons, `and`/`or`/`not`, `a if c else b`, names and "
    "registered functions; write names and operators in plain ASCII (`*`, not `×`).",
    "PR303": "Declare the name (an input of the leaf, a `parameters:` or `derived:` entry) or "
    "correct its spelling; `max` means the item's maximum and exists only in a leaf's formula.",
    "PR304": "Use a registered function (min, max, clamp, round, abs, ratio, percent, or one a "
    "plugin adds).",
    "PR305": "Call the function with the number of arguments its usage shows.",
    "PR306": "Give numbers where numbers belong and conditions where conditions belong; text "
    "is never allowed in formulas.",
    "PR307": "Split the formula into named `derived:` values.",
    "PR308": "Write powers with a whole-number exponent from 0 to 8, e.g. `x ** 2`.",
    # -- graph
    "PR401": "Break the cycle: one of the values must be computed from inputs, not from the "
    "others.",
    "PR402": "Use the input in the item's formula or bands, or remove it.",
    "PR403": "Use the derived value or remove it.",
    "PR404": "Use the parameter or remove it.",
    "PR405": "Rename one of them: inputs, parameters and derived values share one namespace, "
    "and `max` is reserved.",
    # -- facts
    "PR501": "Give each unit its own id; merge the two entries if they are the same unit.",
    "PR502": "Use the item ids of the ruleset (`parindex describe` lists them); the hint "
    "suggests the closest.",
    "PR503": "Give facts for the node's leaves (its sub-criteria), not for the node itself.",
    "PR504": "Give the kind of value the item's method reads: a number of points, an outcome's "
    "key or label, true/false, a list of conditions, or `{input: number}`.",
    "PR505": "Correct the value: counts are whole and not negative, percentages are 0 to 100, "
    "ratios 0 to 1, survey values within their scale.",
    "PR506": "Correct the score: scores are never clamped to the maximum.",
    "PR507": "Give one of the allowed scores (or a multiple of the step), as the hint lists.",
    "PR508": "Remove the `self` score: survey and council items are not self-assessed.",
    "PR509": "Give the value, or declare the item `applicable: false` with a `reason`.",
    "PR510": "Nothing to fix if the item really has no value: the ruleset scores it 0, and "
    "the explanation says so.",
    "PR511": "Name one of the item's outcomes or conditions, by key or by its exact label.",
    "PR512": "Use the input names the item declares (the hint lists them).",
    "PR513": "Score the facts with the ruleset they were written for, or correct `ruleset:`.",
    "PR514": 'Add `reason:` (the decision\'s words, e.g. "không phát sinh").',
    "PR515": "Use a unit id of the facts file; the hint suggests the closest.",
    "PR516": "Declare in the rule what a zero denominator means (`on_zero_denominator: {score: "
    "full|zero|not_applicable, reason: ...}`), as the decision says, or correct the facts.",
    "PR517": "Give the item's value: the ruleset does not allow it to be declared not applicable.",
    "PR518": 'Give the survey value for the evaluation year (`survey: {"2024": ...}`).',
    "PR519": "Score the facts with the ruleset of their year, or correct `year:`.",
    "PR520": "Correct the score or the points: scores are not negative (penalties are items "
    "of origin `penalty`).",
    "PR521": "Give the value the item's method reads (`self`/`appraisal` for assessed items, "
    "`survey` for survey items), or remove it: it would otherwise be ignored.",
    # -- workflow
    "PR601": "Attach the evidence document (tài liệu kiểm chứng): number, date, title or link.",
    "PR602": "Attach evidence, or write the explanation (giải trình) the council will read.",
    "PR603": "Give the item's score, or remove the evidence if it belongs to another item.",
    "PR604": "Nothing to fix if the explanation stands; attach the evidence when it exists.",
    "PR605": "Submissions after a deadline that locks are refused: correct `submitted` if it "
    "is wrong, otherwise the council decides.",
    "PR606": "Give `submitted: YYYY-MM-DD` so that the deadline can be checked.",
    "PR607": "Nothing to fix if the decision lets units share a rank; otherwise declare the "
    "decision's tie-breakers (`ranking.tie_breakers`).",
    "PR608": "Give the unit's missing values (or mark it not ranked with a reason).",
    "PR609": "Give the unit its `group` (e.g. its district), or rank `within: all`.",
    "PR610": "Declare `ranking.exclusion: true` (with its source) if the decision allows "
    "excluding units; otherwise evaluate the unit.",
    "PR620": "Name a field or criterion of the ruleset as the tie-breaker.",
    "PR621": 'Make the classes\' bounds meet without overlapping ("từ 80%" is `from: 80`, '
    '"dưới 80%" is `below: 80`).',
    "PR622": 'Give the deadline either `date: 2024-11-30` or a yearly `day: "30/11"`, and '
    "a day that exists.",
    "PR623": "Name the unit by `unit` (its id) or `name` (its name).",
    # -- plugins
    "PR624": "Write the unit's id (`unit:`) or its name as the facts spell it; case, spacing "
    "and Unicode form do not matter, diacritics do.",
    "PR701": "Install the plugin's package (and its dependencies) in the same environment, or "
    "uninstall it; `parindex list` shows which one.",
    "PR702": "The plugin registers the wrong kind of object for its group: update the plugin.",
    "PR703": "Install a version of the plugin written for this version of parindex-rules.",
    "PR704": "A plugin's bug: report it to the plugin's authors with the message; the other "
    "items are still checked.",
    "PR705": "Uninstall one of the two plugins, or ask their authors to choose distinct names.",
    "PR706": "The plugin must declare `api_version`: update it.",
    "PR707": "A plugin's bug (it returned something its contract does not allow): report it.",
    "PR708": "Name an installed exporter (`parindex list` shows them).",
    # -- input/output
    "PR801": "Save the facts as YAML, JSON, CSV or .xlsx (or install a reader plugin for the "
    "format).",
    "PR802": "Name the columns `unit` and `index` (and optionally name, group, ranked, "
    "reason), once each.",
    "PR803": "Correct the line: one value per column, indices as numbers (quote a decimal "
    'comma: "89,95"), ranked as true/false.',
    "PR820": "Keep the template's layout: the header row (STT, Điểm tự đánh giá, ...) and the "
    "unit's id; in CSV the `unit` and `item` columns.",
    "PR821": "Remove the column or detail, or rename it as the template does (nothing is "
    "ignored silently).",
    "PR822": "Use the item ids (and input or condition names) of the ruleset; the hint "
    "suggests the closest.",
    "PR823": "Keep one value: the same detail or row is given twice with different contents.",
    "PR824": "Correct the cell as the message says (a number, true/false, a date).",
    "PR825": "Install the Excel support: `pip install 'parindex-rules[excel]'`.",
    "PR826": "Save the file again as an Excel workbook (.xlsx), or export it as CSV.",
    "PR827": "Choose a new folder for the report, or remove the existing one (a previous "
    "report is replaced; anything else is never overwritten).",
    "PR828": "The unit is not evaluated or its result is withheld: there is nothing to "
    "explain; check its facts and `evaluated`.",
    "PR829": "Install the batch support: `pip install 'parindex-rules[batch]'` (it brings numpy).",
    "PR851": "Lay the file out by hand (the value named would change); please report the "
    "file, since fmt should keep every value.",
    "PR860": "Check the file: it must be a Word (.docx), Excel (.xlsx) or CSV table.",
    "PR861": "Give the annex table its header row: STT, the item column and Điểm tối đa "
    "(`--table N` chooses among several tables).",
    "PR862": "Correct the cell: STT as the decision numbers it (1, 1.2, II), maxima as "
    'numbers ("14,5").',
    "PR863": "Check the table's maxima against the decision; for an excerpt use `--excerpt`.",
    "PR864": "Read the rule in the written ruleset and choose its method by hand (it was kept "
    "verbatim as a `points` item).",
    "PR865": "Put each row after the item it belongs to, and give each item its own STT.",
    "PR866": "Read the message and settle it by hand in the written ruleset (or give the "
    "option it names).",
    "PR867": "Install the annex support: `pip install 'parindex-rules[annex]'`.",
    "PR890": "Check that the folder exists and can be written and that the disk is not full; "
    "the previous file was left as it was.",
    "PR891": "Free some space on the disk the output goes to, or write it to a file with "
    "`--out FILE`. (A pipe closed early, as by `| head`, is not an error.)",
    # -- limits
    "PR901": "Split the file; a ruleset above 2 MiB or facts above 64 MiB are not rule books.",
    "PR902": "Split the file into smaller ones.",
    "PR903": "Flatten the structure: no rule book nests this deep.",
    "PR904": "Split the ruleset; no decision has this many items.",
    "PR905": "Split the facts file (by year or by district).",
    "PR906": "Check the inputs (a value far too large) and the formula (a power of a power).",
}
