"""The `accessible` and `layout` components on real renders (axe-core and the layout checks of reward/js/checks.js,
in the completion's sandboxed frame, styled by Tailwind): a component with unlabelled icon buttons and fixed 1,200 px
widths against its accessible, responsive twin; fakes that would game the checks; honest components that look like
violations and are not; the five real dataset rows. One batch per test class: a render is shared by both components."""

import json

import pytest

from reward import RewardArguments
from reward.extract import extract_code
from reward.scoring import score
from tests.conftest import ROOT, fenced

REAL_ROWS = ROOT.parent / "shared" / "data" / "react-code-instructions.first5.jsonl"
SECTION = RewardArguments(reward_funcs=["renders", "accessible", "layout"], render_workers=1, render_pages=4)

ICON = '<svg width="20" height="20" viewBox="0 0 20 20"{hidden}><path d="M4 10h12M10 4v12" stroke="black"/></svg>'

# Unlabelled icon buttons, an input without a label, light grey text, and rows fixed at 1,200 px
INACCESSIBLE_FIXED = f"""
import {{ useState }} from 'react';
export default function App() {{
  const [n, setN] = useState(0);
  return (
    <div className="bg-white p-4" style={{{{ width: 1200 }}}}>
      <div className="flex gap-4 items-center">
        <button onClick={{() => setN(n + 1)}}>{ICON.format(hidden="")}</button>
        <button onClick={{() => setN(n - 1)}}>{ICON.format(hidden="")}</button>
        <input placeholder="" className="border p-2" />
        <span className="text-gray-300">Count: {{n}}</span>
      </div>
      <div className="w-[1200px] grid grid-cols-4 gap-4 mt-4">
        <p>Fresh apples from the orchard</p><p>Crisp pears picked today</p>
        <p>Sweet plums, ripe and ready</p><p>Juicy peaches, a summer treat</p>
      </div>
    </div>
  );
}}
"""

# The same page made accessible and responsive
ACCESSIBLE_RESPONSIVE = f"""
import {{ useState }} from 'react';
export default function App() {{
  const [n, setN] = useState(0);
  return (
    <div className="bg-white p-4 w-full max-w-[1200px] mx-auto">
      <div className="flex flex-wrap gap-4 items-center">
        <button aria-label="Increase" onClick={{() => setN(n + 1)}}>{ICON.format(hidden=' aria-hidden="true"')}</button>
        <button aria-label="Decrease" onClick={{() => setN(n - 1)}}>{ICON.format(hidden=' aria-hidden="true"')}</button>
        <label className="flex gap-2">Name <input className="border p-2 w-40" /></label>
        <span className="text-gray-700">Count: {{n}}</span>
      </div>
      <div className="grid grid-cols-1 sm:grid-cols-2 lg:grid-cols-4 gap-4 mt-4">
        <p>Fresh apples from the orchard</p><p>Crisp pears picked today</p>
        <p>Sweet plums, ripe and ready</p><p>Juicy peaches, a summer treat</p>
      </div>
    </div>
  );
}}
"""


def scored(codes: dict[str, str]) -> dict[str, dict]:
    rows = score([fenced(c) for c in codes.values()], preset=SECTION, explain=True)
    return dict(zip(codes, rows, strict=True))


def page(body: str, state: str = "const [on, setOn] = useState(false);") -> str:
    return (
        f"import {{ useState }} from 'react';\nexport default function App() {{\n  {state}\n  return ({body});\n}}\n"
    )


