"""Tree-sitter for TSX: parsing, one query that indexes every node the analysis reads, and small helpers on nodes.

Identifiers are compared as JavaScript (and esbuild) reads them: `\\u0073etCount` is `setCount`.
"""

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from functools import lru_cache

import tree_sitter as ts
import tree_sitter_typescript as tst

LANGUAGE = ts.Language(tst.language_tsx())

JSX = {"jsx_element", "jsx_self_closing_element", "jsx_fragment"}

FUNCTIONS = {"arrow_function", "function_expression", "function_declaration", "function", "generator_function",
             "method_definition"}  # fmt: skip

QUERY = """
(identifier) @id
(shorthand_property_identifier) @id
(member_expression object: (member_expression object: (this) property: (property_identifier) @_s)
                   property: (property_identifier) @id (#eq? @_s "state"))
(member_expression object: (this) property: (property_identifier) @this_member)
(variable_declarator) @decl
(function_declaration) @fn
(assignment_expression) @assign
(call_expression) @call
(jsx_expression) @jsx_expr
(jsx_element) @jsx
(jsx_self_closing_element) @jsx
(jsx_opening_element) @open
(jsx_self_closing_element) @open
(jsx_attribute) @attr
(if_statement) @if
(ternary_expression) @cond
(binary_expression operator: ["&&" "||" "??"]) @cond
(return_statement) @return
(arrow_function body: (_) @arrow_body)
(import_statement) @import
(export_statement) @export
(class_declaration) @class
(class) @class
"""


@lru_cache(maxsize=1)
def parser() -> ts.Parser:
    return ts.Parser(LANGUAGE)


@lru_cache(maxsize=1)
def query() -> ts.Query:
    return ts.Query(LANGUAGE, QUERY)


def parse(code: str) -> ts.Tree:
    return parser().parse(code.encode("utf-8"))


def walk(node: ts.Node) -> Iterator[ts.Node]:
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(n.children))


ESCAPE = re.compile(rb"\\u\{([0-9a-fA-F]+)\}|\\u([0-9a-fA-F]{4})")


def decode(name: bytes) -> bytes:
    """An identifier as JavaScript reads it: `\\u0073etCount` -> `setCount`."""
    if b"\\" not in name:
        return name
    return ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)).encode(), name)


def name_of(node: ts.Node | None) -> bytes | None:
    """The decoded name of an identifier-like node; `a.b.c` for a member chain of names; None otherwise."""
    if node is None:
        return None
    if node.type == "member_expression":
        obj, prop = node.child_by_field_name("object"), node.child_by_field_name("property")
        head = b"this" if obj is not None and obj.type == "this" else name_of(obj)
        return head + b"." + decode(prop.text) if head is not None and prop is not None else None
    if node.type in ("identifier", "property_identifier", "shorthand_property_identifier", "type_identifier",
                     "shorthand_property_identifier_pattern"):  # fmt: skip
        text = node.text
        return text if b"\\" not in text else decode(text)
    return None


def first_param(fn: ts.Node) -> bytes | None:
    """The name of a function's first parameter: `c => …`, `(prev: State) => …`, `function (s, a) {…}`."""
    params = fn.child_by_field_name("parameters") or fn.child_by_field_name("parameter")
    if params is None:
        return None
    if params.type == "identifier":
        return name_of(params)
    first = params.named_children[0] if params.named_children else None
    return name_of(first.child_by_field_name("pattern") or first) if first is not None else None


def unwrap(node: ts.Node | None) -> ts.Node | None:
    """Strip parentheses, `as` / `satisfies` casts and non-null assertions."""
    while node is not None and node.type in (
        "parenthesized_expression", "as_expression", "non_null_expression", "satisfies_expression",
        "sequence_expression",
    ):  # fmt: skip
        children = node.named_children
        node = children[-1 if node.type == "sequence_expression" else 0] if children else None
    return node


def constant_truth(node: ts.Node | None, consts: dict[bytes, ts.Node] | None = None, depth: int = 0) -> bool | None:
    """True/False when an expression's truth is fixed in the source (`false`, `0`, `!true`, `1 > 2`, a const flag),
    None when it depends on anything at run time."""
    node = unwrap(node)
    if node is None or depth > 8:
        return None
    t = node.type
    if t in ("true", "false", "null", "undefined"):
        return t == "true"
    if t == "number":
        try:
            return float(node.text.replace(b"_", b"")) != 0
        except ValueError:
            return None
    if t == "string":
        return len(node.text) > 2
    if t == "identifier":
        if node.text == b"undefined":
            return False
        value = (consts or {}).get(decode(node.text))
        return constant_truth(value, consts, depth + 1) if value is not None else None
    if t == "unary_expression":
        op = node.child_by_field_name("operator")
        inner = constant_truth(node.child_by_field_name("argument"), consts, depth + 1)
        if op is not None and op.type == "!" and inner is not None:
            return not inner
        if op is not None and op.type == "void":
            return False
        return None
    if t == "binary_expression":
        op = node.child_by_field_name("operator").type
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if op in ("&&", "||"):
            a, b = constant_truth(left, consts, depth + 1), constant_truth(right, consts, depth + 1)
            if op == "&&":
                return False if a is False or b is False else (True if a and b else None)
            return True if a is True or b is True else (False if a is False and b is False else None)
        a, b = literal(left), literal(right)
        if a is None or b is None:
            return None
        try:
            return {"===": a == b, "==": a == b, "!==": a != b, "!=": a != b, "<": a < b, ">": a > b,
                    "<=": a <= b, ">=": a >= b}.get(op)  # fmt: skip
        except TypeError:
            return None
    return None


