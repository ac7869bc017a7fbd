"""Static HTML audit reports: a ranking page and one page per unit, readable offline.

Each page is one self-contained UTF-8 file (``lang="vi"``, styles inline, no script, no external
asset) so that it opens from a USB stick or an e-mail attachment. A unit's page shows its index,
the points it lost (largest first), where the appraisal changed its own scores, and the full
explanation tree, collapsible with ``<details>``: rule text, inputs and where each came from,
the band or outcome matched, caps, why 0, evidence, and the rule's place in the ruleset.
Everything shown is escaped. Output is deterministic: the same results give the same bytes.
"""

from __future__ import annotations

import contextlib
import html
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from parindex_rules.codes import Code, Severity, register_codes
from parindex_rules.diagnostics import Diagnostic, DiagnosticError
from parindex_rules.evaluate.explanation import Explanation
from parindex_rules.evaluate.result import UnitResult
from parindex_rules.numbers import Number, format_exact, format_rounded
from parindex_rules.plugins import API_VERSION
from parindex_rules.report.notes import (
    ORIGIN_WORDS,
    STATUS_WORDS,
    differs,
    display_order,
    ensure_ranked,
    tie_notes,
    unit_status,
)
from parindex_rules.report.why import losses, usable
from parindex_rules.sheets.template import provisional_words

if TYPE_CHECKING:
    from parindex_rules.api import CohortResult, Ruleset
    from parindex_rules.rank.ranking import RankTable

register_codes(
    Code(
        "PR827",
        "report-target",
        Severity.ERROR,
        "The report directory exists and is not a parindex report (nothing is overwritten).",
    ),
)

#: A file in every report directory, so that a rerun may replace it and nothing else.
MARKER = ".parindex-report"
STAGE_WORDS = {
    "self": "tự đánh giá",
    "appraised": "sau thẩm định (các mục đơn vị tự đánh giá)",
    "final": "kết quả cuối cùng",
}

CSS = """
body{font-family:system-ui,"Segoe UI","Noto Sans","DejaVu Sans",Arial,sans-serif;
margin:1.5rem auto;max-width:72rem;padding:0 1rem;color:#1b1b1b;line-height:1.45}
h1{font-size:1.5rem;margin:.2rem 0}
h2{font-size:1.15rem;margin-top:1.6rem;border-bottom:1px solid #ccc}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{border:1px solid #c8c8c8;padding:.25rem .45rem;vertical-align:top;text-align:left}
th{background:#d9e1f2}td.num,th.num{text-align:right;white-space:nowrap}
.banner{background:#ffc7ce;color:#9c0006;font-weight:bold;padding:.6rem .8rem;
border:2px solid #9c0006;margin:.5rem 0}
.figures{display:flex;gap:2rem;flex-wrap:wrap;margin:.6rem 0}.figures div{min-width:9rem}
.figures .big{font-size:1.6rem;font-weight:bold}
.diff,.diff>summary{background:#fce4d6}.lost{color:#9c0006}
details{margin:.15rem 0 .15rem 1.1rem}details>summary{cursor:pointer}
details.field>summary{font-weight:bold}
.id{font-weight:bold;margin-right:.3rem}.tag{font-size:.8rem;background:#eee;border-radius:.3rem;
padding:0 .3rem;margin-left:.3rem}.tag.warn{background:#ffc7ce;color:#9c0006}
dl.why{margin:.2rem 0 .4rem 1rem;font-size:.95rem}dl.why dt{font-weight:bold;float:left;clear:left;
margin-right:.4rem}dl.why dd{margin:0 0 .15rem 0}
.muted{color:#555;font-size:.9rem}ul{margin:.1rem 0}
.diagnostics li{font-family:monospace}
@media print{details{display:block}}
"""


def esc(value: object) -> str:
    """Escape text for HTML content and attribute values (quotes included)."""
    return html.escape("" if value is None else str(value), quote=True)


def page(title: str, body: str) -> str:
    return (
        "<!DOCTYPE html>\n"
        '<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="parindex-rules">\n'
        f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        f"{body}\n</body>\n</html>\n"
    )


def banner(ruleset: Ruleset) -> str:
    words = provisional_words(ruleset)
    return f'<div class="banner" role="alert">{esc(words)}</div>\n' if words else ""


