"""Rulesets shipped by the demo plugin (a data package: ``<province>-<year>/<set>.yaml``)."""
