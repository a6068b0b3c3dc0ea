"""Bugs in the reward's own code: a completion it cannot score gets None (TRL's "not applicable", kept out of the
advantage), the event is counted (`grader_errors`, logged by the trainer as reward/grader_errors), and the traceback
is logged once per place and completion, with a hash to find the completion, not the completion itself."""

import hashlib
import logging

from reward import stats

logger = logging.getLogger("reward")
_logged: set[tuple[str, str, str]] = set()


def digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "replace")).hexdigest()[:12]


def reward_bug(where: str, text: str, err: BaseException, count: bool = True) -> str:
    """Record a bug hit while scoring `text` in `where` (a component or a stage); returns the reason to report."""
    if count:
        stats.count("grader_errors")
    key = (where, digest(text), type(err).__name__)
    if key not in _logged and len(_logged) < 10_000:
        _logged.add(key)
        logger.error("reward %s raised on completion sha1:%s (scored None)", where, key[1], exc_info=err)
    return f"reward bug in {where}: {err!r}"
