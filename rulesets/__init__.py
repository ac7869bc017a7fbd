"""Ruleset data package."""
