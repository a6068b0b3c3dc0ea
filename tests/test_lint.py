"""The `lint` reward: ESLint (typescript-eslint + React's hook rules) in the Node worker's lint threads. Hook-rule
violations score below their fixed twins, the model cannot silence or dilute the linter, broken code gets the gated
value, a team's own config is honoured, and a bad config fails loudly. No network."""

import asyncio
import json
import re

import pytest

from reward import RewardArguments, build_rewards, graders, score
from reward.facts import facts_of, gather
from reward.lint import LintConfigError, LintOptions, LintResult, _store, lint_many
from tests.conftest import COMPONENTS, ROOT, component, fenced

TEAM_KEYS = {"lint_config": str(ROOT / "data/codebase_example/eslint.config.mjs"), "lint_filename": "src/App.tsx"}
TEAM = LintOptions(config=TEAM_KEYS["lint_config"], filename=TEAM_KEYS["lint_filename"])
FIRST5 = ROOT.parent / "shared" / "data" / "react-code-instructions.first5.jsonl"


def lint_args(**recipe) -> RewardArguments:
    return RewardArguments(reward_funcs=["lint"], **recipe)


def lint_score(completion: str, **recipe) -> float:
    """The lint reward as TRL calls it (async), with these recipe keys."""
    (func,), _ = build_rewards(lint_args(**recipe))
    return asyncio.run(func([completion]))[0]


def explain(completion: str, **recipe) -> str:
    return score([completion], preset=lint_args(**recipe), explain=True)[0]["explain"]["lint"]


def graded(result: LintResult, **knobs) -> tuple[float, str]:
    """The lint grader on one result (the gate open), with these grader knobs."""
    f = facts_of(fenced("export default () => <p>hi</p>;"))
    f.lint = result
    return graders.lint(f, graders.GraderOptions(**knobs))


# A hook called inside a condition: React throws "Rendered fewer hooks than expected" once `editable` changes.
HOOK_IN_CONDITION = """
import { useState } from 'react';

export default function Profile({ editable = true }: { editable?: boolean }) {
  const [name, setName] = useState('Ada');
  if (editable) {
    const [draft, setDraft] = useState(name);
    return (
      <form onSubmit={(e) => { e.preventDefault(); setName(draft); }}>
        <input value={draft} onChange={(e) => setDraft(e.target.value)} />
        <button type="submit">Save</button>
      </form>
    );
  }
  return <h1>{name}</h1>;
}
"""
HOOK_AT_TOP_LEVEL = HOOK_IN_CONDITION.replace(
    "  if (editable) {\n    const [draft, setDraft] = useState(name);\n",
    "  const [draft, setDraft] = useState(name);\n  if (editable) {\n",
)
# The effect reads `query` but does not list it: the results never follow the search box (a stale closure).
MISSING_DEPENDENCY = """
import { useEffect, useState } from 'react';

const ITEMS = ['apple', 'apricot', 'banana', 'cherry'];

export default function Search() {
  const [query, setQuery] = useState('');
  const [results, setResults] = useState(ITEMS);
  useEffect(() => {
    setResults(ITEMS.filter((item) => item.includes(query)));
  }, []);
  return (
    <div>
      <input value={query} onChange={(e) => setQuery(e.target.value)} />
      <ul>{results.map((r) => <li key={r}>{r}</li>)}</ul>
    </div>
  );
}
"""
WITH_DEPENDENCY = MISSING_DEPENDENCY.replace("}, []);", "}, [query]);")


class TestHookRules:
    def test_hook_in_condition_scores_below_its_fixed_twin(self):
        bad, good = lint_score(fenced(HOOK_IN_CONDITION)), lint_score(fenced(HOOK_AT_TOP_LEVEL))
        assert good == 1.0 and bad < good
        assert "react-hooks/rules-of-hooks" in explain(fenced(HOOK_IN_CONDITION))

    def test_missing_effect_dependency_scores_below_its_fixed_twin(self):
        bad, good = lint_score(fenced(MISSING_DEPENDENCY)), lint_score(fenced(WITH_DEPENDENCY))
        assert good == 1.0 and bad < good
        assert "react-hooks/exhaustive-deps" in explain(fenced(MISSING_DEPENDENCY))

    def test_one_problem_in_a_short_file_costs_more_than_in_a_long_one(self):
        # Density, not a count: the same violation in a file with 3x the code costs about a third as much
        long = HOOK_IN_CONDITION + "".join(
            f"\nexport function Row{i}({{ label }}: {{ label: string }}) {{\n  return <li>{{label}} {i}</li>;\n}}\n"
            for i in range(20)
        )
        assert lint_score(fenced(HOOK_IN_CONDITION)) < lint_score(fenced(long)) < 1.0


