"""Process-wide counters of reward events that are not scores: a grader that raised, a render that failed for reasons
outside the completion (browser crash, worker restart), a judge that timed out. Such completions score None (TRL's
"not applicable"), so they never enter the advantage; these counters make them visible as training metrics
(`reward/<event>`), logged by the trainer and drained at every logging step.
"""

import threading
from collections import Counter

_lock = threading.Lock()
_counts: Counter = Counter()


def count(event: str, n: int = 1) -> None:
    """Record `n` occurrences of `event` (e.g. "grader_errors", "render_infra_failures")."""
    with _lock:
        _counts[event] += n


def snapshot() -> dict[str, int]:
    """The counts so far, without resetting them."""
    with _lock:
        return dict(_counts)


def drain() -> dict[str, int]:
    """The counts since the last drain, then reset (one logging step's worth)."""
    with _lock:
        out = dict(_counts)
        _counts.clear()
        return out
