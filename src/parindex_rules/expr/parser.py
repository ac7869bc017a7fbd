"""Parse a formula once, through our own allow-list.

Formulas come from outside (ruleset files), so they are treated as untrusted input. Python's
parser builds the syntax tree (``ast.parse`` never executes anything); we then accept only:

- numeric literals (read exactly as decimals from their text) and ``True``/``False``;
- names of inputs, derived values and parameters, and ``max`` (the item's maximum);
- ``+ - * /``, ``**`` with a small whole-number literal exponent, unary ``-`` ``+`` ``not``;
- comparisons (chains allowed), ``and``/``or``, ``a if condition else b``;
- calls of registered functions by plain name, with positional arguments.

Everything else (attributes, subscripts, strings, lambdas, comprehensions, keyword arguments,
starred arguments, walrus, f-strings, ...) is refused with a clear code, and so are formulas
too long or too deeply nested (checked before Python's parser runs). Types are checked here,
so evaluation never meets text, or true/false where a number belongs.
"""

from __future__ import annotations

import ast
import difflib
import warnings
from collections.abc import Callable, Collection
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from parindex_rules import limits
from parindex_rules.expr.functions import FunctionSpec
from parindex_rules.expr.nodes import (
    Arithmetic,
    BoolOp,
    Call,
    Compare,
    Expr,
    Formula,
    IfElse,
    Literal,
    Name,
    Negate,
    Not,
    Type,
)

#: The name that means "this item's maximum" (điểm tối đa) inside a leaf's formula.
MAX_NAME = "max"

_BINARY = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
_COMPARE = {
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.Eq: "==",
    ast.NotEq: "!=",
}

# Names that only an escape attempt would write; refused as forbidden rather than unknown.
_DANGEROUS = frozenset(
    {
        "eval", "exec", "compile", "open", "globals", "locals", "vars", "getattr", "setattr",
        "delattr", "type", "object", "input", "help", "dir", "breakpoint", "exit", "quit",
        "memoryview", "bytearray", "bytes", "classmethod", "staticmethod", "super", "property",
        "format", "chr", "ord", "str", "repr", "print", "id", "hash", "iter", "next",
    }
)  # fmt: skip

_FORBIDDEN_NAMES = {
    ast.Attribute: "attribute access (a.b)",
    ast.Subscript: "subscripts (a[b])",
    ast.Lambda: "lambda",
    ast.ListComp: "comprehensions",
    ast.SetComp: "comprehensions",
    ast.DictComp: "comprehensions",
    ast.GeneratorExp: "generator expressions",
    ast.List: "lists",
    ast.Tuple: "tuples",
    ast.Set: "sets",
    ast.Dict: "dictionaries",
    ast.JoinedStr: "f-strings",
    ast.FormattedValue: "f-strings",
    ast.NamedExpr: "assignment (:=)",
    ast.Starred: "starred arguments",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
    ast.Slice: "slices",
}


_NOT_ASCII_HINTS = {
    "×": "write * to multiply",
    "÷": "write / to divide",
    "–": "write - to subtract",
    "—": "write - to subtract",
    "−": "write - to subtract",
    "≤": "write <=",
    "≥": "write >=",
    "≠": "write !=",
    "\xa0": "a non-breaking space (pasted from a document): use a normal space",
}


@dataclass(frozen=True)
class FormulaProblem:
    """One problem in one formula; `offset` is the 0-based character offset in the text."""

    code: str
    message: str
    offset: int = 0
    hint: str | None = None


class FormulaError(Exception):
    """The formula does not compile; ``problems`` lists every problem found."""

    def __init__(self, problems: list[FormulaProblem]) -> None:
        super().__init__(problems[0].message if problems else "invalid formula")
        self.problems = problems


