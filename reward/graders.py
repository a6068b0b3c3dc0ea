"""Pure graders: one function per reward component, from a completion's Facts to (score, why).

Ranges (documented here, asserted in tests):
    parses        [0, 1]     1 if the TSX parses cleanly; else 0.5 x the share of top-level statements that parse
    compiles      {0, 1}     esbuild bundles the single file with only allowlisted imports (react, react-dom)
    complete      [0, 1]     0 if truncated or no code; else 0.5 for a default-exported component + 0.5 if it returns JSX
    interactive   [-0.5, 1]  wired-up interactivity minus dead handlers / unused hooks; 0 unless it parses AND compiles
    ui_content    [0, 1]     JSX elements / 25, saturating; 0 unless it parses and compiles
    overlong      [-1, 0]    DAPO soft overlong penalty on token length (or on length relative to the reference)

Render tier (headless Chromium; see reward/render.py):
    renders                {0, 1}     mounts without an uncaught error, shows something visible, no violation
                                      (dialog, navigation, window.open, network, render loop, 200k-node DOM, hang)
    runtime_clean          [0, 1]     0 unless it renders; 1 - 0.25 per console error; 0 if an interaction throws
    interaction_effective  [-0.5, 1]  0 unless it renders cleanly; share of clicks/inputs that change the DOM, and
                                      -0.5 when it has controls and none of them does anything
When the render tier is in use, `interactive` and `ui_content` also pay nothing unless the component renders cleanly.

Judge tier (a model behind an OpenAI-compatible endpoint; see reward/judge.py):
    judge                  [0, 1]     0 unless it renders cleanly; share of the prompt's checklist items the judge
                                      finds met (None when the judge could not answer: timeout, server down, ...)
"""

from reward.facts import Facts

Graded = tuple[float, str]


def parses(f: Facts) -> Graded:
    if f.code is None:
        return 0.0, f"no code ({f.extraction.problem})"
    if f.tsx.parse_ok:
        return 1.0, "parses cleanly"
    return 0.5 * f.tsx.parse_fraction, f"syntax errors; {f.tsx.parse_fraction:.0%} of top-level statements parse"


def compiles(f: Facts) -> Graded:
    if f.code is None:
        return 0.0, f"no code ({f.extraction.problem})"
    if f.compiled is None:
        return 0.0, "not compiled: does not parse"
    if f.compiled.ok:
        return 1.0, "esbuild bundles it"
    return 0.0, "esbuild: " + "; ".join(f.compiled.errors[:3])


def complete(f: Facts) -> Graded:
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


def _render_gate(f: Facts) -> str | None:
    """Why render-gated credit is withheld, or None. No render facts (static preset) means no render gate."""
    if f.render is not None and not f.render.clean:
        return "gated: does not render cleanly"
    return None


def interactive(f: Facts) -> Graded:
    """Credit only behaviour that is wired up, from the syntax tree:
    0.40 x min(1, wired/3)   event props whose handler sets state the render reads
    0.20 x min(1, live/2)    state that is both set and rendered
    0.15 if any controlled input (value/checked from state + onChange that sets it)
    0.15 if any conditional rendering on changing state
    0.10 if lists are rendered with keys (and none without)
    minus 0.15 per dead handler or unused hook and 0.05 per unkeyed list, down to -0.5.
    """
    if not f.builds:
        return 0.0, "gated: does not parse and compile"
    if gate := _render_gate(f):
        return 0.0, gate
    t = f.tsx
    positive = (
        0.40 * min(1.0, t.wired_handlers / 3)
        + 0.20 * min(1.0, len(t.live_states) / 2)
        + 0.15 * (t.controlled_inputs > 0)
        + 0.15 * (t.conditional_renders > 0)
        + 0.10 * (t.keyed_lists > 0 and t.unkeyed_lists == 0)
    )
    penalty = min(0.5, 0.15 * (t.dead_handlers + len(t.unused_hooks)) + 0.05 * t.unkeyed_lists)
    score = max(-0.5, min(1.0, positive - penalty))
    why = (
        f"{t.wired_handlers} wired handler(s), live state {t.live_states}, {t.controlled_inputs} controlled input(s), "
        f"{t.conditional_renders} conditional render(s), {t.keyed_lists} keyed list(s)"
    )
    if penalty:
        why += f"; penalised: {t.dead_handlers} dead handler(s), unused hooks {t.unused_hooks}, {t.unkeyed_lists} unkeyed list(s)"
    return score, why


def ui_content(f: Facts, saturation: int = 25) -> Graded:
    if not f.builds:
        return 0.0, "gated: does not parse and compile"
    if gate := _render_gate(f):
        return 0.0, gate
    return min(1.0, f.tsx.jsx_elements / saturation), f"{f.tsx.jsx_elements} JSX elements"


def overlong(f: Facts, max_tokens: int | None = None, buffer_fraction: float = 0.2) -> Graded:
    """DAPO's soft overlong punishment: 0 up to (max - buffer), then linear down to -1 at max.
    Without token ids, the same shape on character length relative to the reference (buffer from 2x to 3x)."""
    if f.n_tokens is not None and max_tokens:
        buffer = max(1.0, buffer_fraction * max_tokens)
        soft = max_tokens - buffer
        score = 0.0 if f.n_tokens <= soft else max(-1.0, (soft - f.n_tokens) / buffer)
        return score, f"{f.n_tokens} tokens of {max_tokens}"
    if f.reference:
        ratio = len(f.code or f.text) / max(1, len(f.reference))
        return (0.0 if ratio <= 2 else max(-1.0, 2 - ratio)), f"{ratio:.2f}x the reference length"
    return 0.0, "length unknown"


def _render_failure(f: Facts) -> str:
    r = f.render
    if r.violations:
        return "violation: " + ", ".join(r.violations)
    if r.timed_out:
        return "ran past its time budget"
    if r.errors:
        return "error: " + r.errors[0]
    return "rendered nothing visible"


def renders(f: Facts) -> Graded:
    if not f.builds:
        return 0.0, "gated: does not parse and compile"
    if f.render is None:
        return 0.0, "not rendered"
    if f.render.clean:
        return 1.0, f"rendered {f.render.nodes} elements in {f.render.ms} ms"
    return 0.0, _render_failure(f)


def runtime_clean(f: Facts) -> Graded:
    score, why = renders(f)
    if score == 0.0:
        return 0.0, why
    r = f.render
    if r.interaction_errors:
        return 0.0, f"{r.interaction_errors} interaction(s) threw"
    return max(0.0, 1.0 - 0.25 * len(r.console_errors)), f"{len(r.console_errors)} console error(s)" + (
        f": {r.console_errors[0][:120]}" if r.console_errors else ""
    )


def interaction_effective(f: Facts) -> Graded:
    score, why = renders(f)
    if score == 0.0:
        return 0.0, why
    r = f.render
    if r.attempted == 0:
        return 0.0, "no controls to interact with"
    if r.effective == 0:
        return -0.5, f"none of {r.attempted} interactions changed anything"
    return r.effective / r.attempted, f"{r.effective} of {r.attempted} interactions changed the page"


def judge(f: Facts, met: list[bool]) -> Graded:
    """Share of the prompt's checklist items that the judge model finds met (reward/judge.py asks it); 0 unless the
    component renders cleanly, like ReLook's zero for a failed render."""
    score, why = renders(f)
    if score == 0.0:
        return 0.0, why
    return sum(met) / len(met), f"{sum(met)} of {len(met)} checklist items met"
