"""The render tier in real headless Chromium: honest components render and respond to clicks; every hostile case is
scored as failed within its budget and leaves the pool healthy. No network (the worker has none; see
tests/test_render_redteam.py for the listener test and the red-team suite)."""

import dataclasses
import json
import subprocess
import sys

import pytest

from reward import RewardArguments, build_rewards, graders
from reward.facts import attach_renders, gather
from reward.node import ToolchainError
from reward.registry import grade
from reward.render import RenderOptions, check_browser
from tests.conftest import ROOT, component, fenced

# Short budget to keep hostile cases quick; 2 pages so a hung page and a healthy one coexist.
OPTIONS = RenderOptions(workers=1, pages=2, budget_ms=1000, grace_ms=2000)

HOSTILE = {
    # Module-scope infinite loop: the page's JS never returns; cut off by Runtime.terminateExecution
    "hang": "while (true) {}\nexport default function App() { return <div>hi</div>; }",
    # Effect without deps that sets state: re-renders forever
    "render_loop": """import { useEffect, useState } from 'react';
export default function App() { const [n, setN] = useState(0); useEffect(() => { setN(n + 1); }); return <p>{n}</p>; }""",
    # A flood of dialogs (one alert is only a UX penalty, see test_one_dialog_is_a_small_penalty)
    "dialog_flood": "export default function App() { for (let i = 0; i < 6; i++) alert('hi'); return <div>x</div>; }",
    # Navigates away
    "navigation": "export default function App() { window.location.href = 'http://example.com/'; return <div>x</div>; }",
    # Opens windows without being asked
    "window_open": "export default function App() { window.open('http://example.com/'); return <div>x</div>; }",
    # Tries the network (a private address: it must never leave the page)
    "network": """import { useEffect } from 'react';
export default function App() { useEffect(() => { fetch('http://10.1.2.3/steal').catch(() => {}); }, []); return <div>x</div>; }""",
    # A 200k-node DOM
    "huge_dom": "export default function App() { return <div>{Array.from({ length: 200000 }, (_, i) => <i key={i}>.</i>)}</div>; }",
    # A hang scheduled after the render returns
    "late_hang": "export default function App() { requestAnimationFrame(() => { while (true) {} }); return <div>x</div>; }",
}


def render(code: str):
    facts = attach_renders(gather([fenced(code)]), OPTIONS)[0]
    return facts


@pytest.fixture(scope="module", autouse=True)
def browser_available():
    check_browser()  # CI installs Chromium (make setup-browser); a missing browser is a setup failure, not a skip


class TestHonest:
    def test_interactive_component(self):
        f = render(component("12"))  # calculator: every button changes the display
        assert f.render.clean and f.render.attempted == 12 and f.render.effective >= 10
        assert graders.interaction_effective(f)[0] > 0.8 and graders.runtime_clean(f)[0] == 1.0

    def test_local_storage_component(self):
        # The notes app saves to localStorage: on a secure origin it renders and works (it failed on about:blank)
        f = render(component("21"))
        assert f.render.clean and f.render.effective >= 1, f.render

    def test_one_dialog_is_a_small_penalty(self):
        f = render("export default function App() { alert('Welcome!'); return <h1>Shop</h1>; }")
        assert f.render.clean and f.render.dialogs == 1
        assert graders.renders(f)[0] == 1.0 and graders.runtime_clean(f)[0] == pytest.approx(0.9)

    def test_static_component(self):
        f = render(component("18"))
        assert f.render.clean and f.render.attempted == 0
        assert graders.renders(f)[0] == 1.0 and graders.interaction_effective(f)[0] == 0.0

    def test_throws_on_first_render(self):
        f = render(
            "export default function App() { const d: any = undefined; return <ul>{d.map((x: any) => <li key={x}/>)}</ul>; }"
        )
        assert not f.render.renders and "Cannot read properties of undefined" in f.render.errors[0]
        assert graders.renders(f)[0] == 0.0 and grade("interactive", f)[0] == 0.0  # render-gated

    def test_missing_keys_are_console_errors(self):
        f = render("export default function App() { return <ul>{['a', 'b'].map((x) => <li>{x}</li>)}</ul>; }")
        assert f.render.renders and any("key" in e for e in f.render.console_errors)
        assert graders.runtime_clean(f)[0] == 0.75

    def test_buttons_that_do_nothing(self):
        f = render(
            "export default function App() { return <div><button onClick={() => {}}>A</button><button>B</button></div>; }"
        )
        assert f.render.attempted == 2 and f.render.effective == 0
        assert graders.interaction_effective(f)[0] == -0.5

    def test_frames_run_in_the_scoring_page(self):
        # Animation frames, IntersectionObserver and CSS transitions all need the browser to produce frames. Chromium
        # flags that save CPU by not compositing (--disable-threaded-compositing saved ~20% per completion) stop
        # them: the button below then never appears and the page looks static.
        f = render("""import { useEffect, useRef, useState } from 'react';
export default function App() {
  const [frames, setFrames] = useState(0); const [seen, setSeen] = useState(false); const [faded, setFaded] = useState(false);
  const ref = useRef<HTMLParagraphElement>(null);
  useEffect(() => { let id = 0, n = 0; const f = () => { setFrames(++n); if (n < 100) id = requestAnimationFrame(f); };
    id = requestAnimationFrame(f); return () => cancelAnimationFrame(id); }, []);
  useEffect(() => { const io = new IntersectionObserver((es) => setSeen(es[0].isIntersecting)); io.observe(ref.current!);
    return () => io.disconnect(); }, []);
  useEffect(() => { const el = ref.current!; el.addEventListener('transitionend', () => setFaded(true));
    requestAnimationFrame(() => requestAnimationFrame(() => { el.style.opacity = '0.5'; })); }, []);
  return <main><p ref={ref} style={{ transition: 'opacity 30ms' }}>Welcome</p>
    {frames > 5 && seen && faded ? <button onClick={() => setFaded(false)}>Continue</button> : null}</main>;
}""")
        assert f.render.clean and f.render.attempted == 1 and f.render.effective == 1, f.render

    def test_renders_nothing(self):
        f = render("export default function App() { return null; }")
        assert not f.render.renders and graders.renders(f)[0] == 0.0

    def test_screenshot(self):
        from reward.render import render_many

        (result,) = render_many([component("05")], OPTIONS, screenshot=True)
        assert result.renders and result.screenshot[:8] == b"\x89PNG\r\n\x1a\n" and len(result.screenshot) > 5000


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_case_fails_and_pool_stays_healthy(case):
    f = render(HOSTILE[case])
    assert f.render is not None, "the pool itself failed"
    assert not f.render.clean
    assert graders.renders(f)[0] == 0.0
    expected = {"hang": None, "huge_dom": None, "late_hang": None, "render_loop": None}.get(case, case)
    if expected:
        assert expected in f.render.violations, f.render
    else:
        # stopped by the budget, flagged, or killed at the renderer's memory limit: each a failed render (scored 0)
        assert f.render.timed_out or f.render.violations or f.render.crashed, f.render
    # The same pool renders an honest component correctly right afterwards
    after = render(component("24") + f"\n// after {case}")
    assert after.render.clean and after.render.effective > 0


