"""An example plugin for parindex-rules (see docs/plugins.md there).

It adds, each through its own entry-point group:

- ``per_occurrence_deduction``, a scoring method (:mod:`.deduction`);
- ``whole_steps``, a formula function (:mod:`.functions`);
- ``jsonl``, a facts reader for a JSON-lines database export (:mod:`.jsonl`);
- the ruleset pack :data:`PACK`, shipping the provisional test ruleset ``demo-2024/so``.
"""

from __future__ import annotations

from parindex_rules.loader.resolve import RulesetPack

__version__ = "0.1.0"

#: Rulesets under ``parindex_plugin_demo/rulesets/<province>-<year>/<set>.yaml``.
PACK = RulesetPack(name="parindex-plugin-demo", package="parindex_plugin_demo.rulesets")