def _figures(result: UnitResult) -> str:
    cells = [
        ("Chỉ số CCHC", f"{result.rounded(result.index) or '—'}%", "index"),
        (
            "Điểm đạt được",
            f"{result.rounded(result.score) or '—'} / "
            f"{'—' if result.max is None else format_exact(result.max)}",
            "score",
        ),
    ]
    if result.rank is not None:
        group = f" (nhóm {result.group})" if result.group else ""
        cells.append(("Xếp hạng", f"{result.rank}{group}", "rank"))
    if result.rank_class:
        cells.append(("Xếp loại", result.rank_class, "class"))
    inner = "".join(
        f'<div class="{key}"><div class="muted">{esc(label)}</div>'
        f'<div class="big">{esc(value)}</div></div>'
        for label, value, key in cells
    )
    return f'<div class="figures">{inner}</div>\n'


def _diagnostics(diagnostics: Iterable[Diagnostic]) -> str:
    items = [f"<li>{esc(d.format())}</li>" for d in diagnostics]
    if not items:
        return ""
    return f'<h2>Thông báo</h2>\n<ul class="diagnostics">{"".join(items)}</ul>\n'


def _losses_table(ruleset: Ruleset, result: UnitResult, prefix: str) -> str:
    rows = losses(ruleset, result)
    if not rows:
        return "<h2>Điểm bị mất</h2>\n<p>Không mất điểm nào: mọi mục đạt điểm tối đa.</p>\n"
    body = "".join(
        f'<tr><td><a href="#{esc(prefix)}n-{esc(x.node)}">{esc(x.node)}</a></td>'
        f"<td>{esc(x.name)}</td>"
        f'<td class="num">{esc(format_exact(x.max))}</td>'
        f'<td class="num">{esc(result.rounded(x.score))}</td>'
        f'<td class="num lost">{esc(result.rounded(x.lost))}</td>'
        f'<td class="num">{esc(result.rounded(x.index_points))}</td><td>{esc(x.why)}</td></tr>'
        for x in rows
    )
    return (
        '<h2>Điểm bị mất</h2>\n<p class="muted">Điểm tối đa trừ điểm đạt được, theo từng mục, '
        "mục mất nhiều nhất trước; cột «điểm chỉ số» là phần chỉ số (%) tương ứng.</p>\n"
        '<table><thead><tr><th>STT</th><th>Tiêu chí</th><th class="num">Tối đa</th>'
        '<th class="num">Đạt được</th><th class="num">Mất</th>'
        '<th class="num">Điểm chỉ số</th><th>Vì sao</th></tr></thead>'
        f"<tbody>{body}</tbody></table>\n"
    )


def _differences_table(
    ruleset: Ruleset, result: UnitResult, self_result: UnitResult | None, prefix: str
) -> str:
    if self_result is None or result.stage == "self":
        return ""
    rows = []
    for node_id in ruleset.compiled.leaf_order:
        final, own = result.nodes[node_id], self_result.nodes.get(node_id)
        if not differs(own, final):
            continue
        assert own is not None
        evidence = "<br>".join(esc(e) for e in final.explanation.evidence) or "—"
        source = next((i.source for i in final.explanation.inputs if "appraisal" in i.source), "")
        rows.append(
            f'<tr class="diff"><td><a href="#{esc(prefix)}n-{esc(node_id)}">{esc(node_id)}</a></td>'
            f"<td>{esc(final.name)}</td>"
            f'<td class="num">{esc(result.rounded(own.score))}</td>'
            f'<td class="num">{esc(result.rounded(final.score))}</td>'
            f"<td>{esc(source)}</td><td>{evidence}</td></tr>"
        )
    if not rows:
        return (
            "<h2>Tự đánh giá và thẩm định</h2>\n<p>Điểm thẩm định trùng với điểm tự đánh giá ở "
            "mọi mục.</p>\n"
        )
    return (
        '<h2>Tự đánh giá và thẩm định</h2>\n<p class="muted">Các mục Hội đồng thẩm định '
        "chấm khác điểm tự đánh giá.</p>\n<table><thead><tr><th>STT</th><th>Tiêu chí</th>"
        '<th class="num">Tự đánh giá</th><th class="num">Thẩm định</th><th>Nguồn</th>'
        f"<th>Tài liệu kiểm chứng</th></tr></thead><tbody>{''.join(rows)}</tbody></table>\n"
    )