def parse_formula(
    text: str,
    *,
    functions: Callable[[str], FunctionSpec | None],
    scope: Collection[str] | None = None,
    function_names: Collection[str] = (),
    expect: Type | None = Type.NUMBER,
) -> Formula:
    """Parse and check `text`. Raises :class:`FormulaError` with every problem found.

    `scope` is the set of names the formula may read (None: any name, checked later);
    `functions` resolves a function name to its spec; `expect` is the type the caller needs.
    """
    if not isinstance(text, str):
        raise FormulaError([FormulaProblem("PR306", "a formula must be text")])
    if len(text) > limits.MAX_EXPRESSION_LENGTH:
        raise FormulaError(
            [
                FormulaProblem(
                    "PR307",
                    f"formula is {len(text)} characters long; the limit is "
                    f"{limits.MAX_EXPRESSION_LENGTH}",
                    hint="split it into named derived values",
                )
            ]
        )
    for i, char in enumerate(text):
        if (" " <= char <= "~") or char in "\t\n\r":
            continue
        # Python would read "ｍａｘ" as max and "ｅｖａｌ" as eval (NFKC): what an auditor reads
        # must be what runs, so names and operators are plain ASCII.
        hint = _NOT_ASCII_HINTS.get(char, "names and operators are plain ASCII")
        raise FormulaError(
            [
                FormulaProblem(
                    "PR302",
                    f"character {char!r} (U+{ord(char):04X}) is not allowed in formulas",
                    offset=i,
                    hint=hint,
                )
            ]
        )
    depth = 0
    for i, char in enumerate(text):
        if char in "([{":
            depth += 1
            if depth > limits.MAX_EXPRESSION_DEPTH:
                raise FormulaError(
                    [
                        FormulaProblem(
                            "PR307",
                            f"formula nests deeper than {limits.MAX_EXPRESSION_DEPTH} levels",
                            offset=i,
                        )
                    ]
                )
        elif char in ")]}":
            depth = max(depth - 1, 0)
    source = text.strip()
    if not source:
        raise FormulaError([FormulaProblem("PR301", "the formula is empty")])
    lead = len(text) - len(text.lstrip())
    try:
        # A formula may span lines in YAML; parentheses make that valid Python. Python's own
        # warnings (e.g. about escapes in text, which is refused anyway) are not for users.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse("(" + source + "\n)", mode="eval")
    except SyntaxError as exc:
        wrapped = ("(" + source + "\n)").split("\n")
        lineno = exc.lineno or 1
        if lineno >= len(wrapped):  # at the closing parenthesis we added: the text stops short
            message = "the formula ends too early"
            offset = lead + len(source)  # just after its last character
        else:
            before = sum(len(row) + 1 for row in wrapped[: lineno - 1])
            # Python's suggestions ("Maybe you meant ':='") name syntax formulas do not allow.
            message = exc.msg.split(". Maybe you meant")[0].split(". Perhaps you")[0]
            offset = lead + min(max(before + (exc.offset or 1) - 2, 0), len(source) - 1)
        raise FormulaError(
            [FormulaProblem("PR301", f"cannot parse formula: {message}", offset=offset)]
        ) from None
    except (RecursionError, MemoryError, ValueError):
        raise FormulaError([FormulaProblem("PR307", "formula is too complex to parse")]) from None
    builder = _Builder(source, lead, functions, scope, function_names)
    root = builder.build(tree.body, 0)
    if root is not None and expect is not None and root.type is not expect and not builder.problems:
        builder.problem(
            "PR306",
            f"formula gives {root.type.value}, but a {expect.value} is needed here",
            tree.body,
        )
    if builder.problems or root is None:
        raise FormulaError(builder.problems or [FormulaProblem("PR301", "invalid formula")])
    return Formula(
        text=text,
        root=root,
        names=frozenset(root.names()),
        functions=frozenset(root.functions()),
    )


