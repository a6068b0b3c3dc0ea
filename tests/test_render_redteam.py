"""The render sandbox under attack, in real headless Chromium, with cases written for this suite
(tests/redteam_cases.py). Nothing here reaches a network: the only listener is a bounded one on 127.0.0.1 in this
process, and the test asserts that it receives nothing.

One batch scores every case with hostile ones interleaved between honest ones; the order must be
honest interactive > honest static >= fake > broken and hostile, and every honest copy scored right after a hostile
case must score exactly what the same component scored before any hostile case ran.
"""

import socket
import threading
import time
import warnings

import pytest

from reward import RewardArguments, graders, stats
from reward.facts import attach_renders, gather
from reward.render import RenderOptions, check_browser, render_compiled, render_many
from reward.scoring import score
from tests.conftest import fenced
from tests.redteam_cases import CASES, interleaved

ORDER = ("interactive", "static", "fake", "broken", "hostile", "leftover")


@pytest.fixture(scope="module", autouse=True)
def browser_available():
    check_browser()


@pytest.fixture(scope="module")
def batch():
    """Totals (default preset) of the interleaved batch, scored in ONE call, and the facts of each case."""
    cases = interleaved()
    rows = score([fenced(code) for _, code in cases], preset="default")
    return {name: row for (name, _), row in zip(cases, rows, strict=True)}


def test_order_holds_in_one_batch(batch):
    totals = {cls: {} for cls in ORDER}
    for name, row in batch.items():
        if "#" not in name:
            totals[CASES[name][0]][name] = row["total"]
    lo_interactive = min(totals["interactive"].items(), key=lambda kv: kv[1])
    hi_static, lo_static = max(totals["static"].items(), key=lambda kv: kv[1]), min(totals["static"].values())
    hi_fake, lo_fake = max(totals["fake"].items(), key=lambda kv: kv[1]), min(totals["fake"].values())
    hi_bad = max({**totals["broken"], **totals["hostile"]}.items(), key=lambda kv: kv[1])
    assert lo_interactive[1] > hi_static[1], f"honest interactive {lo_interactive} <= honest static {hi_static}"
    assert lo_static >= hi_fake[1], f"fake {hi_fake} above honest static ({lo_static})"
    assert lo_fake > hi_bad[1], f"broken/hostile {hi_bad} at or above a fake ({lo_fake})"
    assert max(totals["leftover"].values()) < lo_static


# Honest components whose score depends on nothing but their code (no timers, no asynchronous browser APIs).
DETERMINISTIC = ["reducer_counter", "custom_hook_toggle", "class_component", "context_theme", "refs_and_input",
                 "hover_card", "drag_and_drop", "range_slider", "clickable_cards", "signup_form", "hash_tabs",
                 "local_storage_notes", "wizard", "filters", "modal", "static_hero", "static_pricing"]  # fmt: skip


def test_hostile_cases_leave_nothing_behind():
    # One page, one completion after another: every fake, broken or hostile case is followed on the same page by
    # an honest one, which must score exactly what it scores alone (same components, not just the same total).
    # One page, so every completion follows the previous one on it.
    section = RewardArguments(render_pages=1, render_grace_ms=1500)
    others = [n for n, (cls, _) in CASES.items() if cls not in ("interactive", "static")]
    sequence, honest_after = [], {}
    for i, name in enumerate(others):
        h = DETERMINISTIC[i % len(DETERMINISTIC)]
        copy = f"(globalThis as any).copyOf = '{name}';\n{CASES[h][1]}"  # new compiled code: no cache answers
        sequence += [CASES[name][1], copy]
        honest_after[name] = (h, copy)
    rows = score([fenced(c) for c in sequence], preset=section)
    after = {name: rows[2 * i + 1]["components"] for i, name in enumerate(others)}
    alone = {h: score([fenced(f"(globalThis as any).copyOf = 'alone';\n{CASES[h][1]}")], preset=section)[0][
        "components"
    ] for h in {h for h, _ in honest_after.values()}}  # fmt: skip
    changed = {name: (honest_after[name][0], after[name], alone[honest_after[name][0]])
               for name in others if after[name] != alone[honest_after[name][0]]}  # fmt: skip
    # A carry-over is a property of the pair: it happens again when the pair runs again. Once in a while a render
    # changes for reasons of its own (a busy machine stretching an interaction's settle window), which says nothing
    # about carry-over: such a case is run again, hostile then honest on the same page, and judged on that run.
    for name in list(changed):
        h, copy = honest_after[name]
        fresh = "(globalThis as any).again = 1;\n"  # new compiled code: no cache answers (comments do not survive)
        again = score([fenced(fresh + CASES[name][1]), fenced(fresh + copy)], preset=section)[1]
        if again["components"] == alone[h]:
            warnings.warn(f"{name} -> {h} differed once and not again: {changed.pop(name)}", stacklevel=1)
    assert not changed, changed