def literal(node: ts.Node | None):
    """The Python value of a literal (number, string, boolean, null); None for anything else."""
    node = unwrap(node)
    if node is None:
        return None
    if node.type == "number":
        try:
            return float(node.text.replace(b"_", b""))
        except ValueError:
            return None
    if node.type == "string":
        return node.text[1:-1]
    if node.type in ("true", "false"):
        return node.type == "true"
    if node.type in ("null", "undefined"):
        return node.type
    return None


class Spans:
    """Byte ranges (possibly nested): is a position inside any of them?"""

    def __init__(self, ranges):
        ranges = sorted(ranges)
        self.starts = [s for s, _ in ranges]
        self.reach = []  # the furthest end of any range starting at or before each start
        end = -1
        for _, e in ranges:
            end = max(end, e)
            self.reach.append(end)

    def contains(self, pos: int) -> bool:
        i = bisect_right(self.starts, pos) - 1
        return i >= 0 and pos < self.reach[i]


class SyntaxIndex:
    """One file's nodes by kind (one query, in C), and its identifiers by position, so that "which names does this
    node read" is a binary search instead of a walk over the subtree."""

    def __init__(self, root: ts.Node):
        self.root = root
        self.nodes: dict[str, list[ts.Node]] = ts.QueryCursor(query()).captures(root)
        # Names read: identifiers, `this.state.x` as x (the class state's name), `this.m` as "this.m" (a method).
        named = [(n, n.text) for n in self.nodes.get("id", [])]
        named += [(n, b"this." + n.text) for n in self.nodes.get("this_member", [])]
        named.sort(key=lambda pair: pair[0].start_byte)
        self.id_nodes = [n for n, _ in named]
        self.id_starts = [n.start_byte for n in self.id_nodes]
        self.id_names = [t if b"\\" not in t else decode(t) for _, t in named]
        self.counts: dict[bytes, int] = {}
        for name in self.id_names:
            self.counts[name] = self.counts.get(name, 0) + 1
        self._jsx_starts = sorted(n.start_byte for n in self.of("jsx"))
        self._jsx_returns: list[int] | None = None  # where JSX is returned (built on first use)

    def of(self, *kinds: str) -> list[ts.Node]:
        return [n for k in kinds for n in self.nodes.get(k, [])]

    def names_in(self, node: ts.Node, outside: "Spans | None" = None) -> set[bytes]:
        """The (decoded) names `node` reads; with `outside`, not counting those inside these spans."""
        lo, hi = bisect_left(self.id_starts, node.start_byte), bisect_left(self.id_starts, node.end_byte)
        if outside is None or not outside.starts:
            return set(self.id_names[lo:hi])
        return {self.id_names[i] for i in range(lo, hi) if not outside.contains(self.id_starts[i])}

    def returns_jsx(self, node: ts.Node) -> bool:
        """Does a function (or class) in `node` return JSX: `return <div/>`, `return ok ? <A/> : <B/>`, `() => <p/>`?"""
        if self._jsx_returns is None:
            points = []
            for ret in self.of("return"):
                expr = unwrap(ret.named_children[0]) if ret.named_children else None
                if expr is not None and (expr.type in JSX or (
                    expr.type in ("ternary_expression", "binary_expression") and self.contains_jsx(expr)
                )):  # fmt: skip
                    points.append(ret.start_byte)
            for body in self.of("arrow_body"):
                inner = unwrap(body)
                if inner is not None and inner.type in JSX:
                    points.append(body.start_byte)
            self._jsx_returns = sorted(points)
        i = bisect_left(self._jsx_returns, node.start_byte)
        return i < len(self._jsx_returns) and self._jsx_returns[i] < node.end_byte

    def contains_jsx(self, node: ts.Node) -> bool:
        i = bisect_left(self._jsx_starts, node.start_byte)
        return i < len(self._jsx_starts) and self._jsx_starts[i] < node.end_byte
