"""Pure graders: one function per reward component, from a completion's Facts and the grader knobs to (score, why).

Each docstring states the range and meaning, with an example on a tiny input (run by the tests as doctests; `facts_of`
is `reward.facts.facts_of`). What a grader needs (text, syntax tree, esbuild, browser) and what it is gated on is its
row in the registry (reward/registry.py), which applies the gate first: a grader is only asked about completions its
gate lets through. Every tunable number is a field of GraderOptions, with its one default, settable from a recipe.
"""

from dataclasses import dataclass, field

from reward.facts import Facts
from reward.lint import MIN_TOKENS_PER_LINE
from reward.seed import seed_reward

Graded = tuple[float, str]


@dataclass(frozen=True)
class GraderOptions:
    """Every knob of every grader. A recipe sets any of them by name (`interactive_wired_weight: 0.5`)."""

    interactive_wired_weight: float = field(
        default=0.40, metadata={"help": "interactive: weight of event props whose handler changes rendered state"}
    )
    interactive_wired_saturation: int = field(
        default=3, metadata={"help": "interactive: wired handlers that earn the full wired weight"}
    )
    interactive_live_state_weight: float = field(
        default=0.20, metadata={"help": "interactive: weight of state that is both changed and rendered"}
    )
    interactive_live_state_saturation: int = field(
        default=2, metadata={"help": "interactive: live state variables that earn the full live-state weight"}
    )
    interactive_controlled_input_weight: float = field(
        default=0.15, metadata={"help": "interactive: paid if any input's value comes from state its onChange sets"}
    )
    interactive_conditional_weight: float = field(
        default=0.15, metadata={"help": "interactive: paid if anything is rendered conditionally on changing state"}
    )
    interactive_keyed_list_weight: float = field(
        default=0.10, metadata={"help": "interactive: paid if lists are rendered with keys and none without"}
    )
    interactive_dead_penalty: float = field(
        default=0.15, metadata={"help": "interactive: subtracted per handler that does nothing or unused hook"}
    )
    interactive_unkeyed_penalty: float = field(
        default=0.05, metadata={"help": "interactive: subtracted per list rendered without keys"}
    )
    interactive_max_penalty: float = field(
        default=0.5, metadata={"help": "interactive: the most the penalties subtract (the floor is minus this)"}
    )
    ui_content_saturation: int = field(
        default=25, metadata={"help": "ui_content: JSX elements that earn the full score"}
    )
    overlong_buffer: float = field(
        default=0.2,
        metadata={"help": "overlong: share of max_completion_length over which the penalty ramps from 0 to -1"},
    )
    overlong_reference_ratio: float = field(
        default=2.0,
        metadata={"help": "overlong without token ids: no penalty up to this multiple of the reference's length"},
    )
    runtime_console_error_penalty: float = field(
        default=0.25, metadata={"help": "runtime_clean: subtracted per console error"}
    )
    runtime_interaction_error_penalty: float = field(
        default=0.5, metadata={"help": "runtime_clean: subtracted per interaction that threw"}
    )
    runtime_dialog_penalty: float = field(
        default=0.1, metadata={"help": "runtime_clean: subtracted per alert/confirm/prompt (a UX cost, not a failure)"}
    )
    runtime_dialog_penalty_max: float = field(
        default=0.3, metadata={"help": "runtime_clean: the most the dialog penalty subtracts"}
    )
    interaction_dead_controls_penalty: float = field(
        default=0.5, metadata={"help": "interaction_effective: the score (negated) when no control changes anything"}
    )
    lint_warning_weight: float = field(
        default=0.5, metadata={"help": "lint: an ESLint warning counts as this many errors"}
    )
    lint_zero_at: float = field(
        default=10.0, metadata={"help": "lint: problems per 100 lines of code at which the score reaches 0 (from 1)"}
    )
    lint_min_lines: int = field(
        default=20, metadata={"help": "lint: shorter code is judged as if this many lines long (1 problem in 5 lines)"}
    )

    def __post_init__(self):
        for name in (
            "interactive_wired_saturation", "interactive_live_state_saturation", "ui_content_saturation",
            "lint_min_lines",
        ):  # fmt: skip
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be >= 1, got {getattr(self, name)}")
        if not 0 < self.overlong_buffer <= 1:
            raise ValueError(
                f"overlong_buffer is a share of max_completion_length in (0, 1], got {self.overlong_buffer}"
            )
        if self.lint_zero_at <= 0 or self.lint_warning_weight < 0:
            raise ValueError("lint_zero_at must be > 0 and lint_warning_weight >= 0")


DEFAULTS = GraderOptions()


