"""The facts the static rewards read from one TSX file (reward/syntax.py parses, reward/react.py and
reward/effects.py model React): which state the user can see change, which handlers are wired, which do nothing,
controlled inputs, conditional rendering and lists, each node counted once wherever it is nested.
"""

from dataclasses import dataclass, field

import tree_sitter as ts

from reward.cache import LRU
from reward.effects import ReactFile
from reward.react import EFFECT_HOOKS
from reward.syntax import FUNCTIONS, JSX, Spans, name_of, parse, unwrap, walk

FORM_TAGS = {b"input", b"textarea", b"select"}


@dataclass
class TsxFacts:
    """What the static rewards need to know about one file. Counts, names and a human explanation."""

    parse_ok: bool = False
    parse_fraction: float = 0.0  # share of top-level statements that parse without an error
    last_statement_error: bool = False  # the file's last statement does not parse: typical of a cut-off answer
    default_export: bool = False  # a default export that is a function or class component
    defines_component: bool = False  # some top-level function or class returns JSX
    returns_jsx: bool = False
    jsx_elements: int = 0
    imports: list[str] = field(default_factory=list)
    states: list[str] = field(default_factory=list)
    live_states: list[str] = field(default_factory=list)  # read by the render and changed by a reachable call
    unused_hooks: list[str] = field(default_factory=list)
    wired_handlers: int = 0  # event props whose handler can change state the render reads
    dead_handlers: int = 0  # event props whose handler can change nothing (empty, logging, same-value sets)
    controlled_inputs: int = 0
    conditional_renders: int = 0
    keyed_lists: int = 0
    unkeyed_lists: int = 0


def _default_export(a: ReactFile) -> ts.Node | None:
    """The node of the default-exported component, if any."""
    for stmt in a.of("export"):
        if not any(c.type == "default" for c in stmt.children):
            clause = next((c for c in stmt.named_children if c.type == "export_clause"), None)
            for spec in clause.named_children if clause is not None else []:
                alias = spec.child_by_field_name("alias")
                if alias is not None and alias.text == b"default":
                    return a.functions.get(name_of(spec.child_by_field_name("name")) or b"")
            continue
        target = unwrap(stmt.child_by_field_name("declaration") or stmt.child_by_field_name("value"))
        if target is None:
            return None
        if target.type == "call_expression":  # export default memo(App)
            args = target.child_by_field_name("arguments")
            target = unwrap(args.named_children[0]) if args is not None and args.named_children else None
        if target is not None and target.type == "identifier":
            name = name_of(target)
            if name in a.functions:
                return a.functions[name]
            classes = [c for c in a.of("class") if name_of(c.child_by_field_name("name")) == name]
            return classes[0] if classes else None
        if target is not None and (target.type in FUNCTIONS or target.type in ("class_declaration", "class")):
            return target
        return None
    return None


def _callback_key(callback: ts.Node) -> bool | None:
    """For a `.map` callback: True if every JSX it returns has a key, False if not, None if it returns no JSX."""
    body = unwrap(callback.child_by_field_name("body"))
    if body is None:
        return None
    if body.type == "statement_block":
        results = [
            unwrap(r.named_children[0]) for r in walk(body) if r.type == "return_statement" and r.named_children
        ]
    else:
        results = [body]
    elements = []
    for r in results:  # cond ? <A key/> : <B key/>, cond && <A key/>
        while r is not None and r.type in ("ternary_expression", "binary_expression"):
            parts = (
                [r.child_by_field_name("consequence"), r.child_by_field_name("alternative")]
                if (r.type == "ternary_expression")
                else [r.child_by_field_name("right")]
            )
            elements += [unwrap(p) for p in parts[1:]]
            r = unwrap(parts[0])
        elements.append(r)
    elements = [e for e in elements if e is not None and e.type in JSX]
    if not elements:
        return None
    for e in elements:
        tag = e.child_by_field_name("open_tag") if e.type == "jsx_element" else e
        if tag is None or not any(
            attr.type == "jsx_attribute" and attr.named_children and attr.named_children[0].text == b"key"
            for attr in tag.named_children
        ):
            return False
    return True


_cache = LRU(4096)


def analyze_cached(code: str) -> TsxFacts:
    """analyze(), memoised per process by code (extraction, every grader and every reward function share it)."""
    facts = _cache.get(code)
    if facts is None:
        facts = analyze(code)
        _cache.put(code, facts)
    return facts