class TestGaming:
    def test_disable_comments_do_not_silence_the_linter(self):
        # The model cannot switch rules off from inside its answer
        for directive in (
            "/* eslint-disable */\n",
            "// eslint-disable-next-line\n",
            "/* eslint react-hooks/rules-of-hooks: 0 */\n",
        ):
            assert lint_score(fenced(directive + HOOK_IN_CONDITION)) == lint_score(fenced(HOOK_IN_CONDITION))

    def test_blank_lines_and_comments_do_not_dilute_problems(self):
        padded = HOOK_IN_CONDITION.replace("\n", "\n\n// note\n/* more\n notes */\n")
        assert lint_score(fenced(padded)) == lint_score(fenced(HOOK_IN_CONDITION))

    def test_one_token_per_line_barely_dilutes_problems(self):
        # Nearly every token on a line of its own: 4x the lines, the same code (and it still builds)
        spread = re.sub(r"([;{}(,])", r"\1\n", HOOK_IN_CONDITION).replace(" ", "\n")
        spread = spread.replace("return\n", "return ").replace("\n=>", " =>")  # where a line break changes the code
        spread_lines, lines = lint_many([spread, HOOK_IN_CONDITION])
        assert spread_lines.lines > 4 * lines.lines and spread_lines.errors == lines.errors
        # Lines count at most one per 5 tokens: the penalty shrinks by at most the original's tokens per line / 5
        # (about 2x here), not by the 4x more lines the reformat made
        penalty, spread_penalty = 1 - lint_score(fenced(HOOK_IN_CONDITION)), 1 - lint_score(fenced(spread))
        assert spread_penalty >= penalty / 2.5

    def test_a_long_template_string_counts_as_two_lines(self):
        filler = "const NOTES = `" + "\n" * 300 + "`;\n"
        assert lint_score(fenced(filler + HOOK_IN_CONDITION)) < lint_score(fenced(HOOK_AT_TOP_LEVEL))
        assert lint_score(fenced(filler + HOOK_IN_CONDITION)) < 1.0

    def test_junk_that_dilutes_with_unused_code_is_itself_flagged(self):
        junk = "".join(f"const filler{i} = {i};\n" for i in range(200))
        assert lint_score(fenced(junk + HOOK_IN_CONDITION)) < lint_score(fenced(HOOK_IN_CONDITION))


class TestHonestButUnusual:
    # Code no linter should fault: custom hooks, useReducer, a class component, refs, context
    CASES = {
        "custom hook": """
import { useCallback, useState } from 'react';
function useToggle(initial = false) {
  const [on, setOn] = useState(initial);
  const toggle = useCallback(() => setOn((v) => !v), []);
  return [on, toggle] as const;
}
export default function App() {
  const [open, toggle] = useToggle();
  return <button onClick={toggle}>{open ? 'Close' : 'Open'}</button>;
}""",
        "useReducer": """
import { useReducer } from 'react';
type Action = { type: 'inc' } | { type: 'reset' };
function reducer(n: number, action: Action) {
  return action.type === 'inc' ? n + 1 : 0;
}
export default function App() {
  const [n, dispatch] = useReducer(reducer, 0);
  return <button onClick={() => dispatch({ type: 'inc' })} onDoubleClick={() => dispatch({ type: 'reset' })}>{n}</button>;
}""",
        "class component": """
import { Component } from 'react';
export default class App extends Component<object, { n: number }> {
  state = { n: 0 };
  render() {
    return <button onClick={() => this.setState({ n: this.state.n + 1 })}>{this.state.n}</button>;
  }
}""",
        "ref and context": """
import { createContext, useContext, useEffect, useRef } from 'react';
const Theme = createContext('light');
function Field() {
  const theme = useContext(Theme);
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return <input ref={ref} className={theme} />;
}
export default function App() {
  return <Theme.Provider value="dark"><Field /></Theme.Provider>;
}""",
    }

    @pytest.mark.parametrize("name", CASES)
    def test_lints_clean(self, name):
        assert lint_score(fenced(self.CASES[name])) == 1.0, explain(fenced(self.CASES[name]))


class TestGate:
    def test_unparseable_completion_gets_the_gated_value_not_a_crash(self):
        # Cut off mid-JSX: no code to lint; 0 like every gated component
        assert lint_score(fenced("export default function App() {\n  return <div><span>")) == 0.0
        assert lint_score("I cannot help with that.") == 0.0
        assert lint_score("") == 0.0

    def test_code_that_does_not_compile_gets_the_gated_value(self):
        assert (
            lint_score(fenced("import x from 'left-pad';\nexport default function App() { return <p>{x}</p>; }"))
            == 0.0
        )

    def test_an_eslint_parse_failure_scores_zero_with_the_reason(self):
        assert graded(LintResult(parse_error="3:1: Parsing error")) == (
            0.0,
            "ESLint could not parse it: 3:1: Parsing error",
        )

    def test_eslint_crashing_on_a_completion_is_not_applicable(self):
        # A rule that throws is ESLint's fault: None (TRL's "not applicable"), never 0 in the advantage
        assert _store(("code", "cfg", "App.tsx"), {"ok": False, "lint_error": "Occurred while linting"}) is None

    def test_real_looking_answer_with_prose_and_think_block(self):
        answer = (
            "<think>\nThe user wants a search box; I'll filter on every keystroke.\n</think>\n\n"
            "Here is the component:\n\n" + fenced(WITH_DEPENDENCY) + "\n\nIt filters as you type."
        )
        assert lint_score(answer) == 1.0