def parses(f: Facts, o: GraderOptions = DEFAULTS) -> Graded:
    r"""[0, 1]. 1 if the answer's code parses as TSX without an error, else 0.5 x the share of top-level statements
    that parse; 0 without code.

    >>> parses(facts_of("```tsx\nexport default () => <p>hi</p>;\n```"))
    (1.0, 'parses cleanly')
    >>> parses(facts_of("const a = 1;\nconst b = ;"))[0]
    0.25
    """
    if f.code is None:
        return 0.0, f"no code ({f.extraction.problem})"
    if f.tsx.parse_ok:
        return 1.0, "parses cleanly"
    return 0.5 * f.tsx.parse_fraction, f"syntax errors; {f.tsx.parse_fraction:.0%} of top-level statements parse"


def compiles(f: Facts, o: GraderOptions = DEFAULTS) -> Graded:
    r"""{0, 1}. 1 if esbuild bundles the code as one file whose imports are all allowed (react, react-dom).

    >>> compiles(facts_of("```tsx\nexport default () => <p>hi</p>;\n```"))
    (1.0, 'esbuild bundles it')
    >>> compiles(facts_of("```tsx\nimport _ from 'lodash';\nexport default () => <p/>;\n```"))[0]
    0.0
    """
    if f.code is None:
        return 0.0, f"no code ({f.extraction.problem})"
    if f.compiled is None:
        return 0.0, "not compiled: does not parse"
    if f.compiled.ok:
        return 1.0, "esbuild bundles it"
    return 0.0, "esbuild: " + "; ".join(f.compiled.errors[:3])


def complete(f: Facts, o: GraderOptions = DEFAULTS) -> Graded:
    r"""[0, 1]. 0 if the completion was cut off (the trainer's ids say it hit the length limit, else the text ends inside
    a fence or a statement) or has no code; else 0.5 for a default-exported component + 0.5 if it returns JSX.

    >>> complete(facts_of("```tsx\nexport default function App() { return <p>hi</p>; }\n```"))
    (1.0, 'default-exported component returning JSX')
    >>> complete(facts_of("```tsx\nexport default function App() { return <p>hi</p>; }\n```", ids=[5, 6], eos=[2]))
    (0.0, 'truncated')
    """
    if f.code is None:
        return 0.0, f"no code ({f.extraction.problem})"
    if f.truncated:
        return 0.0, "truncated"
    score = 0.5 * f.tsx.default_export + 0.5 * (f.tsx.default_export and f.tsx.returns_jsx)
    why = (
        "default-exported component returning JSX"
        if score == 1.0
        else ("default export does not return JSX" if f.tsx.default_export else "no default-exported component")
    )
    return score, why


def _dead_controls(f: Facts) -> str | None:
    """The browser acted on every control and none changed what a user sees: the handlers are not really wired (the
    syntax tree's credit would otherwise lift fakes above honest static pages)."""
    r = f.render
    if r is not None and r.attempted and not r.effective:
        return f"gated: none of the {r.attempted} controls the browser used changes what a user sees"
    return None


def interactive(f: Facts, o: GraderOptions = DEFAULTS) -> Graded:
    r"""[-0.5, 1] (with the default knobs). Interactivity that is wired up, read from the syntax tree:
    wired handlers (event props whose handler can change state the render reads), live state (changed and rendered),
    controlled inputs, conditional rendering on changing state, keyed lists; minus handlers that do nothing, hooks
    whose state is never read, and unkeyed lists. Each part's weight is a GraderOptions knob.

    >>> counter = "export default function App() { const [n, setN] = useState(0); "
    >>> f = facts_of(counter + "return <button onClick={() => setN(n + 1)}>{n}</button>; }")
    >>> round(interactive(f)[0], 3)  # 0.4 x 1/3 wired + 0.2 x 1/2 live
    0.233
    >>> interactive(facts_of(counter + "return <button onClick={() => setN(n)}>{n}</button>; }"))[0]  # same value
    -0.15
    """
    if reason := _dead_controls(f):
        return 0.0, reason
    t = f.tsx
    positive = (
        o.interactive_wired_weight * min(1.0, t.wired_handlers / o.interactive_wired_saturation)
        + o.interactive_live_state_weight * min(1.0, len(t.live_states) / o.interactive_live_state_saturation)
        + o.interactive_controlled_input_weight * (t.controlled_inputs > 0)
        + o.interactive_conditional_weight * (t.conditional_renders > 0)
        + o.interactive_keyed_list_weight * (t.keyed_lists > 0 and t.unkeyed_lists == 0)
    )
    penalty = min(
        o.interactive_max_penalty,
        o.interactive_dead_penalty * (t.dead_handlers + len(t.unused_hooks))
        + o.interactive_unkeyed_penalty * t.unkeyed_lists,
    )
    score = max(-o.interactive_max_penalty, min(1.0, positive - penalty))
    why = (
        f"{t.wired_handlers} wired handler(s), live state {t.live_states}, {t.controlled_inputs} controlled input(s), "
        f"{t.conditional_renders} conditional render(s), {t.keyed_lists} keyed list(s)"
    )
    if penalty:
        why += (
            f"; penalised: {t.dead_handlers} handler(s) that do nothing, unused hooks {t.unused_hooks}, "
            f"{t.unkeyed_lists} unkeyed list(s)"
        )
    return score, why