def render_one(code: str, options: RenderOptions | None = None):
    return attach_renders(gather([fenced(code)]), options)[0]


class TestTwins:
    # Each fake next to the honest component it imitates: the fake's controls change nothing a user sees.
    @pytest.mark.parametrize(
        "fake,honest",
        [
            ("hidden_counter", "reducer_counter"),
            ("data_attribute_counter", "class_component"),
            ("aria_hidden_counter", "custom_hook_toggle"),
            ("sr_only_counter", "context_theme"),
            ("offscreen_counter", "clickable_cards"),
            ("transparent_counter", "modal"),
            ("same_value_setters", "hash_tabs"),
            ("ticker_dead_buttons", "live_leaderboard"),
            ("window_listener_hidden", "wizard"),
            ("tamper_innerhtml", "filters"),
            ("headless_detection", "signup_form"),
        ],
    )
    def test_fake_controls_are_dead_and_honest_ones_work(self, fake, honest, batch):
        assert batch[fake]["components"]["interaction_effective"] == -0.5, batch[fake]
        assert batch[fake]["components"]["interactive"] == 0.0  # the syntax tree's credit is withdrawn too
        assert batch[honest]["components"]["interaction_effective"] > 0, batch[honest]

    def test_silenced_console_still_reports_missing_keys(self, batch):
        # tamper_globals replaces console.error and MutationObserver and overwrites the old commit counter
        assert batch["tamper_globals"]["components"]["runtime_clean"] == 0.75

    def test_user_interactions_beyond_buttons(self, batch):
        # keyboard, hover, drag and drop, range inputs and clickable divs all earn interaction credit
        for name in ("keyboard_board", "hover_card", "drag_and_drop", "range_slider", "clickable_cards"):
            assert batch[name]["components"]["interaction_effective"] > 0, (name, batch[name])

    def test_time_passing_is_its_own_signal(self, batch):
        for name in ("live_leaderboard", "simulated_loading"):
            assert batch[name]["components"]["live_updates"] == 1.0, batch[name]
        for name in ("static_hero", "reducer_counter"):
            assert batch[name]["components"]["live_updates"] == 0.0, batch[name]

    def test_secure_origin_page(self, batch):
        # localStorage, crypto.randomUUID and the clipboard work; href="#" is normal; alert() costs only a little
        for name in ("local_storage_notes", "copy_button", "hash_tabs", "alert_feedback"):
            assert batch[name]["components"]["renders"] == 1.0, (name, batch[name])
            assert batch[name]["components"]["interaction_effective"] > 0, (name, batch[name])
        assert batch["alert_feedback"]["components"]["runtime_clean"] == pytest.approx(0.9)

    def test_hostile_cases_fail(self, batch):
        for name, (cls, _) in CASES.items():
            if cls in ("hostile", "broken"):
                assert batch[name]["components"]["renders"] == 0.0, (name, batch[name])


def test_form_submits_and_external_links_are_recorded_not_failed():
    f = render_one(
        """import { useState } from 'react';
export default function App() {
  const [q, setQ] = useState('');
  return (
    <div className="p-6">
      <form action="/search"><input value={q} onChange={(e) => setQ(e.target.value)} /><button>Search</button></form>
      <a href="https://example.com/docs">Docs</a>
      <p>Query: {q}</p>
    </div>
  );
}"""
    )
    r = f.render
    assert r.clean, r
    assert r.events.get("form_submit") and r.events.get("link"), r.events
    assert graders.renders(f)[0] == 1.0


def test_error_while_clicking_costs_runtime_clean_not_the_render():
    f = render_one(
        """import { useState } from 'react';
export default function App() {
  const [n, setN] = useState(0);
  return <div className="p-6"><p>{n}</p><button onClick={() => setN(n + 1)}>Add</button>
    <button onClick={() => { throw new Error('boom'); }}>Break</button></div>;
}"""
    )
    assert graders.renders(f)[0] == 1.0
    assert f.render.interaction_errors == 1 and f.render.effective == 1
    assert graders.runtime_clean(f)[0] == 0.5


def test_infrastructure_failure_is_none_and_counted(monkeypatch):
    import reward.render as render_mod

    class Broken:
        def submit(self, js, screenshot=False):
            raise render_mod.ToolchainError("render worker is not accepting requests")

    monkeypatch.setattr(render_mod, "pool", lambda *args, **kwargs: Broken())
    before = stats.snapshot().get("render_infra_failures", 0)
    assert render_compiled(["module.exports = {}"]) == [None]
    assert stats.snapshot()["render_infra_failures"] == before + 1


