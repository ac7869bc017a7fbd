"""Named limits. Each exceeded limit is a clear diagnostic (PR9xx), never a hang.

They are generous for every real rule book (the largest we know has about 150 nodes) and
small enough that a hostile or broken file fails fast.
"""

from __future__ import annotations

#: Bytes in one ruleset file.
MAX_RULESET_BYTES = 2 * 1024 * 1024
#: Bytes in one facts file.
MAX_FACTS_BYTES = 64 * 1024 * 1024
#: YAML nodes (mappings, sequences, scalars) in one facts file: stops runaway files early.
MAX_YAML_NODES = 5_000_000
#: YAML nodes in one ruleset file (the largest rule book has about 6,000).
MAX_RULESET_YAML_NODES = 250_000
#: Nesting depth of YAML collections.
MAX_YAML_DEPTH = 64
#: Nodes (fields + criteria + sub-criteria) in one ruleset.
MAX_RULESET_NODES = 5_000
#: Units in one facts file.
MAX_UNITS = 200_000
#: Characters in one formula.
MAX_EXPRESSION_LENGTH = 1_000
#: Nesting depth of one formula (parentheses, calls, operators).
MAX_EXPRESSION_DEPTH = 32
#: Syntax nodes in one formula.
MAX_EXPRESSION_NODES = 250
#: Largest whole-number exponent of `**`.
MAX_POWER_EXPONENT = 8
#: Digits in one numeric literal of a formula.
MAX_LITERAL_DIGITS = 30
#: Digits of one number read from a file, written out in full (1e999999 has a million).
MAX_NUMBER_DIGITS = 30
#: Digits (numerator + denominator) an evaluated value may reach before evaluation stops.
MAX_VALUE_DIGITS = 400
