"""The original research's reward, reproduced exactly, kept as the regression row that shows why ours is better.

It counts characters and matches keywords on the raw completion text. Measured: an empty completion with a non-empty
reference scores 16.0 of 22.3, and keyword stuffing beats real components. Do not train with it.
"""

import re

TRUNCATION_OK_ENDINGS = ("}", ";", ">", ")", "`", '"', "'")
TRUNCATION_BAD_ENDINGS = (",", "(", "[", "{", "<")
HANDLERS = [
    "onClick", "onChange", "onSubmit", "onFocus", "onBlur", "onMouseEnter", "onMouseLeave",
    "onKeyDown", "onKeyUp", "onInput", "onSelect", "onScroll",
]  # fmt: skip


def _completeness(text: str) -> float:
    stripped = text.rstrip()
    indicators = [
        text.count("{") != text.count("}"),
        text.count("[") != text.count("]"),
        stripped.endswith(TRUNCATION_BAD_ENDINGS),
        not stripped.endswith(TRUNCATION_OK_ENDINGS),
    ]
    return -1.0 if sum(indicators) >= 2 else 0.5


def _validity(text: str) -> float:
    score = 0.3 if text.count("{") == text.count("}") else -0.5
    score += 0.15 if text.count("[") == text.count("]") else -0.25
    score += 0.15 if text.count("(") == text.count(")") else -0.25
    score += 0.2 if "return" in text.lower() else 0.0
    return score


def _quotes(text: str) -> float:
    single = text.count("'") - text.count("\\'")
    double = text.count('"') - text.count('\\"')
    backtick = text.count("`") - text.count("\\`")
    return (
        (0.4 if single % 2 == 0 else -0.6) + (0.3 if double % 2 == 0 else -0.5) + (0.3 if backtick % 2 == 0 else -0.5)
    )


def _interactivity(text: str) -> float:
    score = 0.0
    for hook, value in (("useState", 0.25), ("useReducer", 0.15), ("useContext", 0.10), ("useEffect", 0.15),
                        ("useLayoutEffect", 0.10)):  # fmt: skip
        if hook in text:
            score += value
    score += min(sum(h in text for h in HANDLERS) * 0.05, 0.15)
    if ("?" in text and ":" in text) or "&&" in text:
        score += 0.10
    if re.search(r"\.map\s*\(", text):
        score += 0.10
    if re.search(r"\.filter\s*\(", text):
        score += 0.05
    if "useRef" in text or "createRef" in text:
        score += 0.05
    if any(k in text for k in ("useMemo", "useCallback", "React.memo", "memo(")):
        score += 0.05
    return min(score, 1.0)


def seed_reward(text: str, reference: str | None = None) -> tuple[float, dict[str, float]]:
    """Total and weighted parts of the seed reward on the raw text (base 1.0, max 22.3 without a length penalty)."""
    parts = {
        "base": 1.0,
        "completeness": 15 * _completeness(text),
        "validity": 6 * _validity(text),
        "quotes": 4 * _quotes(text),
        "interactivity": 5 * _interactivity(text),
        "length": -abs(len(text) - len(reference)) / max(len(reference), 1) * 0.1 if reference is not None else 0.0,
    }
    return sum(parts.values()), parts
