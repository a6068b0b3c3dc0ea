"""Mount every component in headless Chromium, act on it like a user, and record what a user would see.

The browser work runs in Node workers (reward/js/render.mjs): each worker owns one Chromium and `pages` slots (a page
in a browser context of its own); a Python process keeps `workers` of them and spreads completions over them. Every
completion gets a fresh document at its own origin, so nothing one completion does reaches the next. Results are
cached by compiled code, and requests in flight are shared, so the render rewards of one batch (renders,
runtime_clean, interaction_effective, live_updates and the render-gated static ones) cost one render per completion.

Isolation (RenderOptions.isolation), from the outside in:
    namespace  the worker (Node + Chromium) runs in its own network namespace with only a loopback interface, which
               is down: `unshare --net` as root, `unshare --map-current-user --net` for a normal user
    flags      where no namespace can be made: every scheme through a proxy that does not exist, no host name
               resolves, WebRTC may not send UDP past the proxy
    sandbox    Chromium's own sandbox stays on; as root the browser runs as `sandbox_user`, since Chromium refuses to
               sandbox as root. Only where the kernel forbids it does the worker fall back to --no-sandbox (logged)
The mode in force is logged once per process.
"""

import asyncio
import base64
import dataclasses
import itertools
import logging
import os
import pwd
import shutil
import subprocess
import threading
from concurrent.futures import Future
from dataclasses import dataclass, field

from reward import stats
from reward.cache import LRU
from reward.compiler import DEFAULT_ALLOWED, compile_many
from reward.node import NodeWorker, ToolchainError, check_node_toolchain, node_modules

logger = logging.getLogger(__name__)

CHROMIUM_CANDIDATES = (
    "/usr/lib/chromium/chromium",
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/snap/bin/chromium",
)
ISOLATION_MODES = ("auto", "namespace", "flags", "none")


@dataclass(frozen=True)
class RenderOptions:
    """Every knob of the render tier (the Node side has no defaults of its own; each request carries all of these)."""

    workers: int = field(default=1, metadata={"help": "Node workers (one Chromium each) per Python process."})
    pages: int = field(
        default=8, metadata={"help": "Pages per browser rendering concurrently, each in its own browser context."}
    )
    budget_ms: int = field(
        default=2000, metadata={"help": "Time for mounting and acting on one completion; cut off at budget + grace."}
    )
    grace_ms: int = field(
        default=3000,
        metadata={"help": "Extra time before a stuck page is stopped from outside (room for a busy machine)."},
    )
    idle_ms: int = field(
        default=150,
        metadata={"help": "Window without action after mounting: loads that resolve, self-updates, render loops."},
    )
    live_ms: int = field(
        default=250, metadata={"help": "Window without action after the interactions: does the page update itself?"}
    )
    settle_turns: int = field(
        default=3,
        metadata={"help": "Event-loop turns waited after each action, and (the control) before it, without acting."},
    )
    settle_ms: int = field(
        default=100, metadata={"help": "When an action changed nothing at once, look again this much later."}
    )
    max_commits_per_s: int = field(
        default=400, metadata={"help": "React commits per second, while idle, above which it is a render loop."}
    )
    max_idle_cpu: float = field(
        default=0.1,
        metadata={
            "help": "Share of wall time the page's main thread computes while nobody acts and nothing visible "
            "changes, above which it is a CPU hog."
        },
    )
    max_interactions: int = field(default=12, metadata={"help": "Interactions per completion at most."})
    max_per_signature: int = field(
        default=1, metadata={"help": "Interactions with identical-looking controls at most (a wall of buttons)."}
    )
    max_nodes: int = field(default=20000, metadata={"help": "A DOM larger than this is a violation."})
    memory_mb: int = field(
        default=1024, metadata={"help": "Memory one browser process may allocate (RLIMIT_DATA); more crashes it."}
    )
    viewport_width: int = field(default=1024, metadata={"help": "Viewport width in CSS pixels."})
    viewport_height: int = field(default=768, metadata={"help": "Viewport height in CSS pixels."})
    isolation: str = field(
        default="auto",
        metadata={
            "help": "Network isolation: 'namespace', 'flags', 'auto' (namespace where possible, else flags), "
            "or 'none' (measurements only)."
        },
    )
    sandbox: bool = field(default=True, metadata={"help": "Keep Chromium's sandbox on (off only where impossible)."})
    sandbox_user: str = field(
        default="nobody", metadata={"help": "When running as root, the unprivileged user the browser runs as."}
    )
    screenshot_wait_ms: int = field(
        default=150, metadata={"help": "Screenshots: time for Tailwind's browser build to style the page."}
    )

    def __post_init__(self):
        if self.isolation not in ISOLATION_MODES:
            raise ValueError(f"render isolation must be one of {ISOLATION_MODES}, got {self.isolation!r}")
        numbers = {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.type in (int, "int")}
        bad = {k: v for k, v in numbers.items() if v < 0 or (v == 0 and k in ("workers", "pages", "budget_ms"))}
        if bad:
            wrong = ", ".join(f"render_{k}={v}" for k, v in bad.items())
            raise ValueError(f"{wrong}: render settings must be >= 0, and workers, pages and budget_ms > 0")


