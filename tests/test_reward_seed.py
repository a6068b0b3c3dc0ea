"""The seed preset reproduces the original research's reward exactly. No network."""

import pytest

from reward.seed import seed_reward


class TestSeedReward:
    def test_empty_with_reference_is_16(self):
        # 1 + 7.5 (one truncation indicator: no valid ending) + 6 x 0.6 + 4 x 1.0 - 0.1 (length)
        total, parts = seed_reward("", "x" * 100)
        assert total == pytest.approx(16.0)
        assert parts["length"] == pytest.approx(-0.1)

    def test_single_char(self):
        # No 'return': validity 0.6; ends with 'x' (not a valid ending): one indicator only
        assert seed_reward("x")[0] == pytest.approx(16.1)

    def test_maximum(self):
        # Balanced, ends with '}', has return, even quotes, every interactivity keyword: 1 + 7.5 + 4.8 + 4 + 5
        text = (
            "useState useReducer useContext useEffect useLayoutEffect onClick onChange onBlur a ? b : c x.map() "
            "y.filter() useRef useMemo\nfunction f() { return [1]; }"
        )
        assert seed_reward(text)[0] == pytest.approx(22.3)

    def test_truncation_two_indicators(self):
        # Unbalanced braces and ends with '{': -1.0 x 15
        _, parts = seed_reward("function f() {")
        assert parts["completeness"] == -15.0

    def test_quotes(self):
        # One single quote (odd), escaped ones do not count: -0.6 + 0.3 + 0.3 = 0.0 -> 0 x 4
        _, parts = seed_reward("it's \\' fine;")
        assert parts["quotes"] == pytest.approx(0.0)

    def test_handlers_capped(self):
        # Four handlers would be 0.2; capped at 0.15 -> 5 x 0.15
        _, parts = seed_reward("onClick onChange onSubmit onFocus;")
        assert parts["interactivity"] == pytest.approx(0.75)

    def test_length_penalty_in_characters(self):
        # 50 characters against a 100-character reference: -0.5 x 0.1
        _, parts = seed_reward("a" * 49 + ";", "b" * 100)
        assert parts["length"] == pytest.approx(-0.05)