def _tags(explanation: Explanation) -> str:
    tags = []
    if explanation.method:
        tags.append(("", explanation.method))
    if explanation.origin in ORIGIN_WORDS:
        tags.append(("", ORIGIN_WORDS[explanation.origin]))
    if explanation.status != "scored":
        tags.append(("warn", STATUS_WORDS.get(explanation.status, explanation.status)))
    if explanation.provisional:
        tags.append(("warn", "tạm thời"))
    return "".join(f'<span class="tag {cls}">{esc(text)}</span>' for cls, text in tags)


def explanation_tree(
    explanation: Explanation,
    self_result: UnitResult | None = None,
    *,
    open_depth: int = 2,
    depth: int = 0,
    prefix: str = "",
) -> str:
    """Nested ``<details>``: the node's verdict in its summary, the working inside."""
    node = explanation.node
    own = self_result.nodes.get(node) if self_result is not None else None
    changed = (
        own is not None
        and not explanation.children
        and own.score is not None
        and explanation.score is not None
        and own.score != explanation.score
    )
    classes = [explanation.level] + (["diff"] if changed else [])
    label = "Tổng" if explanation.level == "total" else node
    index = f" ({esc(explanation.index_text())}%)" if explanation.index is not None else ""
    summary = (
        f'<span class="id">{esc(label)}</span>{esc(explanation.name)} — '
        f'<span class="score">{esc(explanation.score_text())} / '
        f"{esc(format_exact(explanation.max))}</span>{index}{_tags(explanation)}"
    )
    rows: list[tuple[str, str]] = []
    if explanation.rule:
        rows.append(("Cách chấm", esc(explanation.rule)))
    if explanation.formula:
        rows.append(("Công thức", f"<code>{esc(explanation.formula)}</code>"))
    if explanation.inputs:
        items = "".join(
            f'<li><code>{esc(i.name)}</code> = {esc(i.value)} <span class="muted">← '
            f"{esc(i.source)}</span></li>"
            for i in explanation.inputs
        )
        rows.append(("Số liệu", f"<ul>{items}</ul>"))
    if changed and own is not None and own.score is not None:
        rows.append(
            (
                "Tự đánh giá → thẩm định",
                f"{esc(format_exact(own.score))} → {esc(explanation.score_text())}",
            )
        )
    if explanation.matched:
        rows.append(("Mức đạt", esc(explanation.matched)))
    for step in explanation.steps:
        rows.append(("Tính", esc(step)))
    for cap in explanation.caps:
        rows.append(("Giới hạn", esc(cap)))
    if explanation.zero_reason and (explanation.score is None or explanation.score == 0):
        rows.append(("Vì sao 0", esc(explanation.zero_reason)))
    for note in explanation.notes:
        rows.append(("Ghi chú", esc(note)))
    if explanation.evidence:
        items = "".join(f"<li>{esc(e)}</li>" for e in explanation.evidence)
        rows.append(("Tài liệu kiểm chứng", f"<ul>{items}</ul>"))
    rows.append(
        (
            "Nguồn",
            f'<span class="muted">{esc(explanation.location)} · {esc(explanation.provenance)}'
            "</span>",
        )
    )
    details = "".join(f"<dt>{esc(k)}:</dt><dd>{v}</dd>" for k, v in rows)
    children = "".join(
        explanation_tree(c, self_result, open_depth=open_depth, depth=depth + 1, prefix=prefix)
        for c in explanation.children
    )
    opened = " open" if depth < open_depth else ""
    return (
        f'<details id="{esc(prefix)}n-{esc(node)}" class="{esc(" ".join(classes))}"{opened}>'
        f'<summary>{summary}</summary><dl class="why">{details}</dl>{children}</details>\n'
    )


