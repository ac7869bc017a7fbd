"""Tools for ruleset authors: compare rulesets, format them, render them as documents."""