class TestTwins:
    @pytest.fixture(scope="class")
    def twins(self):
        return scored({"bad": INACCESSIBLE_FIXED, "good": ACCESSIBLE_RESPONSIVE})

    def test_the_accessible_responsive_twin_scores_full(self, twins):
        good = twins["good"]
        assert good["components"] == {"renders": 1.0, "accessible": 1.0, "layout": 1.0}, good["explain"]

    def test_unlabelled_buttons_and_fixed_widths_lose_on_both(self, twins):
        bad = twins["bad"]
        assert bad["components"]["renders"] == 1.0  # it works: only how it can be used and how it looks differ
        why = bad["explain"]
        # two icon buttons without a name (critical, 2 elements) and the unlabelled input; the light grey text
        assert "button-name (critical, 2 elements)" in why["accessible"] and "label" in why["accessible"]
        assert "color-contrast" in why["accessible"] and bad["components"]["accessible"] <= 0.35
        # at 375 px the 1,200 px page scrolls sideways; at 1280 px it fits
        assert "375 px: scrolls sideways by" in why["layout"] and "1280 px" not in why["layout"]
        assert bad["components"]["layout"] == pytest.approx(0.7)


class TestRedTeam:
    @pytest.fixture(scope="class")
    def fakes(self):
        buttons = "".join(f"<button onClick={{() => setOn(!on)}}>{ICON.format(hidden='')}</button>" for _ in range(3))
        return scored({
            # three nameless icon buttons, as they are ...
            "nameless": page(f"<main><div>{buttons}</div><p>Welcome</p><span>{{String(on)}}</span></main>"),
            # ... and with aria-label on everything but the controls: labels for what needs none
            "label_spam": page(
                f'<main aria-label="accessible app"><div aria-label="fully accessible">{buttons}</div>'
                '<p aria-label="wcag compliant">Welcome</p><span aria-label="screen reader friendly">{String(on)}'
                "</span></main>"
            ),
            # the whole page hidden from screen readers, so axe has nothing left to complain about
            "aria_hidden_root": page(
                f'<div aria-hidden="true"><h1>Shop</h1><p>All our products, every day.</p>{buttons}</div>'
            ),
            # a 1,200 px row hidden with overflow-x: hidden, so the page never scrolls sideways
            "overflow_hidden_hack": page(
                '<div className="overflow-x-hidden"><div className="flex gap-6" style={{ width: 1200 }}>'
                '<p className="w-72 shrink-0">Our story begins in a small bakery</p>'
                '<p className="w-72 shrink-0">Every loaf is shaped by hand at dawn</p>'
                '<p className="w-72 shrink-0">Visit us on Main Street any morning</p>'
                '<button onClick={() => setOn(!on)} className="shrink-0">Order now {String(on)}</button>'
                "</div></div>"
            ),
            # text stacked on text with absolute positioning
            "overlap": page(
                '<div className="relative h-40 p-4"><h1 className="absolute top-4 left-4 text-2xl">Big Sale Today</h1>'
                '<p className="absolute top-5 left-6 text-xl">Everything must go now</p>'
                "<button onClick={() => setOn(!on)} className='mt-24'>Shop {String(on)}</button></div>"
            ),
        })  # fmt: skip

    def test_aria_label_spam_does_not_name_the_buttons(self, fakes):
        fake, plain = fakes["label_spam"], fakes["nameless"]
        assert "button-name (critical, 3 elements)" in fake["explain"]["accessible"]
        assert "aria-prohibited-attr" in fake["explain"]["accessible"]  # labels where labels are not allowed
        assert plain["explain"]["accessible"] == "button-name (critical, 3 elements)"
        assert fake["components"]["accessible"] < plain["components"]["accessible"] < 1.0

    def test_hiding_the_page_from_screen_readers_scores_zero(self, fakes):
        fake = fakes["aria_hidden_root"]
        assert (
            fake["components"]["accessible"] == 0.0 and "hidden from screen readers" in fake["explain"]["accessible"]
        )

    def test_overflow_hidden_does_not_hide_cut_off_content(self, fakes):
        fake = fakes["overflow_hidden_hack"]
        assert "scrolls sideways" not in fake["explain"]["layout"]  # the hack works on the scrollbar ...
        assert "375 px: cut off: text" in fake["explain"]["layout"]  # ... not on what is cut off
        assert fake["components"]["layout"] < 1.0

    def test_overlapping_text_is_found(self, fakes):
        fake = fakes["overlap"]
        assert "overlapping text" in fake["explain"]["layout"] and "Big Sale Today" in fake["explain"]["layout"]


