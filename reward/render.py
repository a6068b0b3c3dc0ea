"""Mount every component in headless Chromium, click it, and record what really happens.

The browser work runs in Node workers (reward/js/render.mjs): each worker owns one Chromium and `pages` isolated
slots; a Python process keeps `workers` of them and spreads completions over them. Results are cached by code, and
requests in flight are shared, so the render rewards of one batch (renders, runtime_clean, interaction_effective,
and the render-gated static ones) cost one render per completion between them.
"""

import asyncio
import base64
import itertools
import logging
import os
import shutil
import threading
from concurrent.futures import Future
from dataclasses import dataclass, field

from reward.cache import LRU
from reward.compiler import DEFAULT_ALLOWED
from reward.node import NodeWorker, ToolchainError, check_node_toolchain

logger = logging.getLogger(__name__)

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/snap/bin/chromium")


@dataclass(frozen=True)
class RenderOptions:
    workers: int = 1  # Node workers (one Chromium each) per Python process
    pages: int = 4  # isolated pages per browser, rendering concurrently
    budget_ms: int = 2000  # mount + interactions; the page is cut off at budget + grace
    grace_ms: int = 1000
    max_interactions: int = 12
    max_nodes: int = 20000


@dataclass
class RenderResult:
    compiled: bool = False
    mounted: bool = False
    renders: bool = False
    errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    attempted: int = 0
    effective: int = 0
    interaction_errors: int = 0
    timed_out: bool = False
    nodes: int = 0
    ms: int = 0
    screenshot: bytes | None = None

    @classmethod
    def from_worker(cls, msg: dict) -> "RenderResult":
        known = {k: msg[k] for k in cls.__dataclass_fields__ if k in msg and k != "screenshot"}
        result = cls(**known)
        if msg.get("screenshot"):
            result.screenshot = base64.b64decode(msg["screenshot"])
        return result

    @property
    def clean(self) -> bool:
        """Rendered something visible, with no uncaught error, no violation and no timeout."""
        return self.renders and not self.errors and not self.violations and not self.timed_out


def find_chromium() -> str | None:
    env = os.environ.get("GENUI_CHROMIUM")
    if env and os.path.exists(env):
        return env
    return next((p for p in CHROMIUM_CANDIDATES if os.path.exists(p)), None) or shutil.which("chromium")


def check_browser() -> None:
    """Fail at start-up, with the fix, rather than scoring every completion 0."""
    check_node_toolchain(("esbuild", "playwright-core", "react", "react-dom"))
    if find_chromium() is None:
        raise ToolchainError(
            "Chromium is needed by the render reward but was not found: run `make setup-browser` "
            "(or `apt-get install chromium`), or set GENUI_CHROMIUM to its path; "
            "use reward_preset: static to train without a browser"
        )


class RenderPool:
    def __init__(self, options: RenderOptions):
        self.options = options
        env = {"GENUI_RENDER_PAGES": str(options.pages)}
        if find_chromium():
            env["GENUI_CHROMIUM"] = find_chromium()
        self.workers = [NodeWorker(env=env) for _ in range(max(1, options.workers))]
        self._next = itertools.cycle(range(len(self.workers)))
        self._lock = threading.Lock()
        self._inflight: dict[tuple, Future] = {}
        self._done: LRU = LRU(2048)

    def submit(self, code: str, screenshot: bool = False, allowed: tuple[str, ...] = DEFAULT_ALLOWED) -> Future:
        """A future RenderResult; the same code asked twice shares one render."""
        key = (code, screenshot, allowed)
        with self._lock:
            done = self._done.get(key)
            if done is not None:
                fut: Future = Future()
                fut.set_result(done)
                return fut
            if key in self._inflight:
                return self._inflight[key]
            worker = self.workers[next(self._next)]
            o = self.options
            raw = worker.submit(
                "render", code=code, screenshot=screenshot, allowed=list(allowed), budget_ms=o.budget_ms,
                grace_ms=o.grace_ms, max_interactions=o.max_interactions, max_nodes=o.max_nodes,
            )  # fmt: skip
            fut = Future()
            self._inflight[key] = fut
        raw.add_done_callback(lambda r: self._finish(key, r, fut))
        return fut

    def _finish(self, key, raw: Future, fut: Future) -> None:
        try:
            msg = raw.result()
            if "fatal" in msg:
                raise ToolchainError(f"render worker failed: {msg['fatal']}")
            result = RenderResult.from_worker(msg)
        except Exception as err:
            with self._lock:
                self._inflight.pop(key, None)
            fut.set_exception(err)
            return
        with self._lock:
            self._inflight.pop(key, None)
            if not key[1]:  # screenshots are large: not cached
                self._done.put(key, result)
        fut.set_result(result)

    def close(self) -> None:
        for w in self.workers:
            w.close()


_pools: dict[tuple[int, RenderOptions], RenderPool] = {}


def pool(options: RenderOptions | None = None) -> RenderPool:
    options = options or RenderOptions()
    key = (os.getpid(), options)
    if key not in _pools:
        check_browser()
        _pools[key] = RenderPool(options)
    return _pools[key]


def render_many(
    codes: list[str], options: RenderOptions | None = None, screenshot: bool = False, timeout: float = 120
):
    """Render codes (concurrently across pages and workers); a failure of the machinery gives None, not an error."""
    futures = [pool(options).submit(c, screenshot) for c in codes]
    out = []
    for fut in futures:
        try:
            out.append(fut.result(timeout=timeout))
        except Exception as err:
            logger.warning("render failed for infrastructure reasons: %s", err)
            out.append(None)
    return out


async def render_many_async(codes: list[str], options: RenderOptions | None = None) -> list[RenderResult | None]:
    futures = [asyncio.wrap_future(pool(options).submit(c)) for c in codes]
    results = await asyncio.gather(*futures, return_exceptions=True)
    for r in results:
        if isinstance(r, BaseException):
            logger.warning("render failed for infrastructure reasons: %s", r)
    return [None if isinstance(r, BaseException) else r for r in results]