def test_worker_refuses_a_request_without_every_option():
    from reward.node import NodeWorker

    w = NodeWorker()
    try:
        msg = w.submit("render", js="", options={"pages": 1}).result(timeout=30)
    finally:
        w.close()
    assert "fatal" in msg and "budget_ms" in msg["fatal"]


# Everything a page can use to reach the network, aimed at a listener of ours on 127.0.0.1.
def leaks(port: int) -> str:
    url = f"http://127.0.0.1:{port}"
    worker_src = f"new WebSocket('ws://127.0.0.1:{port}/w'); fetch('{url}/wf').catch(() => {{}});"
    iframe_src = f"<script>navigator.sendBeacon('{url}/b', 'x'); new WebSocket('ws://127.0.0.1:{port}/i')</script>"
    return f"""import {{ useEffect }} from 'react';
export default function App() {{
  useEffect(() => {{
    fetch('{url}/fetch').catch(() => {{}});
    const x = new XMLHttpRequest(); x.open('GET', '{url}/xhr'); x.onerror = () => {{}}; x.send();
    try {{ new WebSocket('ws://127.0.0.1:{port}/ws'); }} catch {{}}
    try {{ new EventSource('{url}/sse'); }} catch {{}}
    navigator.sendBeacon('{url}/beacon', 'x');
    new Worker(URL.createObjectURL(new Blob([{worker_src!r}], {{ type: 'text/javascript' }})));
    const pc = new RTCPeerConnection({{ iceServers: [{{ urls: 'stun:127.0.0.1:{port}' }}, {{ urls: 'turn:127.0.0.1:{port}', username: 'u', credential: 'c' }}] }});
    pc.createDataChannel('d'); pc.createOffer().then((o) => pc.setLocalDescription(o)).catch(() => {{}});
    new Function('u', 'return import(u)')('{url}/dyn.js').catch(() => {{}});
  }}, []);
  return (
    <div className="p-6">
      <link rel="prefetch" href="{url}/prefetch" /><link rel="preconnect" href="{url}" /><link rel="stylesheet" href="{url}/s.css" />
      <img src="{url.replace("127.0.0.1", "localhost")}/img.png" alt="" />
      <div style={{{{ backgroundImage: 'url({url}/bg.png)' }}}}>bg</div>
      <style>{{'@import url({url}/imp.css);'}}</style>
      <iframe srcDoc={iframe_src!r} title="x" />
      <p>leaky</p>
    </div>
  );
}}"""


class Listener:
    """A bounded TCP + UDP listener on 127.0.0.1: records whatever arrives, stops by itself."""

    def __init__(self, seconds: float = 60):
        self.tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.tcp.bind(("127.0.0.1", 0))
        self.port = self.tcp.getsockname()[1]
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(("127.0.0.1", self.port))
        self.tcp.listen(16)
        self.tcp.settimeout(0.2)
        self.udp.settimeout(0.2)
        self.received: list[str] = []
        self.deadline = time.monotonic() + seconds
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=f, daemon=True) for f in (self._tcp, self._udp)]
        for t in self.threads:
            t.start()

    def _tcp(self):
        while not self.stop.is_set() and time.monotonic() < self.deadline:
            try:
                conn, _ = self.tcp.accept()
            except OSError:
                continue
            conn.settimeout(0.5)
            try:
                self.received.append("tcp: " + conn.recv(200).decode(errors="replace"))
            except OSError:
                self.received.append("tcp connection")
            conn.close()

    def _udp(self):
        while not self.stop.is_set() and time.monotonic() < self.deadline:
            try:
                data, _ = self.udp.recvfrom(2048)
                self.received.append(f"udp: {data[:40]!r}")
            except OSError:
                continue

    def close(self):
        self.stop.set()
        for t in self.threads:
            t.join()
        self.tcp.close()
        self.udp.close()


@pytest.mark.parametrize("isolation", ["namespace", "flags"])
def test_nothing_reaches_a_loopback_listener(isolation):
    listener = Listener()
    try:
        options = RenderOptions(pages=2, isolation=isolation)
        (result,) = render_many([leaks(listener.port)], options)
        time.sleep(1.0)  # anything in flight (WebRTC retries, late beacons) has time to arrive
    finally:
        listener.close()
    assert result is not None and "network" in result.violations  # the attempts are seen and scored
    assert listener.received == [], listener.received