@dataclass
class RenderResult:
    compiled: bool = True
    mounted: bool = False
    renders: bool = False
    errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    events: dict[str, int] = field(default_factory=dict)  # dialogs, prevented link clicks/form submits, requests
    attempted: int = 0  # distinct controls acted on
    effective: int = 0  # distinct controls whose action changed what a user sees
    interaction_errors: int = 0
    self_updates: int = 0  # windows without action in which the page visibly changed by itself
    timed_out: bool = False
    crashed: bool = False
    nodes: int = 0
    text_chars: int = 0
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

    @property
    def dialogs(self) -> int:
        return self.events.get("dialog", 0)


def find_chromium() -> str | None:
    env = os.environ.get("GENUI_CHROMIUM")
    if env and os.path.exists(env):
        return env
    return next((p for p in CHROMIUM_CANDIDATES if os.path.exists(p)), None) or shutil.which("chromium")


def check_browser() -> None:
    """Fail at start-up, with the fix, rather than scoring every completion 0."""
    check_node_toolchain(("esbuild", "react", "react-dom"))
    if find_chromium() is None:
        raise ToolchainError(
            "Chromium is needed by the render reward but was not found: run `make setup-browser` "
            "(or `apt-get install chromium`), or set GENUI_CHROMIUM to its path; "
            "use reward_preset: static to train without a browser"
        )