def ui_content(f: Facts, o: GraderOptions = DEFAULTS) -> Graded:
    r"""[0, 1]. JSX elements / ui_content_saturation, capped at 1: how much interface the component builds.

    >>> ui_content(facts_of("```tsx\nexport default () => <ul><li>a</li><li>b</li></ul>;\n```"))
    (0.12, '3 JSX elements')
    """
    return min(1.0, f.tsx.jsx_elements / o.ui_content_saturation), f"{f.tsx.jsx_elements} JSX elements"


def overlong(f: Facts, o: GraderOptions = DEFAULTS) -> Graded:
    r"""[-1, 0]. DAPO's soft overlong punishment: 0 up to max_completion_length x (1 - overlong_buffer) tokens, then
    linear down to -1 at the limit. Without token ids, the same shape on characters relative to the reference
    (0 up to overlong_reference_ratio x its length, -1 one reference length later); 0 when the length is unknown.

    >>> overlong(facts_of("x", ids=list(range(90)), max_tokens=100))  # 90 tokens: halfway into the last 20
    (-0.5, '90 tokens of 100')
    >>> overlong(facts_of("x" * 250, reference="y" * 100))
    (-0.5, '2.50x the reference length')
    """
    if f.n_tokens is not None and f.max_tokens:
        buffer = max(1.0, o.overlong_buffer * f.max_tokens)
        soft = f.max_tokens - buffer
        score = 0.0 if f.n_tokens <= soft else max(-1.0, (soft - f.n_tokens) / buffer)
        return score, f"{f.n_tokens} tokens of {f.max_tokens}"
    if f.reference:
        ratio = len(f.code or f.text) / max(1, len(f.reference))
        limit = o.overlong_reference_ratio
        return (0.0 if ratio <= limit else max(-1.0, limit - ratio)), f"{ratio:.2f}x the reference length"
    return 0.0, "length unknown"


def seed(f: Facts, o: GraderOptions = DEFAULTS) -> Graded:
    r"""(-inf, 22.3]. The original research's reward on the raw text (reward/seed.py): character counts and keywords.
    A regression baseline, gameable by design; do not train with it.

    >>> round(seed(facts_of("", reference="x" * 100))[0], 2)  # an empty answer scores 16 of 22.3
    16.0
    """
    total, parts = seed_reward(f.text, f.reference)
    return total, ", ".join(f"{k} {v:+.2f}" for k, v in parts.items())


def _render_failure(f: Facts) -> str:
    r = f.render
    if r.violations:
        return "violation: " + ", ".join(r.violations)
    if r.crashed:
        return "renderer crashed (memory limit)"
    if r.timed_out:
        return "ran past its time budget"
    if r.errors:
        return "error: " + r.errors[0]
    return "rendered nothing visible"


def renders(f: Facts, o: GraderOptions = DEFAULTS) -> Graded:
    r"""{0, 1}. 1 if the component mounted in headless Chromium without an uncaught error, showed something visible,
    and did nothing forbidden (network use, navigating away by itself, window.open without a click, a flood of dialogs,
    render loop, huge DOM, busy Worker, CPU hog, hang, renderer crash).

    >>> f = facts_of("```tsx\nexport default () => <p>hi</p>;\n```")
    >>> f.render = RenderResult(mounted=True, renders=True, nodes=2, ms=3)
    >>> renders(f)
    (1.0, 'rendered 2 elements in 3 ms')
    """
    if f.render is None:
        return 0.0, "not rendered"
    if f.render.clean:
        return 1.0, f"rendered {f.render.nodes} elements in {f.render.ms} ms"
    return 0.0, _render_failure(f)


