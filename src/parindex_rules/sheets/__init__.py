"""Facts in tables: the annex layout shared by the template, the .xlsx and .csv readers.

Province staff fill spreadsheets laid out like the decision's annex (STT, Lĩnh vực/Tiêu chí/
Tiêu chí thành phần, Điểm tối đa, ...). This package defines that layout once
(:mod:`~parindex_rules.sheets.layout`), writes empty templates from a ruleset
(:mod:`~parindex_rules.sheets.template`) and reads filled ones back into :class:`Facts` with every
value located by sheet and cell, or CSV line and column (:mod:`~parindex_rules.sheets.xlsx_reader`,
:mod:`~parindex_rules.sheets.csv_reader`). openpyxl is needed for .xlsx only (the ``excel`` extra).
"""