def _works(cmd: list[str]) -> bool:
    try:
        return subprocess.run(cmd, capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def namespace_prefix() -> list[str] | None:
    """The command prefix that puts a process in a network namespace of its own, or None where none can be made."""
    if shutil.which("unshare") is None:
        return None
    candidates = [["unshare", "--net"]] if os.geteuid() == 0 else []
    # A normal user maps itself (not root: Chromium will not sandbox as root) into a user namespace that owns the net.
    candidates += [["unshare", "--map-current-user", "--net"], ["unshare", "--map-root-user", "--net"]]
    return next((c for c in candidates if _works([*c, "true"])), None)


@dataclass(frozen=True)
class Launch:
    """How the worker is started, resolved once per process from RenderOptions."""

    isolation: str  # namespace | flags | none
    prefix: tuple[str, ...]
    run_as: tuple[int, int] | None  # uid, gid the browser runs as (root only)
    sandbox: bool


_launches: dict[RenderOptions, Launch] = {}


def resolve_launch(options: RenderOptions) -> Launch:
    if options in _launches:
        return _launches[options]
    prefix = None if options.isolation in ("flags", "none") else namespace_prefix()
    if options.isolation == "namespace" and prefix is None:
        raise ToolchainError(
            "render isolation 'namespace' needs `unshare` and user or network namespaces (util-linux; "
            "kernel.unprivileged_userns_clone=1 for a normal user); use isolation 'flags' or 'auto'"
        )
    isolation = "namespace" if prefix else ("none" if options.isolation == "none" else "flags")
    run_as = None
    sandbox = options.sandbox
    if sandbox and os.geteuid() == 0:
        try:
            user = pwd.getpwnam(options.sandbox_user)
            run_as = (user.pw_uid, user.pw_gid)
        except KeyError:
            sandbox = False
    if prefix and "--map-root-user" in prefix:
        sandbox = False  # inside, we are root again, and Chromium will not sandbox as root
    launch = Launch(isolation, tuple(prefix or ()), run_as, sandbox)
    if not sandbox and options.sandbox:
        logger.warning(
            "render: Chromium runs with --no-sandbox (%s)",
            "no user to run as" if os.geteuid() == 0 else "root in a user namespace",
        )
    logger.info(
        "render isolation: network %s%s, Chromium sandbox %s%s",
        isolation,
        f" ({' '.join(prefix)})" if prefix else "",
        "on" if sandbox else "OFF",
        f" as uid {run_as[0]}" if run_as else "",
    )
    _launches[options] = launch
    return launch


def page_packages(allowed: tuple[str, ...] = DEFAULT_ALLOWED, packages_dir: str | None = None) -> dict:
    """What a render request adds for a recipe's allowed packages (the page loads their modules): nothing without."""
    packages = [p for p in allowed if p not in DEFAULT_ALLOWED]
    return {"packages": packages, "packages_dir": str(packages_dir or node_modules())} if packages else {}


class RenderPool:
    def __init__(self, options: RenderOptions, packages: dict | None = None):
        self.options = options
        self.packages = packages or {}  # page_packages(): the page also loads these modules
        self.launch = resolve_launch(options)
        env = {"GENUI_CHROMIUM": find_chromium()} if find_chromium() else {}
        self.workers = [NodeWorker(env=env, prefix=self.launch.prefix) for _ in range(options.workers)]
        self._request_options = {
            **dataclasses.asdict(options),
            "isolation": self.launch.isolation,
            "sandbox": self.launch.sandbox,
            "run_as": list(self.launch.run_as) if self.launch.run_as else None,
        }
        self._next = itertools.cycle(range(len(self.workers)))
        self._lock = threading.Lock()
        self._inflight: dict[tuple, Future] = {}
        self._done: LRU = LRU(2048)
        self._logged_sandbox = False

    def submit(self, js: str, screenshot: bool = False) -> Future:
        """A future RenderResult for compiled code; the same code asked twice shares one render."""
        key = (js, screenshot)
        with self._lock:
            done = self._done.get(key)
            if done is not None:
                fut: Future = Future()
                fut.set_result(done)
                return fut
            if key in self._inflight:
                return self._inflight[key]
            worker = self.workers[next(self._next)]
            fut = Future()
            self._inflight[key] = fut
        try:
            raw = worker.submit("render", js=js, screenshot=screenshot, options=self._request_options, **self.packages)
        except Exception as err:
            with self._lock:
                self._inflight.pop(key, None)
            fut.set_exception(err)
            return fut
        raw.add_done_callback(lambda r: self._finish(key, r, fut))
        return fut

    def _finish(self, key, raw: Future, fut: Future) -> None:
        try:
            msg = raw.result()
            if "fatal" in msg:
                raise ToolchainError(f"render worker refused the request: {msg['fatal']}")
            if "infra" in msg:
                raise ToolchainError(f"render machinery failed: {msg['infra']}")
            if not self._logged_sandbox and msg.get("sandbox") is False and self.launch.sandbox:
                self._logged_sandbox = True
                logger.warning("render: Chromium's sandbox could not start here; the worker runs with --no-sandbox")
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


_pools: dict[tuple, RenderPool] = {}


def pool(
    options: RenderOptions | None = None, allowed: tuple[str, ...] = DEFAULT_ALLOWED, packages_dir: str | None = None
) -> RenderPool:
    """This process's pool for these options and allowed packages (`allowed` as compile_many takes it)."""
    options = options or RenderOptions()
    packages = page_packages(tuple(allowed), packages_dir)
    key = (os.getpid(), options, tuple(packages.get("packages", ())), packages.get("packages_dir"))
    if key not in _pools:
        check_browser()
        _pools[key] = RenderPool(options, packages)
    return _pools[key]


def _infra_failure(err: BaseException) -> None:
    stats.count("render_infra_failures")
    logger.warning("render failed for reasons outside the completion (scored None): %s", err)


def _submit(p: RenderPool, js: str, screenshot: bool) -> Future:
    try:
        return p.submit(js, screenshot)
    except Exception as err:  # a worker that cannot take requests: the machinery, not the completion
        fut: Future = Future()
        fut.set_exception(err)
        return fut


def render_compiled(
    js: list[str],
    options: RenderOptions | None = None,
    screenshot: bool = False,
    timeout: float = 120,
    allowed: tuple[str, ...] = DEFAULT_ALLOWED,
    packages_dir: str | None = None,
) -> list[RenderResult | None]:
    """Render compiled components concurrently; a failure of the machinery gives None (and is counted), not an error.
    `allowed` / `packages_dir`: what the code was compiled with (the page loads the allowed packages' modules)."""
    p = pool(options, allowed, packages_dir)
    futures = [_submit(p, j, screenshot) for j in js]
    out = []
    for fut in futures:
        try:
            out.append(fut.result(timeout=timeout))
        except Exception as err:
            _infra_failure(err)
            out.append(None)
    return out


async def render_compiled_async(
    js: list[str],
    options: RenderOptions | None = None,
    allowed: tuple[str, ...] = DEFAULT_ALLOWED,
    packages_dir: str | None = None,
) -> list[RenderResult | None]:
    p = pool(options, allowed, packages_dir)
    futures = [asyncio.wrap_future(_submit(p, j, False)) for j in js]
    results = await asyncio.gather(*futures, return_exceptions=True)
    for r in results:
        if isinstance(r, BaseException):
            _infra_failure(r)
    return [None if isinstance(r, BaseException) else r for r in results]


def render_many(
    codes: list[str],
    options: RenderOptions | None = None,
    screenshot: bool = False,
    allowed: tuple[str, ...] = DEFAULT_ALLOWED,
    packages_dir: str | None = None,
) -> list[RenderResult | None]:
    """Compile and render source code (snapshots, evaluation). Code that does not compile gives a failed result."""
    compiled = compile_many(codes, allowed, packages_dir)
    ok = [c.js for c in compiled if c.ok]
    rendered = iter(render_compiled(ok, options, screenshot, allowed=allowed, packages_dir=packages_dir))
    return [next(rendered) if c.ok else RenderResult(compiled=False, errors=list(c.errors)) for c in compiled]