class _Builder:
    def __init__(
        self,
        source: str,
        lead: int,
        functions: Callable[[str], FunctionSpec | None],
        scope: Collection[str] | None,
        function_names: Collection[str],
    ) -> None:
        self.source = source
        self.lead = lead
        self.functions = functions
        self.scope = scope
        self.function_names = list(function_names)
        self.problems: list[FormulaProblem] = []
        self.count = 0
        self.lines = ("(" + source + "\n)").split("\n")

    # -- helpers
    def offset(self, node: ast.AST) -> int:
        line = getattr(node, "lineno", 1)
        col = getattr(node, "col_offset", 0)
        before = sum(len(row) + 1 for row in self.lines[: line - 1])
        return max(before + col - 1, 0) + self.lead

    def segment(self, node: ast.AST) -> str:
        text = ast.get_source_segment("(" + self.source + "\n)", node) or ""
        return " ".join(text.split())

    def problem(self, code: str, message: str, node: ast.AST, hint: str | None = None) -> None:
        self.problems.append(FormulaProblem(code, message, self.offset(node), hint))

    # -- the walk
    def build(self, node: ast.expr, depth: int) -> Expr | None:
        self.count += 1
        if self.count > limits.MAX_EXPRESSION_NODES:
            if self.count == limits.MAX_EXPRESSION_NODES + 1:
                self.problem(
                    "PR307",
                    f"formula has more than {limits.MAX_EXPRESSION_NODES} parts",
                    node,
                    hint="split it into named derived values",
                )
            return None
        if depth > limits.MAX_EXPRESSION_DEPTH:
            if not any(p.code == "PR307" for p in self.problems):
                self.problem(
                    "PR307",
                    f"formula nests deeper than {limits.MAX_EXPRESSION_DEPTH} levels",
                    node,
                )
            return None
        handler = getattr(self, "_" + type(node).__name__, None)
        if handler is None:
            what = _FORBIDDEN_NAMES.get(type(node), type(node).__name__)
            hint = None
            if isinstance(node, ast.Tuple):
                hint = "a comma separates a function's arguments: write decimals with a point (0.5)"
            self.problem("PR302", f"{what} not allowed in formulas", node, hint=hint)
            return None
        result: Expr | None = handler(node, depth)
        return result

    def _expect(self, expr: Expr | None, wanted: Type, node: ast.AST, role: str) -> None:
        if expr is not None and expr.type is not wanted:
            self.problem("PR306", f"{role} must be a {wanted.value}, not {expr.type.value}", node)

    def _Constant(self, node: ast.Constant, depth: int) -> Expr | None:
        value = node.value
        if isinstance(value, bool):
            return Literal(str(value), value)
        if isinstance(value, str | bytes):
            self.problem("PR306", "text is not allowed in formulas; numbers only", node)
            return None
        if isinstance(value, int | float):
            text = self.segment(node)
            if len(text.replace("_", "")) > limits.MAX_LITERAL_DIGITS:
                self.problem(
                    "PR307", f"number literal longer than {limits.MAX_LITERAL_DIGITS} digits", node
                )
                return None
            lowered = text.lower()
            if lowered.startswith(("0x", "0o", "0b")) or "e" in lowered or "j" in lowered:
                self.problem("PR302", f"write numbers as plain decimals, not {text!r}", node)
                return None
            try:
                return Literal(text, Decimal(text.replace("_", "")))
            except InvalidOperation:
                self.problem("PR301", f"cannot read number {text!r}", node)
                return None
        what = "None" if value is None else type(value).__name__
        self.problem("PR302", f"{what} is not allowed in formulas", node)
        return None

    def _Name(self, node: ast.Name, depth: int) -> Expr | None:
        name = node.id
        if name.startswith("__") or name in _DANGEROUS:
            self.problem("PR302", f"name {name!r} is not allowed in formulas", node)
            return None
        if name in ("True", "False", "None"):  # pragma: no cover - Constant in Python >= 3.8
            return Literal(name, name == "True")
        if self.scope is not None and name != MAX_NAME and name not in self.scope:
            close = difflib.get_close_matches(name, [*self.scope, MAX_NAME], n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}?" if close else None
            if name in self.function_names or self.functions(name) is not None:
                hint = f"{name} is a function: call it as {name}(...)"
            self.problem("PR303", f"unknown name {name!r}", node, hint=hint)
            return None
        return Name(name)

    def _UnaryOp(self, node: ast.UnaryOp, depth: int) -> Expr | None:
        operand = self.build(node.operand, depth + 1)
        if isinstance(node.op, ast.Not):
            self._expect(operand, Type.BOOL, node.operand, "the operand of `not`")
            return Not(self.segment(node), Type.BOOL, [operand]) if operand else None
        if isinstance(node.op, ast.USub | ast.UAdd):
            self._expect(operand, Type.NUMBER, node.operand, "the operand of a sign")
            if operand is None:
                return None
            if isinstance(node.op, ast.UAdd):
                return operand
            return Negate(self.segment(node), Type.NUMBER, [operand])
        self.problem("PR302", "bitwise operators are not allowed in formulas", node)
        return None

    def _BinOp(self, node: ast.BinOp, depth: int) -> Expr | None:
        op = _BINARY.get(type(node.op))
        if op is None:
            symbol = {
                ast.FloorDiv: "//",
                ast.Mod: "%",
                ast.MatMult: "@",
                ast.LShift: "<<",
                ast.RShift: ">>",
                ast.BitOr: "|",
                ast.BitAnd: "&",
                ast.BitXor: "^",
            }.get(type(node.op), "?")
            self.problem("PR302", f"operator {symbol!r} is not allowed in formulas", node)
            return None
        # A chain a + b + c + ... nests to the left in Python's tree; it is one level deep here,
        # so a long sum is limited by its length and parts, not refused as "too deep".
        chained = isinstance(node.left, ast.BinOp) and type(node.left.op) is type(node.op)
        left = self.build(node.left, depth if chained else depth + 1)
        if op == "**":
            exponent = node.right
            digits = self.segment(exponent) if isinstance(exponent, ast.Constant) else ""
            if (
                not isinstance(exponent, ast.Constant)
                or isinstance(exponent.value, bool)
                or not isinstance(exponent.value, int)
                or not digits.isdigit()
                or exponent.value > limits.MAX_POWER_EXPONENT
            ):
                self.problem(
                    "PR308",
                    "the exponent of ** must be a whole-number literal from 0 to "
                    f"{limits.MAX_POWER_EXPONENT}",
                    node,
                )
                return None
            right: Expr | None = Literal(digits, Decimal(exponent.value))
        else:
            right = self.build(node.right, depth + 1)
        self._expect(left, Type.NUMBER, node.left, f"the left side of {op!r}")
        self._expect(right, Type.NUMBER, node.right, f"the right side of {op!r}")
        if left is None or right is None:
            return None
        return Arithmetic(self.segment(node), op, left, right)

    def _Compare(self, node: ast.Compare, depth: int) -> Expr | None:
        ops = []
        for op in node.ops:
            symbol = _COMPARE.get(type(op))
            if symbol is None:
                self.problem("PR302", "`in`, `not in`, `is` are not allowed in formulas", node)
                return None
            ops.append(symbol)
        operands = [self.build(part, depth + 1) for part in [node.left, *node.comparators]]
        if any(o is None for o in operands):
            return None
        types = {o.type for o in operands if o is not None}
        if len(types) > 1:
            self.problem("PR306", "cannot compare a number with true/false", node)
            return None
        if Type.BOOL in types and any(op not in ("==", "!=") for op in ops):
            self.problem("PR306", "true/false values can only be compared with == or !=", node)
            return None
        return Compare(self.segment(node), ops, [o for o in operands if o is not None])

    def _BoolOp(self, node: ast.BoolOp, depth: int) -> Expr | None:
        op = "and" if isinstance(node.op, ast.And) else "or"
        values = [self.build(v, depth + 1) for v in node.values]
        for value, sub in zip(values, node.values, strict=False):
            self._expect(value, Type.BOOL, sub, f"each side of `{op}`")
        if any(v is None or v.type is not Type.BOOL for v in values):
            return None
        return BoolOp(self.segment(node), op, [v for v in values if v is not None])

    def _IfExp(self, node: ast.IfExp, depth: int) -> Expr | None:
        test = self.build(node.test, depth + 1)
        body = self.build(node.body, depth + 1)
        orelse = self.build(node.orelse, depth + 1)
        self._expect(test, Type.BOOL, node.test, "the condition of `if`")
        if test is None or body is None or orelse is None or test.type is not Type.BOOL:
            return None
        if body.type is not orelse.type:
            self.problem("PR306", "both branches of `if ... else` must have the same type", node)
            return None
        return IfElse(self.segment(node), body.type, [test, body, orelse])

    def _Call(self, node: ast.Call, depth: int) -> Expr | None:
        if not isinstance(node.func, ast.Name):
            self.problem(
                "PR302", "only registered functions can be called, by their plain name", node
            )
            return None
        name = node.func.id
        if name.startswith("__") or name in _DANGEROUS:
            self.problem("PR302", f"function {name!r} is not allowed in formulas", node)
            return None
        spec = self.functions(name)
        if spec is None:
            close = difflib.get_close_matches(name, self.function_names, n=1, cutoff=0.6)
            hint = f"did you mean {close[0]}()?" if close else None
            if self.function_names:
                hint = (
                    (hint + " " if hint else "")
                    + "known: "
                    + ", ".join(sorted(self.function_names))
                )
            self.problem("PR304", f"unknown function {name!r}", node, hint=hint)
            return None
        if node.keywords:
            self.problem("PR302", "keyword arguments are not allowed in formulas", node)
            return None
        count = len(node.args)
        if count < spec.min_args or (spec.max_args is not None and count > spec.max_args):
            self.problem(
                "PR305",
                f"{name} takes {_arity(spec)} argument{'s' if spec.max_args != 1 else ''},"
                f" not {count}",
                node,
                hint=f"usage: {spec.signature()}",
            )
            return None
        args: list[Expr] = []
        for position, arg in enumerate(node.args):
            if position in spec.literal_args and not (
                isinstance(arg, ast.Constant)
                and isinstance(arg.value, int)
                and not isinstance(arg.value, bool)
                and 0 <= arg.value <= 10
            ):
                self.problem(
                    "PR306",
                    f"argument {position + 1} of {name} must be a whole number from 0 to 10",
                    arg,
                )
                return None
            built = self.build(arg, depth + 1)
            if built is None:
                return None
            wanted = spec.arg_type(position)
            if built.type is not wanted:
                self.problem(
                    "PR306",
                    f"argument {position + 1} of {name} must be a {wanted.value}",
                    arg,
                )
                return None
            args.append(built)
        return Call(self.segment(node), spec, args)


def _arity(spec: FunctionSpec) -> str:
    if spec.max_args is None:
        return f"at least {spec.min_args}"
    if spec.max_args == spec.min_args:
        return str(spec.min_args)
    return f"{spec.min_args} to {spec.max_args}"
