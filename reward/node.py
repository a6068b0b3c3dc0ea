"""A persistent Node worker (reward/js/worker.mjs) spoken to over a pipe in JSON lines.

One worker per Python process, started on first use: starting Node and esbuild costs ~100 ms, a warm compile ~2 ms.
Requests carry an id and are answered in any order, so a batch of completions is compiled concurrently by esbuild's
service. If the worker dies (it never runs model code itself, but it could be killed), the next request restarts it.
"""

import atexit
import json
import logging
import os
import shutil
import subprocess
import threading
from concurrent.futures import Future
from pathlib import Path

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
WORKER = Path(__file__).resolve().parent / "js" / "worker.mjs"
SETUP_HINT = "run `make setup` (it runs `npm ci` in the repository root)"


class ToolchainError(RuntimeError):
    """Node, esbuild or Chromium is missing or broken: a setup problem, never a property of a completion."""


def node_modules() -> Path:
    return Path(os.environ.get("GENUI_NODE_MODULES", ROOT / "node_modules"))


def check_node_toolchain(packages: tuple[str, ...] = ("esbuild",)) -> None:
    if shutil.which("node") is None:
        raise ToolchainError(
            f"`node` is not on PATH: install Node.js >= 18 (e.g. `apt-get install nodejs`), then {SETUP_HINT}"
        )
    for pkg in packages:
        if not (node_modules() / pkg / "package.json").exists():
            raise ToolchainError(f"npm package '{pkg}' is not installed in {node_modules()}: {SETUP_HINT}")


class NodeWorker:
    def __init__(self, script: Path = WORKER, env: dict | None = None, prefix: tuple[str, ...] = ()):
        self.script = script
        self.env = env
        self.prefix = tuple(prefix)  # e.g. ("unshare", "--net"): the render worker's network namespace
        self._proc: subprocess.Popen | None = None
        self._lock = threading.Lock()
        self._pending: dict[int, Future] = {}
        self._next_id = 0

    def _start(self) -> None:
        check_node_toolchain()
        env = {**os.environ, "NODE_PATH": str(node_modules()), **(self.env or {})}
        self._proc = subprocess.Popen(
            [*self.prefix, "node", str(self.script)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=None,  # the worker's own crashes should be visible in the run's log
            cwd=ROOT,
            env=env,
            text=True,
            bufsize=1,
        )
        threading.Thread(target=self._read, args=(self._proc,), daemon=True, name="reward-node-reader").start()

    def _read(self, proc: subprocess.Popen) -> None:
        for line in proc.stdout:
            try:
                msg = json.loads(line)
            except json.JSONDecodeError:
                logger.warning("reward worker printed a non-JSON line: %s", line[:200])
                continue
            with self._lock:
                fut = self._pending.pop(msg.pop("id", None), None)
            if fut is not None:
                fut.set_result(msg)
        # The worker exited: fail whatever is still waiting so no caller hangs.
        with self._lock:
            waiting, self._pending = self._pending, {}
        for fut in waiting.values():
            fut.set_exception(ToolchainError(f"reward worker exited with code {proc.wait()}"))

    def submit(self, op: str, **payload) -> Future:
        with self._lock:
            if self._proc is None or self._proc.poll() is not None:
                self._start()
            self._next_id += 1
            fut: Future = Future()
            self._pending[self._next_id] = fut
            line = json.dumps({"id": self._next_id, "op": op, **payload}) + "\n"
            try:
                self._proc.stdin.write(line)
                self._proc.stdin.flush()
            except BrokenPipeError as err:
                self._pending.pop(self._next_id, None)
                raise ToolchainError("reward worker is not accepting requests") from err
        return fut

    def close(self) -> None:
        with self._lock:
            proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            proc.stdin.close()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()


_worker: NodeWorker | None = None
_worker_pid: int | None = None


def worker() -> NodeWorker:
    """This process's worker (a forked child gets its own, never its parent's pipe)."""
    global _worker, _worker_pid
    if _worker is None or _worker_pid != os.getpid():
        _worker, _worker_pid = NodeWorker(), os.getpid()
        atexit.register(_worker.close)
    return _worker
