"""A ruleset that ``extends:`` another, written out in full (``parindex describe --expanded``).

The merge itself lives in :mod:`parindex_rules.loader.extends`, because loading needs it; this
module turns its result back into a ruleset file: plain YAML in the canonical layout
(:mod:`parindex_rules.authoring.fmt`), which compiles to exactly what the extending file does.
"""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.representer import RoundTripRepresenter

from parindex_rules.authoring.fmt import format_text
from parindex_rules.diagnostics import Diagnostic, DiagnosticError, RulesetError
from parindex_rules.loader.extends import expand_extends
from parindex_rules.loader.resolve import resolve
from parindex_rules.loader.yaml import decode, load_yaml_text


def expanded_data(ref: str | Path) -> tuple[str, Any]:
    """The display name and the plain data of a ruleset with every `extends:` merged in."""
    resolved = resolve(ref)
    try:
        text = decode(resolved.read_bytes(), resolved.display)
        name = resolved.name
        loaded = load_yaml_text(text, name)
        if resolved.path is not None:
            loaded = expand_extends(loaded, resolved.path.parent, origin=resolved.path)
        else:
            loaded = expand_extends(loaded)
    except OSError as exc:
        raise RulesetError(
            [Diagnostic.make("PR001", f"cannot read file: {exc.strerror or exc}", file=str(ref))]
        ) from None
    except DiagnosticError as exc:
        if isinstance(exc, RulesetError):
            raise
        raise RulesetError(exc.diagnostics) from None
    return loaded.file, loaded.data


def represent_decimal(representer: RoundTripRepresenter, value: Decimal) -> Any:
    # The digits as the author wrote them: "14.50" stays 14.50, read back exactly.
    text = str(value)
    if value == value.to_integral_value() and "E" not in text and "." not in text:
        return representer.represent_scalar("tag:yaml.org,2002:int", text)
    return representer.represent_scalar("tag:yaml.org,2002:float", text)


def _scalar(value: Any) -> bool:
    return not isinstance(value, dict | list)


def _styled(value: Any, top: bool = False) -> Any:
    """Short things on one line, as authors write them: a mapping of plain values (a source,
    an option, a band, an input) and a list of numbers or short words."""
    if isinstance(value, dict):
        out = CommentedMap((k, _styled(v)) for k, v in value.items())
        if not top and value and all(_scalar(v) for v in value.values()):
            out.fa.set_flow_style()
        return out
    if isinstance(value, list):
        seq = CommentedSeq(_styled(v) for v in value)
        short = all(_scalar(v) and (not isinstance(v, str) or len(v) <= 16) for v in value)
        if value and short:
            seq.fa.set_flow_style()
        return seq
    return value


def to_yaml(data: Any, name: str = "<ruleset>") -> str:
    """Plain ruleset data as a ruleset file in the canonical layout."""
    yaml = YAML(typ="rt", pure=True)
    yaml.width = 1_000_000
    yaml.allow_unicode = True
    yaml.representer.add_representer(Decimal, represent_decimal)
    stream = io.StringIO()
    yaml.dump(_styled(data, top=True), stream)
    return format_text(stream.getvalue(), name)


def expanded_yaml(ref: str | Path) -> str:
    """The ruleset written out in full, as a file that compiles to the same ruleset."""
    name, data = expanded_data(ref)
    return to_yaml(data, name)
