"""Annex import: from the decision's own table (docx, xlsx, csv) to a ruleset."""