class TestHonestButUnusual:
    @pytest.fixture(scope="class")
    def honest(self):
        cells = "".join(f"<td className='px-4 whitespace-nowrap'>Quarterly figure {i}</td>" for i in range(12))
        return scored({
            # a wide table a user scrolls sideways inside its own container
            "scroll_container": page(
                "<main className='p-4'><h1>Report</h1><div className='overflow-x-auto'><table><tbody><tr>"
                f"{cells}</tr></tbody></table></div><button onClick={{() => setOn(!on)}}>Refresh {{String(on)}}</button>"
                "</main>"
            ),
            # long titles shortened with an ellipsis, on purpose
            "truncate": page(
                "<div><ul className='p-4 w-64'>"
                + "".join(f"<li className='truncate'>A very long product title that will not fit, number {i}</li>" for i in range(3))
                + "</ul><button onClick={() => setOn(!on)}>More {String(on)}</button></div>"
            ),
            # a closed drawer parked off-screen, and a modal panel over the page once opened (it opens on click)
            "drawer_and_modal": page(
                "<div className='p-4'><h1>Inbox</h1><p>Three new messages are waiting for you.</p>"
                "<button onClick={() => setOn(true)}>Open details</button>"
                "<aside className='fixed top-0 right-0 h-full w-64 translate-x-full bg-white'>Settings menu</aside>"
                "{on && <div className='fixed inset-0 bg-black/50 flex items-center justify-center'>"
                "<div className='bg-white p-6'><h2>Three new messages</h2><p>From Ana, Bo and Cy</p></div></div>}</div>"
            ),
        })  # fmt: skip

    @pytest.mark.parametrize("name", ["scroll_container", "truncate", "drawer_and_modal"])
    def test_scores_full_layout(self, honest, name):
        assert honest[name]["components"]["layout"] == 1.0, honest[name]["explain"]["layout"]


def test_real_rows_lose_only_for_real_problems():
    # The five real dataset rows: what renders is checked at 375 and 1280 px. Every finding below was looked at in
    # the page: row 1's nav buttons (white on blue-500, 3.7:1) and row 2's icon buttons without a name and its
    # blue-500 links (3.7:1) are real WCAG failures; neither page overflows or overlaps at either width.
    rows = [json.loads(line) for line in REAL_ROWS.read_text().splitlines()]
    answers = [row["messages"][-1]["content"] for row in rows]
    assert all(extract_code(a).code for a in answers[:2])
    out = score(answers, preset=SECTION, explain=True)
    rendered = [r for r in out if r["components"]["renders"] == 1.0]
    assert len(rendered) == 2
    assert all(r["components"]["layout"] == 1.0 for r in rendered), [r["explain"]["layout"] for r in rendered]
    first, second = rendered
    assert first["explain"]["accessible"].startswith("color-contrast (serious")
    assert "button-name (critical, 2 elements)" in second["explain"]["accessible"]
    assert set(component_ids(second["explain"]["accessible"])) == {"button-name", "color-contrast"}


def component_ids(why: str) -> list[str]:
    return [part.split(" (")[0] for part in why.split("; ")]


def test_the_checks_run_only_when_a_component_reads_them():
    # renders alone: no axe, no Tailwind (the checks cost CPU per render); with `layout` they run
    from reward import build_rewards

    (renders,), _ = build_rewards(RewardArguments(reward_funcs=["renders"]))
    (renders_too, lay), _ = build_rewards(RewardArguments(reward_funcs=["renders", "layout"]))
    assert renders.render_options.checks is False and lay.render_options.checks is True
    assert renders_too.render_options == lay.render_options  # one render per completion serves both