class TestTeamConfig:
    def test_team_rules_apply_only_with_the_team_config(self):
        # Acme's config bans console output and loose equality; ours does not
        code = fenced(
            "export default function App({ n }: { n: number }) {\n  console.log(n);\n  return <p>{n == 1 ? 'one' : 'many'}</p>;\n}"
        )
        assert lint_score(code) == 1.0
        assert lint_score(code, **TEAM_KEYS) < 1.0
        (func,), _ = build_rewards(lint_args(**TEAM_KEYS))
        why = explain(code, **TEAM_KEYS)
        assert "no-console" in why or "eqeqeq" in why
        assert func.lint_options.config_path == ROOT / "data/codebase_example/eslint.config.mjs"

    def test_team_warnings_weigh_half_an_error(self):
        # In Acme's config exhaustive-deps is a warning, in ours an error
        ours, team = lint_many([MISSING_DEPENDENCY], LintOptions())[0], lint_many([MISSING_DEPENDENCY], TEAM)[0]
        assert (ours.errors, ours.warnings) == (1, 0) and (team.errors, team.warnings) == (0, 1)
        assert graded(team)[0] > graded(ours)[0]

    def test_a_config_that_does_not_cover_the_file_fails_loudly(self):
        # Acme lints src/ only: linting the answer as ./App.tsx would silently check nothing
        with pytest.raises(LintConfigError, match="set lint_filename"):
            lint_many(["export default function App() { return null; }"], LintOptions(config=TEAM.config))

    def test_a_missing_config_fails_when_the_rewards_are_built(self, tmp_path):
        with pytest.raises(LintConfigError, match="does not exist"):
            build_rewards(lint_args(lint_config=str(tmp_path / "eslint.config.mjs")))

    def test_a_broken_config_fails_loudly(self, tmp_path):
        bad = tmp_path / "eslint.config.mjs"
        bad.write_text("import nope from 'eslint-plugin-that-is-not-installed';\nexport default [nope];\n")
        with pytest.raises(LintConfigError, match="eslint-plugin-that-is-not-installed"):
            lint_many(["export default function App() { return null; }"], LintOptions(config=str(bad)))


class TestRealAnswers:
    def test_our_components_lint_clean_or_name_their_problem(self):
        # The stopwatch's effect reads `elapsed` without listing it; every other sample component is clean
        codes = {p.stem: component(p.stem) for p in sorted(COMPONENTS.glob("*.tsx"))}
        results = dict(zip(codes, lint_many(list(codes.values())), strict=True))
        dirty = {name: [m["rule"] for m in r.messages] for name, r in results.items() if r.errors or r.warnings}
        assert dirty == {"11-stopwatch": ["react-hooks/exhaustive-deps"]}

    def test_the_five_real_dataset_answers(self):
        # Written by no one here. Two import what a single file cannot (react-svg, ./ThemeContext): gated to 0 like
        # `interactive`. The three that build lint without a parse error, far from the floor (< 5 per 100 lines).
        rows = [json.loads(line) for line in FIRST5.read_text().splitlines()]
        answers = [r["messages"][-1]["content"] for r in rows]
        builds = [f.builds for f in gather(answers)]
        scores = score(answers, preset=lint_args(), explain=True)
        assert sum(builds) == 3
        for s, ok in zip(scores, builds, strict=True):
            if ok:
                assert 0.5 <= s["components"]["lint"] <= 1.0, s["explain"]["lint"]
                assert "could not parse" not in s["explain"]["lint"]
            else:
                assert s["components"]["lint"] == 0.0 and s["explain"]["lint"].startswith("gated")


class TestRecipeKeys:
    def test_lint_options_are_recipe_knobs_with_their_one_default(self):
        # LintOptions' fields are recipe keys lint_<name>, generated (never restated) with LintOptions' defaults
        assert RewardArguments().lint_options() == LintOptions()
        assert RewardArguments(**TEAM_KEYS).lint_options() == TEAM
        with pytest.raises(ValueError, match="lint_threads must be >= 1"):
            RewardArguments(lint_threads=0)
        with pytest.raises(ValueError, match="lint_zero_at must be > 0"):
            RewardArguments(lint_zero_at=0)

    def test_scoring_knobs_change_the_score(self):
        one_error = LintResult(errors=1, lines=50, tokens=500)  # 2 per 100 lines
        assert graded(one_error)[0] == 0.8 and graded(one_error, lint_zero_at=4.0)[0] == 0.5
        assert graded(LintResult(warnings=1, lines=50, tokens=500), lint_warning_weight=1.0)[0] == 0.8