def unit_body(
    ruleset: Ruleset,
    result: UnitResult,
    self_result: UnitResult | None = None,
    *,
    item: str = "total",
    back: str | None = None,
    prefix: str = "",
) -> str:
    """The content of a unit's page (without the provisional banner)."""
    parts = []
    if back:
        parts.append(f'<p><a href="{esc(back)}">← Bảng xếp hạng</a></p>')
    parts.append(f"<h1>{esc(result.name)}</h1>\n")
    parts.append(
        f'<p class="muted">Mã đơn vị {esc(result.unit)} · {esc(ruleset.title)} · bộ chỉ số '
        f"{esc(ruleset.id)} · điểm {esc(STAGE_WORDS.get(result.stage, result.stage))}</p>\n"
    )
    status = unit_status(result)
    if status:
        parts.append(f"<p><strong>{esc(status)}</strong></p>\n")
    if result.evaluated and result.total is not None:
        parts.append(_figures(result))
    parts.append(_diagnostics(result.diagnostics))
    if result.evaluated and result.total is not None:
        try:
            usable(result)
            parts.append(_losses_table(ruleset, result, prefix))
        except DiagnosticError:
            parts.append("<h2>Điểm bị mất</h2>\n<p>Chưa tính được: số liệu có lỗi.</p>\n")
        parts.append(_differences_table(ruleset, result, self_result, prefix))
        heading = "Giải trình chi tiết" + ("" if item == "total" else f" — mục {item}")
        parts.append(
            f'<h2>{esc(heading)}</h2>\n<p class="muted">Bấm vào một dòng để mở hoặc thu gọn.</p>\n'
        )
        parts.append(explanation_tree(result.explain(item), self_result, prefix=prefix))
    return "".join(parts)


def unit_page(
    ruleset: Ruleset,
    result: UnitResult,
    self_result: UnitResult | None = None,
    *,
    item: str = "total",
    back: str | None = None,
) -> str:
    """One unit's audit page (the whole tree, or the subtree of `item`)."""
    body = banner(ruleset) + unit_body(ruleset, result, self_result, item=item, back=back)
    return page(f"{result.name} — {ruleset.id}", body)


def ranking_table(
    cohort: CohortResult, links: Mapping[str, str], table: RankTable | None = None
) -> str:
    ties = tie_notes(table)
    rows = []
    for result in display_order(cohort, table):
        href = links.get(result.unit)
        name = f'<a href="{esc(href)}">{esc(result.name)}</a>' if href else esc(result.name)
        rows.append(
            f'<tr><td class="num">{esc(result.rank if result.rank is not None else "")}</td>'
            f"<td>{esc(result.unit)}</td><td>{name}</td><td>{esc(result.group or '')}</td>"
            f'<td class="num">{esc(result.rounded(result.score) or "—")}</td>'
            f'<td class="num">{esc("—" if result.max is None else format_exact(result.max))}</td>'
            f'<td class="num">{esc(result.rounded(result.index) or "—")}</td>'
            f"<td>{esc(result.rank_class or '')}</td>"
            f"<td>{esc(unit_status(result, ties.get(result.unit)))}</td></tr>"
        )
    return (
        '<table><thead><tr><th class="num">Hạng</th><th>Mã đơn vị</th><th>Tên đơn vị</th>'
        '<th>Nhóm</th><th class="num">Điểm đạt được</th><th class="num">Điểm tối đa</th>'
        '<th class="num">Chỉ số CCHC (%)</th><th>Xếp loại</th><th>Ghi chú</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>\n"
    )


def group_table(ruleset: Ruleset, table: RankTable | None) -> str:
    """Per ranking group: units ranked, and the mean, median, lowest and highest index."""
    if table is None or not table.groups:
        return ""
    places, mode = ruleset.document.rounding.places, ruleset.document.rounding.mode

    def shown(value: Number | None) -> str:
        return "—" if value is None else format_rounded(value, places, mode)

    rows = "".join(
        f"<tr><td>{esc('tất cả' if name == 'all' else name)}</td>"
        f'<td class="num">{esc(stats.count)}</td>'
        + "".join(
            f'<td class="num">{esc(shown(getattr(stats.index, k)))}</td>'
            for k in ("mean", "median", "min", "max")
        )
        + "</tr>"
        for name, stats in sorted(table.groups.items())
    )
    return (
        "<h2>Thống kê theo nhóm</h2>\n<table><thead><tr><th>Nhóm</th>"
        '<th class="num">Số đơn vị xếp hạng</th><th class="num">Trung bình</th>'
        '<th class="num">Trung vị</th><th class="num">Thấp nhất</th>'
        f'<th class="num">Cao nhất</th></tr></thead><tbody>{rows}</tbody></table>\n'
    )


