"""A ruleset as a readable document, in the layout of the decision's annex (``parindex docs``).

One table, as the annexes print it: STT · Lĩnh vực/Tiêu chí/Tiêu chí thành phần · Điểm tối đa ·
Cách chấm điểm · Hình thức đánh giá (origin) · Nguồn (provenance) · Ghi chú; numbers with the
decimal comma the decisions use. What no source states is marked on its row, and a provisional
ruleset says so before anything else (a banner in HTML). The output depends only on the
ruleset: no dates, no paths, so the same ruleset always gives the same bytes.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from parindex_rules.compile.compiled import ROOT_ID, CompiledNode
from parindex_rules.numbers import format_exact

if TYPE_CHECKING:
    from parindex_rules.api import Ruleset

HEADERS = (
    "STT",
    "Lĩnh vực/Tiêu chí/Tiêu chí thành phần",
    "Điểm tối đa",
    "Cách chấm điểm",
    "Hình thức đánh giá",
    "Nguồn",
    "Ghi chú",
)

ORIGIN_WORDS = {
    "assessed": "Tự đánh giá, thẩm định (assessed)",
    "survey": "Điều tra xã hội học (survey)",
    "appraisal_only": "Hội đồng thẩm định chấm (appraisal_only)",
    "bonus": "Điểm thưởng (bonus)",
    "penalty": "Điểm trừ (penalty)",
    "mixed": "Nhiều hình thức (mixed)",
}

LEVEL_WORDS = {"so": "sở, ban, ngành", "huyen": "cấp huyện", "xa": "cấp xã"}

PROVISIONAL_MARK = "⚠ Tạm thời"


def vietnamese_date(text: str) -> str:
    """2023-08-11 → 11/08/2023, as decisions write dates; anything else as it is."""
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
    return f"{match.group(3)}/{match.group(2)}/{match.group(1)}" if match else text


def points(value: Decimal) -> str:
    """A maximum as the decisions print it: "14,5"."""
    return format_exact(value).replace(".", ",")


@dataclass(frozen=True)
class Row:
    stt: str
    level: str
    name: str
    max: str
    rule: str
    origin: str
    provenance: str
    notes: str
    provisional: bool


def _rule_text(node: CompiledNode) -> str:
    if node.rule:
        return node.rule.strip()
    if node.method is not None:
        return node.method.describe()
    return ""


def _provenance(node: CompiledNode) -> str:
    if node.provenance.provisional is not None:
        return f"{PROVISIONAL_MARK}: {node.provenance.provisional}"
    source = node.provenance.source
    if source is None:  # pragma: no cover - the compiler requires provenance
        return ""
    parts = [source.document]
    if source.part:
        parts.append(source.part)
    if source.row:
        parts.append(f"dòng {source.row}")
    if source.line:
        parts.append(f"dòng văn bản {source.line}")
    return " · ".join(parts)


def _notes(node: CompiledNode) -> str:
    parts = []
    if node.notes:
        parts.append(node.notes.strip())
    if node.basis:
        parts.append(f"Căn cứ chấm: {node.basis.strip()}")
    if node.evidence_documents:
        parts.append(f"Tài liệu kiểm chứng: {node.evidence_documents.strip()}")
    if node.excerpt_of is not None:
        parts.append(f"Trích: trong Quyết định {points(node.excerpt_of)} điểm")
    if node.replaces:
        parts.append(f"Thay cho {node.replaces}")
    return "\n".join(parts)


def rows(ruleset: Ruleset) -> list[Row]:
    out = []
    for node in ruleset.nodes.values():
        if node.id == ROOT_ID:
            continue
        out.append(
            Row(
                stt=node.id,
                level=node.level,
                name=node.name,
                max=points(node.max),
                rule=_rule_text(node),
                origin=ORIGIN_WORDS.get(node.origin_label, node.origin_label),
                provenance=_provenance(node),
                notes=_notes(node),
                provisional=node.provenance.is_provisional,
            )
        )
    return out


def _heading_facts(ruleset: Ruleset) -> list[str]:
    doc = ruleset.document
    data = ruleset.describe()
    decision = doc.decision.number
    if doc.decision.date:
        decision += f" ngày {vietnamese_date(str(doc.decision.date))}"
    if doc.decision.issuer:
        decision += f" của {doc.decision.issuer}"
    split = "; ".join(
        f"{ORIGIN_WORDS.get(k, k)}: {v.replace('.', ',')}"
        for k, v in data["points_by_origin"].items()
    )
    total = points(doc.max)
    if doc.excerpt_of is not None:
        total += f" (trích; trong Quyết định {points(doc.excerpt_of)})"
    facts = [
        f"Bộ chỉ số: {ruleset.id}",
        f"Quyết định: {decision}",
        f"Đối tượng: {LEVEL_WORDS[doc.level.value]}; năm đánh giá {doc.year}",
        f"Tổng điểm tối đa: {total}",
        f"Cấu trúc: {data['fields']} lĩnh vực, {data['criteria']} tiêu chí, "
        f"{data['subcriteria']} tiêu chí thành phần",
        f"Điểm theo hình thức đánh giá: {split}",
    ]
    prov = data["provenance"]
    facts.append(
        f"Nguồn: {prov['sourced_nodes']} mục có nguồn, {prov['provisional_nodes']} mục tạm "
        f"thời ({prov['provisional_points'].replace('.', ',')} điểm); "
        f"{prov['provisional_readings']} cách đọc tạm trong quy tắc chấm, "
        f"{prov['provisional_settings']} thiết lập tạm thời (chính sách, xếp hạng, quy trình…)"
    )
    return facts


def _banner(ruleset: Ruleset) -> str | None:
    if not ruleset.provisional:
        return None
    return (
        f"TẠM THỜI (PROVISIONAL): bộ chỉ số {ruleset.id} có nội dung không nguồn nào nêu "
        f"(các dòng đánh dấu {PROVISIONAL_MARK}). Đây không phải văn bản chính thức."
    )


# -- Markdown


def _md_cell(text: str) -> str:
    """One table cell: pipes and markup escaped (a name is text, never HTML), lines kept."""
    text = text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
    return "<br>".join(line.strip() for line in text.strip().splitlines())


def render_markdown(ruleset: Ruleset) -> str:
    banner = _banner(ruleset)  # first, as a quote above the title: visible, still Markdown
    lines = [f"> **{banner}**", ""] if banner else []
    lines += [f"# {_md_cell(ruleset.title)}", ""]
    lines += [f"- {_md_cell(fact)}" for fact in _heading_facts(ruleset)]
    notes = ruleset.document.provenance.notes
    if notes:
        lines += ["", "Ghi chú về nguồn:", ""]
        lines += [f"- {_md_cell(note)}" for note in notes]
    lines += ["", "| " + " | ".join(HEADERS) + " |", "|---|---|--:|---|---|---|---|"]
    for row in rows(ruleset):
        stt, name, maximum = row.stt, _md_cell(row.name), row.max
        if row.level == "field":
            stt, name, maximum = f"**{stt}**", f"**{name}**", f"**{maximum}**"
        provenance = _md_cell(row.provenance)
        if row.provisional:
            provenance = f"**{provenance}**"
        cells = [stt, name, maximum, _md_cell(row.rule), row.origin, provenance]
        cells.append(_md_cell(row.notes))
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "## Văn bản nguồn", ""]
    for key, ref in sorted(ruleset.document.documents.items()):
        extra = f" ({ref.number})" if ref.number and ref.number not in ref.title else ""
        lines.append(f"- `{key}`: {_md_cell(ref.title)}{_md_cell(extra)}")
    return "\n".join(lines) + "\n"


# -- HTML

_CSS = """
body { font-family: "Times New Roman", "Noto Serif", serif; margin: 2em; color: #111; }
h1 { font-size: 1.4em; text-align: center; }
.provisional-banner { border: 3px solid #b00; background: #fee; color: #700; padding: .8em;
  font-weight: bold; margin: 1em 0; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #444; padding: .3em .5em; vertical-align: top; }
th { background: #eee; }
td.max { text-align: right; white-space: nowrap; }
tr.field td { font-weight: bold; background: #f6f6f6; }
tr.provisional td.provenance { color: #900; font-weight: bold; }
"""


def _h(text: str) -> str:
    return "<br>".join(html.escape(line.strip()) for line in text.strip().splitlines())


def render_html(ruleset: Ruleset) -> str:
    out = [
        "<!DOCTYPE html>",
        '<html lang="vi">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{html.escape(ruleset.title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
    ]
    banner = _banner(ruleset)  # the first thing on the page, as in every output
    if banner:
        out.append(f'<div class="provisional-banner" role="alert">{html.escape(banner)}</div>')
    out.append(f"<h1>{html.escape(ruleset.title)}</h1>")
    out.append("<ul>")
    out += [f"<li>{_h(fact)}</li>" for fact in _heading_facts(ruleset)]
    out.append("</ul>")
    notes = ruleset.document.provenance.notes
    if notes:
        out.append("<p>Ghi chú về nguồn:</p>")
        out.append("<ul>" + "".join(f"<li>{_h(n)}</li>" for n in notes) + "</ul>")
    out.append("<table>")
    out.append(
        "<thead><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in HEADERS) + "</tr></thead>"
    )
    out.append("<tbody>")
    for row in rows(ruleset):
        classes = [row.level] + (["provisional"] if row.provisional else [])
        out.append(
            f'<tr class="{" ".join(classes)}" id="node-{html.escape(row.stt)}">'
            f"<td>{html.escape(row.stt)}</td>"
            f"<td>{_h(row.name)}</td>"
            f'<td class="max">{html.escape(row.max)}</td>'
            f"<td>{_h(row.rule)}</td>"
            f"<td>{html.escape(row.origin)}</td>"
            f'<td class="provenance">{_h(row.provenance)}</td>'
            f"<td>{_h(row.notes)}</td>"
            "</tr>"
        )
    out.append("</tbody>")
    out.append("</table>")
    out.append("<h2>Văn bản nguồn</h2>")
    out.append("<ul>")
    for key, ref in sorted(ruleset.document.documents.items()):
        extra = f" ({ref.number})" if ref.number and ref.number not in ref.title else ""
        out.append(f"<li><code>{html.escape(key)}</code>: {_h(ref.title + extra)}</li>")
    out.append("</ul>")
    out.append("</body>")
    out.append("</html>")
    return "\n".join(out) + "\n"