def analyze(code: str) -> TsxFacts:
    tree = parse(code)
    root = tree.root_node
    facts = TsxFacts()
    top = [c for c in root.named_children if c.type != "comment"]
    facts.parse_ok = not root.has_error and bool(top)
    facts.parse_fraction = (sum(not c.has_error for c in top) / len(top)) if top else 0.0
    facts.last_statement_error = bool(top) and top[-1].has_error
    a = ReactFile(root)
    facts.jsx_elements = len(a.of("jsx"))
    facts.imports = [
        s.text.decode(errors="replace").strip("'\"`")
        for imp in a.of("import")
        for s in [imp.child_by_field_name("source")]
        if s is not None
    ]
    component = _default_export(a)
    facts.default_export = component is not None
    facts.returns_jsx = component is not None and a.returns_jsx(component)
    facts.defines_component = facts.returns_jsx or any(
        a.returns_jsx(n) for n in root.named_children if n.type not in ("import_statement", "comment")
    )

    # State, and which of it the user can see change.
    rendered = a.rendered_names()
    states = list(dict.fromkeys(a.states.values()))
    facts.states = [s.name.decode(errors="replace") for s in states]
    readers: dict[int, set[bytes]] = {id(s): {s.name} for s in states}
    for alias in a.aliases:
        target = a.resolve(alias)
        if target in a.states:
            readers[id(a.states[target])].add(alias)
    visible = {id(s) for s in states if readers[id(s)] & rendered}
    for s in states:
        declared = 1 if s.kind != "class" else 0  # a hook's state is named once where it is declared
        if not any(a.counts.get(n, 0) > (declared if n == s.name else 0) for n in readers[id(s)]):
            facts.unused_hooks.append(s.name.decode(errors="replace"))  # never read: changing it shows nothing
        elif id(s) in visible and s.mutable:
            facts.live_states.append(s.name.decode(errors="replace"))
    for call in a.of("call"):  # useEffect(() => {}) does nothing
        callee = call.child_by_field_name("function").text
        if (b"Effect" in callee or b"\\" in callee) and a.hook(call) in EFFECT_HOOKS:
            args = call.child_by_field_name("arguments")
            first = unwrap(args.named_children[0]) if args is not None and args.named_children else None
            body = first.child_by_field_name("body") if first is not None and first.type in FUNCTIONS else None
            if body is not None and body.type == "statement_block" and not body.named_children:
                facts.unused_hooks.append(a.hook(call).decode())

    # Event props: wired (can change what the render shows), dead (can change nothing), or neither.
    effective_props: set[int] = set()
    for attr in a.handlers:
        target = a.handler_target(attr)
        if target is None:
            continue
        effect = a.handler_effect(target)
        if any(id(s) in visible and s.mutable for s in effect.changes):
            facts.wired_handlers += 1
            effective_props.add(attr.id)
        elif not effect.unknown and not any(s.mutable for s in effect.changes):
            facts.dead_handlers += 1

    # Controlled form inputs: value/checked read from live state and an onChange that changes it.
    derived = a.derived_from({s.name for s in states if s.name.decode(errors="replace") in facts.live_states})
    for tag in a.of("open"):
        if name_of(tag.child_by_field_name("name")) not in FORM_TAGS:
            continue
        attrs = {
            c.named_children[0].text: c for c in tag.named_children if c.type == "jsx_attribute" and c.named_children
        }
        bound = [attrs[k] for k in (b"value", b"checked") if k in attrs]
        if bound and any(a.names_in(b) & derived for b in bound) and attrs.get(b"onChange") is not None:
            if attrs[b"onChange"].id in effective_props:
                facts.controlled_inputs += 1

    # Conditional rendering on changing state: each conditional once, in the render (not inside handlers).
    in_render = [n for n in a.of("jsx_expr", "return") if n.type == "jsx_expression" or a.contains_jsx(n)]
    render_spans = Spans((n.start_byte, n.end_byte) for n in in_render)
    for cond_node in a.of("cond"):
        if a.in_handler(cond_node.start_byte) or not render_spans.contains(cond_node.start_byte):
            continue
        cond = cond_node.child_by_field_name("condition" if cond_node.type == "ternary_expression" else "left")
        if cond is not None and a.names_in(cond) & derived:
            facts.conditional_renders += 1
    for stmt in a.of("if"):
        conseq = stmt.child_by_field_name("consequence")
        if conseq is not None and a.contains_jsx(conseq) and not a.in_handler(stmt.start_byte):
            if a.names_in(stmt.child_by_field_name("condition") or stmt) & derived:
                facts.conditional_renders += 1

    # Lists rendered from data, with or without keys: every .map whose callback returns JSX, once.
    for call in a.of("call"):
        fn = call.child_by_field_name("function")
        if fn.type != "member_expression" or not (fn.text.endswith(b"map") or b"\\" in fn.text):
            continue
        prop = fn.child_by_field_name("property")
        args = call.child_by_field_name("arguments")
        if prop is None or name_of(prop) != b"map" or args is None or not args.named_children:
            continue
        callback = unwrap(args.named_children[0])
        keyed = _callback_key(callback) if callback is not None and callback.type in FUNCTIONS else None
        if keyed is True:
            facts.keyed_lists += 1
        elif keyed is False:
            facts.unkeyed_lists += 1
    return facts
