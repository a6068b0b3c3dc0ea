"""Compile completions with esbuild, through the persistent Node worker, with a per-process cache.

The compiled JavaScript is kept on the result: the render tier runs exactly what was compiled here, once."""

from dataclasses import dataclass, field

from reward.cache import LRU
from reward.node import ToolchainError, node_modules, worker

DEFAULT_ALLOWED = ("react", "react-dom")


@dataclass(frozen=True)
class CompileResult:
    ok: bool
    errors: tuple[str, ...] = ()
    js: str | None = field(default=None, compare=False, repr=False)  # the CommonJS the render tier runs


_cache = LRU(4096)


def compile_many(
    codes: list[str], allowed: tuple[str, ...] = DEFAULT_ALLOWED, packages_dir: str | None = None
) -> list[CompileResult]:
    """Compile all codes concurrently (one request each, answered as esbuild finishes). `allowed`: the importable
    packages (react, react-dom and a recipe's allowed packages), resolved from `packages_dir` (None: the reward's own
    node_modules)."""
    packages_dir = str(packages_dir or node_modules())
    keys = [(code, tuple(allowed), packages_dir) for code in codes]
    missing = {k for k in keys if k not in _cache}
    futures = {
        k: worker().submit("compile", code=k[0], allowed=list(k[1]), packages_dir=k[2], want_js=True) for k in missing
    }
    for key, fut in futures.items():
        msg = fut.result(timeout=120)
        if "fatal" in msg:
            raise ToolchainError(f"esbuild worker failed: {msg['fatal']}")
        _cache.put(key, CompileResult(bool(msg["ok"]), tuple(msg.get("errors", ())), msg.get("js")))
    return [_cache[k] for k in keys]
