"""Annex tables built by the tests from the real rows of rulebooks.md §5 (Cà Mau 1880/QĐ-UBND,
2013, Phụ lục), in the three file kinds an annex reaches a province as."""

from __future__ import annotations

import csv
from pathlib import Path

#: (STT, item, maximum, rule lines) exactly as rulebooks.md §5 restates the annex.
CAMAU_ROWS: list[tuple[str, str, str, list[str]]] = [
    ("1", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC", "20", []),
    ("1.1", "Kế hoạch CCHC năm", "5", []),
    (
        "1.1.1",
        "Ban hành kế hoạch CCHC năm",
        "1",
        ["Ban hành kịp thời: 1", "Ban hành không kịp thời: 0,5", "Không ban hành: 0"],
    ),
    (
        "1.1.2",
        "Xác định đầy đủ các nhiệm vụ CCHC trên các lĩnh vực theo kế hoạch năm của UBND tỉnh "
        "và bố trí kinh phí thực hiện",
        "1",
        [
            "Xác định đầy đủ nhiệm vụ và có bố trí kinh phí: 1",
            "Không xác định đầy đủ nhiệm vụ hoặc không bố trí kinh phí: 0",
        ],
    ),
    (
        "1.1.3",
        "Các kết quả phải đạt được xác định rõ ràng, cụ thể và định rõ trách nhiệm triển khai "
        "của phòng, ban, đơn vị trực thuộc",
        "1",
        ["Đạt yêu cầu: 1", "Không đạt yêu cầu: 0"],
    ),
    (
        "1.1.4",
        "Mức độ thực hiện kế hoạch CCHC",
        "2",
        [
            "Thực hiện trên 90% kế hoạch: 2",
            "Thực hiện từ 70% - 90% kế hoạch: 1",
            "Dưới 70% kế hoạch: 0",
        ],
    ),
    ("1.2", "Báo cáo CCHC", "2", []),
    (
        "1.2.1",
        "Tất cả báo cáo được gửi đúng thời gian quy định (báo cáo quí I, quí III, báo cáo 6 "
        "tháng và báo cáo năm)",
        "1",
        [
            "Đủ số lượng và đúng thời gian quy định: 1",
            "Không đủ số lượng báo cáo hoặc không đúng thời gian quy định: 0",
        ],
    ),
    (
        "1.2.2",
        "Tất cả báo cáo có đầy đủ nội dung theo hướng dẫn",
        "1",
        ["Đạt yêu cầu: 1", "Không đạt yêu cầu: 0"],
    ),
]

#: The Cà Mau annex's own header: two rows, "Điểm đánh giá" over three score columns.
CAMAU_HEADER = [
    [
        "STT",
        "Lĩnh vực/Tiêu chí/Tiêu chí thành phần",
        "Điểm tối đa",
        "Điểm đánh giá",
        "Điểm đánh giá",
        "Điểm đánh giá",
        "Điểm đạt được",
        "Chỉ số",
        "Ghi chú",
    ],
    [
        "STT",
        "Lĩnh vực/Tiêu chí/Tiêu chí thành phần",
        "Điểm tối đa",
        "Điều tra XHH",
        "Tự đánh giá",
        "SNV đánh giá",
        "Điểm đạt được",
        "Chỉ số",
        "Ghi chú",
    ],
]


def split_label(line: str) -> tuple[str, str]:
    label, _, points = line.rpartition(": ")
    return label, points


def camau_sub_rows() -> list[list[str]]:
    """The Cà Mau layout: each outcome a row without STT, its points in the maximum column."""
    rows = []
    for stt, name, maximum, rule in CAMAU_ROWS:
        rows.append([stt, name, maximum, "", "", "", "", "", ""])
        for line in rule:
            label, points = split_label(line)
            rows.append(["", label, points, "", "", "", "", "", ""])
    return rows


def write_docx(path: Path, header: list[list[str]], rows: list[list[str]], *, merge: bool) -> None:
    """A Word annex. With `merge`, header cells that repeat are merged as Word merges them:
    across ("Điểm đánh giá" over three columns) and down (a header over both header rows)."""
    import docx

    document = docx.Document()
    document.add_paragraph("PHỤ LỤC — Bộ chỉ số (trích)")
    table = document.add_table(rows=len(header) + len(rows), cols=len(header[0]))
    merged_away: set[tuple[int, int]] = set()
    spans: list[tuple[tuple[int, int], tuple[int, int]]] = []
    if merge:
        for r, row in enumerate(header):
            c = 0
            while c < len(row):
                end = c
                while end + 1 < len(row) and row[end + 1] == row[c]:
                    end += 1
                if end > c and (r, c) not in merged_away:
                    spans.append(((r, c), (r, end)))
                    merged_away.update((r, k) for k in range(c + 1, end + 1))
                c = end + 1
        for c in range(len(header[0])):
            free = (0, c) not in merged_away and (1, c) not in merged_away
            if free and len(header) > 1 and header[1][c] == header[0][c]:
                spans.append(((0, c), (1, c)))
                merged_away.add((1, c))
    for r, row in enumerate([*header, *rows]):
        for c, text in enumerate(row):
            if (r, c) not in merged_away:
                table.cell(r, c).text = text
    for (r1, c1), (r2, c2) in spans:
        table.cell(r1, c1).merge(table.cell(r2, c2))
    document.save(str(path))


def write_xlsx(path: Path, header: list[list[str]], rows: list[list[object]], sheet: str) -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    first = workbook.active
    first.title = "Hướng dẫn"
    first["A1"] = "Bảng này không phải phụ lục"
    annex = workbook.create_sheet(sheet)
    for row in [*header, *rows]:
        annex.append(row)
    workbook.save(str(path))


def write_csv(
    path: Path, header: list[list[str]], rows: list[list[str]], delimiter: str = ","
) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerows([*header, *rows])