def runtime_clean(f: Facts, o: GraderOptions = DEFAULTS) -> Graded:
    r"""[0, 1]. 1 - runtime_console_error_penalty per console error (React's warnings included) while mounting and
    using it - runtime_interaction_error_penalty per interaction that threw - runtime_dialog_penalty per dialog
    (alert/confirm/prompt; at most runtime_dialog_penalty_max).

    >>> f = facts_of("```tsx\nexport default () => <p>hi</p>;\n```")
    >>> f.render = RenderResult(mounted=True, renders=True, console_errors=["Each child needs a key"])
    >>> runtime_clean(f)
    (0.75, '1 console error(s), 0 interaction(s) threw, 0 dialog(s): Each child needs a key')
    """
    score, why = renders(f)
    if score == 0.0:
        return 0.0, why
    r = f.render
    penalty = (
        o.runtime_console_error_penalty * len(r.console_errors)
        + o.runtime_interaction_error_penalty * r.interaction_errors
        + min(o.runtime_dialog_penalty_max, o.runtime_dialog_penalty * r.dialogs)
    )
    why = (
        f"{len(r.console_errors)} console error(s), {r.interaction_errors} interaction(s) threw, {r.dialogs} dialog(s)"
    )
    return max(0.0, 1.0 - penalty), why + (f": {r.console_errors[0][:120]}" if r.console_errors else "")


def interaction_effective(f: Facts, o: GraderOptions = DEFAULTS) -> Graded:
    r"""[-0.5, 1] (with the default knobs). The share of clicks and inputs that changed the page; minus
    interaction_dead_controls_penalty when the page has controls and none of them does anything; 0 with no controls.

    >>> f = facts_of("```tsx\nexport default () => <p>hi</p>;\n```")
    >>> f.render = RenderResult(mounted=True, renders=True, attempted=4, effective=3)
    >>> interaction_effective(f)
    (0.75, '3 of 4 distinct controls changed what a user sees')
    """
    score, why = renders(f)
    if score == 0.0:
        return 0.0, why
    r = f.render
    if r.attempted == 0:
        return 0.0, "no controls to interact with"
    if r.effective == 0:
        return (
            -o.interaction_dead_controls_penalty,
            f"none of {r.attempted} distinct controls changed what a user sees",
        )
    return r.effective / r.attempted, f"{r.effective} of {r.attempted} distinct controls changed what a user sees"


def live_updates(f: Facts, o: GraderOptions = DEFAULTS) -> Graded:
    r"""{0, 1}. 1 if the page visibly changes by itself while nobody acts (a clock, a live feed, a load that
    resolves), seen in the windows where the browser watches without acting; 0 for a page that only changes when used.

    >>> f = facts_of("```tsx\nexport default () => <p>hi</p>;\n```")
    >>> f.render = RenderResult(mounted=True, renders=True, self_updates=1)
    >>> live_updates(f)[0]
    1.0
    """
    score, why = renders(f)
    if score == 0.0:
        return 0.0, why
    if f.render.self_updates:
        return 1.0, "the page visibly changes by itself (a clock, a live feed, a load that resolves)"
    return 0.0, "nothing changes while nobody acts"


def lint(f: Facts, o: GraderOptions = DEFAULTS) -> Graded:
    r"""[0, 1]. ESLint problems per 100 lines of code, 1 - density / lint_zero_at (reward/lint.py explains the
    mapping); density = 100 x (errors + lint_warning_weight x warnings) / max(lines, lint_min_lines), where lines
    are those holding code, at most one per 5 tokens. 0 when ESLint's parser cannot read the code.

    >>> f = facts_of("```tsx\nexport default () => <p>hi</p>;\n```")
    >>> f.lint = LintResult(errors=1, lines=100, tokens=900)
    >>> lint(f)
    (0.9, '1 error(s), 0 warning(s) in 100 lines: 1.0 per 100 lines')
    >>> f.lint = LintResult(warnings=4, lines=10, tokens=90)  # judged as 20 lines: 10 per 100
    >>> lint(f)[0]
    0.0
    """
    r = f.lint
    if r is None:
        return 0.0, "not linted"
    if r.parse_error:
        return 0.0, f"ESLint could not parse it: {r.parse_error}"
    weighted = r.errors + o.lint_warning_weight * r.warnings
    lines = min(r.lines, r.tokens / MIN_TOKENS_PER_LINE)
    density = 100.0 * weighted / max(lines, o.lint_min_lines)
    why = f"{r.errors} error(s), {r.warnings} warning(s) in {lines:.0f} lines: {density:.1f} per 100 lines"
    if r.messages:
        first = r.messages[0]
        why += f"; e.g. line {first['line']} {first['rule']}: {first['message']}"
    return round(max(0.0, 1.0 - density / o.lint_zero_at), 4), why