def test_default_preset_ranking_via_cli():
    # Honest interactive > honest static > throws / loops / does nothing when clicked
    rows = {
        "interactive": fenced(component("04")),
        "static": fenced(component("19")),
        "throws": fenced("export default function App() { throw new Error('boom'); }"),
        "loops": fenced(HOSTILE["hang"]),
        "does_nothing": fenced(
            "import { useState } from 'react';\nexport default function App() { const [n, setN] = useState(0);"
            " return <div><p>Count {n}</p><button onClick={() => setN(n)}>Add</button></div>; }"
        ),
    }
    stdin = "\n".join(json.dumps({"id": k, "completion": v}) for k, v in rows.items())
    proc = subprocess.run(
        [sys.executable, "-m", "reward", "score", "--preset", "default"],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    total = {json.loads(line)["id"]: json.loads(line)["total"] for line in proc.stdout.splitlines()}
    assert total["interactive"] > total["static"] > max(total["throws"], total["loops"], total["does_nothing"])


def test_missing_chromium_fails_at_startup(monkeypatch):
    import reward.render as render_mod

    monkeypatch.setattr(render_mod, "find_chromium", lambda: None)
    with pytest.raises(ToolchainError, match="apt-get install chromium"):
        build_rewards("default")
    # The static preset needs no browser
    assert build_rewards("static")[0]


def test_render_rewards_are_async_and_share_one_render():
    import asyncio
    import inspect

    section = RewardArguments(**{f"render_{k}": v for k, v in dataclasses.asdict(OPTIONS).items()})
    funcs, _ = build_rewards(section)
    async_names = {f.__name__ for f in funcs if inspect.iscoroutinefunction(f.__call__)}
    assert async_names == {
        "renders",
        "runtime_clean",
        "interaction_effective",
        "live_updates",
        "accessible",
        "layout",
        "interactive",
        "ui_content",
    }
    completions = [fenced(component("16") + "\n// shared")]

    async def run_all():
        return await asyncio.gather(*(f(completions=completions) for f in funcs if f.__name__ in async_names))

    results = asyncio.run(run_all())
    assert all(len(r) == 1 and r[0] is not None for r in results)


def test_every_render_option_is_sent_and_required_by_the_worker():
    # One definition of every knob (RenderOptions); the Node side requires each one by name and has no defaults.
    import dataclasses
    import re

    from reward.render import RenderOptions

    source = (ROOT / "reward" / "js" / "worker.mjs").read_text()
    listed = set(re.findall(r"'(\w+)'", re.search(r"RENDER_OPTIONS = \[(.*?)\]", source, re.S).group(1)))
    fields = {f.name for f in dataclasses.fields(RenderOptions)}
    assert listed == fields | {"run_as"}  # run_as: the uid/gid resolved from sandbox_user on this machine
    assert all(f.metadata.get("help") for f in dataclasses.fields(RenderOptions))
    js = "".join((ROOT / "reward" / "js" / name).read_text() for name in ("render.mjs", "measure.js", "worker.mjs"))
    assert not re.search(r"opts\.\w+ \?\?", js), "a render option with a JS-side default"