def index_page(
    ruleset: Ruleset,
    cohort: CohortResult,
    links: Mapping[str, str],
    table: RankTable | None = None,
) -> str:
    doc = ruleset.document
    decision = doc.decision
    body = [
        banner(ruleset),
        f"<h1>{esc(ruleset.title)}</h1>\n",
        f'<p class="muted">Bộ chỉ số {esc(ruleset.id)} · Quyết định {esc(decision.number)}'
        + (f" của {esc(decision.issuer)}" if decision.issuer else "")
        + f" · năm đánh giá {esc(doc.year)} · điểm "
        f"{esc(STAGE_WORDS.get(cohort.stage, cohort.stage))} · {len(cohort.units)} đơn vị</p>\n",
        "<h2>Bảng xếp hạng</h2>\n",
        ranking_table(cohort, links, table),
        group_table(ruleset, table),
        _diagnostics([*cohort.diagnostics, *(table.diagnostics if table else [])]),
    ]
    return page(f"Xếp hạng — {ruleset.id}", "".join(body))


def _slug(unit_id: str, taken: set[str]) -> str:
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", unit_id).strip("._") or "don-vi"
    name, n = base, 2
    while name.casefold() in taken:
        name, n = f"{base}~{n}", n + 1
    taken.add(name.casefold())
    return name


def report_files(
    ruleset: Ruleset,
    cohort: CohortResult,
    self_cohort: CohortResult | None = None,
    table: RankTable | None = None,
) -> dict[str, str]:
    """Every file of the report directory: relative path → content."""
    taken: set[str] = set()
    pages = {u.unit: f"units/{_slug(u.unit, taken)}.html" for u in cohort.units}
    selves = {u.unit: u for u in self_cohort.units} if self_cohort is not None else {}
    files = {"index.html": index_page(ruleset, cohort, pages, table)}
    for result in cohort.units:
        files[pages[result.unit]] = unit_page(
            ruleset, result, selves.get(result.unit), back="../index.html"
        )
    files[MARKER] = f"parindex-rules audit report of {ruleset.id}\n"
    return files


def _target_problem(target: Path, why: str) -> DiagnosticError:
    return DiagnosticError(
        [
            Diagnostic.make(
                "PR827",
                f"{target} {why}; nothing was written",
                file=str(target),
                hint="choose a new directory, or remove it",
            )
        ]
    )


def write_report(target: Path, files: Mapping[str, str]) -> None:
    """Write the report directory whole or not at all.

    Files are written to a new directory beside `target`, then renamed into place; a previous
    report there (it has the marker file) is replaced, any other existing path is refused.
    """
    target = Path(target)
    if target.exists() or target.is_symlink():
        if not target.is_dir() or target.is_symlink():
            raise _target_problem(target, "exists and is not a directory")
        if any(target.iterdir()) and not (target / MARKER).is_file():
            raise _target_problem(target, "exists and is not a parindex report")
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".new", dir=parent))
    old: Path | None = None
    try:
        for relative, text in sorted(files.items()):
            path = building / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("wb") as handle:
                handle.write(text.encode("utf-8"))
                handle.flush()
                os.fsync(handle.fileno())
        building.chmod(0o755)
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=parent))
            old.rmdir()
            target.rename(old)
        try:
            building.rename(target)
        except BaseException:
            if old is not None:
                old.rename(target)
                old = None
            raise
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    if old is not None:
        with contextlib.suppress(OSError):
            shutil.rmtree(old)


class HtmlExporter:
    """The `html` exporter: one self-contained page, the ranking then every unit."""

    api_version: ClassVar[int] = API_VERSION
    suffix: ClassVar[str] = ".html"
    binary: ClassVar[bool] = False
    summary: ClassVar[str] = "static HTML audit page (ranking and every unit's explanation)"

    def export(self, ruleset: Ruleset, cohort: CohortResult) -> str:
        table = ensure_ranked(ruleset, cohort)
        self_cohort = None
        if cohort.stage != "self" and cohort.facts is not None:
            self_cohort = ruleset.evaluate_cohort(cohort.facts, stage="self")
        selves = {u.unit: u for u in self_cohort.units} if self_cohort is not None else {}
        links = {u.unit: f"#u-{i}" for i, u in enumerate(cohort.units)}
        sections = "".join(
            f'<section id="u-{i}">'
            + unit_body(ruleset, result, selves.get(result.unit), prefix=f"u-{i}-")
            + "</section>\n"
            for i, result in enumerate(cohort.units)
        )
        head = index_page(ruleset, cohort, links, table)
        return head.replace("\n</body>", "\n" + sections + "</body>", 1)
