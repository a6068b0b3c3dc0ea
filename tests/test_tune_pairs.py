"""data/build_pairs.py: the shipped labelled set is what the script builds, deterministically; every mutation applied
and did what it claims; the held-out split is by component. No network."""

import json

import pytest

from tests.conftest import ROOT, build_pairs_module

bp = build_pairs_module()

REAL = ROOT.parent / "shared" / "data" / "react-code-instructions.first5.jsonl"
COMPONENT_MUTATIONS = {  # applies to every component of that kind in data/components
    "break_tag:mismatch", "break_tag:unclosed", "truncate:40", "truncate:75", "truncate:95",
    "foreign_import:lucide-react", "no_default_export", "placeholder:coming_soon", "placeholder:elided",
    "runtime_crash", "prose_only",
}  # fmt: skip
INTERACTIVE_MUTATIONS = {"drop_state_update:one", "drop_state_update:all", "same_value:one", "same_value:all", "hide_state"}  # fmt: skip


@pytest.fixture(scope="module")
def built():
    return bp.build()


def test_written_files_are_what_the_script_builds_and_it_is_deterministic(built, pairs_dir):
    # The second build must equal the first and the files the script writes (`python data/build_pairs.py`)
    assert bp.build() == built
    train, held = built
    assert (pairs_dir / "train.jsonl").read_text() == bp.render(train)
    assert (pairs_dir / "heldout.jsonl").read_text() == bp.render(held)
    assert bp.main(["--check"]) == 0


def test_every_mutation_applied_where_it_can(built):
    rows = built[0] + built[1]
    made = {}
    for r in rows:
        made.setdefault(r["id"].split("/", 1)[1], set()).add(r["group"])
    static = {"18-portfolio-static", "19-restaurant-menu-static"}
    for name in COMPONENT_MUTATIONS:
        assert len(made[name]) == 24, name
    for name in INTERACTIVE_MUTATIONS:
        assert made[name] == {c.key for c in bp.components()} - static, name
    assert len(made["drop_keys"]) >= 20 and len(made["swap_prompt"]) == 24
    pairs = [r for r in rows if "better" in r]
    assert len(pairs) >= 300 and all(r["better"] != r["worse"] for r in pairs)


def test_labels_are_certain_by_construction(built):
    # Pairs: the better answer is always the reference component for that prompt; groups: rank 1 is the original
    by_key = {c.key: c for c in bp.components()}
    for r in built[0] + built[1]:
        c = by_key[r["group"]]
        assert r["prompt"] == c.prompt
        best = r["better"] if "better" in r else next(a["completion"] for a in r["answers"] if a["rank"] == 1)
        assert c.code.strip() in best, r["id"]
        if "answers" in r:
            assert sorted(a["rank"] for a in r["answers"])[:2] == [1, 2]


def test_heldout_split_by_component(built):
    train, held = built
    held_groups = {r["group"] for r in held}
    assert {g[:2] for g in held_groups} == set(bp.HELDOUT) and not held_groups & {r["group"] for r in train}
    # No held-out component's code appears in a training row (swaps pick partners within their own split)
    codes = {c.key: c.code.strip() for c in bp.components()}
    train_text = "".join(json.dumps(r) for r in train)
    for g in held_groups:
        assert json.dumps(codes[g])[1:-1] not in train_text, g
    # and no answer is in both files (not even a prose-only one)
    answers = (
        [{r.get("better"), r.get("worse")} | {a["completion"] for a in r.get("answers", [])} for r in train],
        [{r.get("better"), r.get("worse")} | {a["completion"] for a in r.get("answers", [])} for r in held],
    )
    assert not set().union(*answers[0]) & set().union(*answers[1]) - {None}


def test_a_mutation_that_did_not_apply_fails_the_build():
    # esbuild disagreeing with what a mutation claims is an error, not a row
    code = bp.components()[0].code
    with pytest.raises(bp.MutationError, match="expected it to not compile"):
        bp.verify_compiles([("01", bp.Mutant("break_tag:mismatch", code, compiles=False))])
    with pytest.raises(bp.MutationError, match="expected it to compile"):
        bp.verify_compiles([("01", bp.Mutant("drop_keys", code[: len(code) // 2], compiles=True))])


@pytest.mark.parametrize(
    "mutation, code",
    [
        # No handler sets state: nothing to drop or make same-value
        (lambda c: bp.drop_state_update(c, "all"), "export default function App() { return <p>Hi</p>; }"),
        (lambda c: bp.same_value(c, "one"), "export default function App() { return <p>Hi</p>; }"),
        # A handler that only dispatches to a reducer cannot be made to set "the same value"
        (
            lambda c: bp.same_value(c, "one"),
            "import { useReducer } from 'react';\nexport default function App() { const [n, dispatch] = "
            "useReducer((s: number) => s + 1, 0);\n  return <button onClick={() => dispatch()}>{n}</button>; }",
        ),
        (bp.drop_keys, "export default function App() { return <ul>{[1].map((i) => <li>{i}</li>)}</ul>; }"),
    ],
)
def test_mutation_that_does_not_apply_makes_no_row(mutation, code):
    assert mutation(code) is None


def test_handler_mutations_reach_through_local_functions_and_direct_setters():
    # onChange={setName} and onClick={save} (a local function calling setters) both lose their state updates
    code = """import { useState } from 'react';
export default function App() {
  const [name, setName] = useState('');
  const [saved, setSaved] = useState(false);
  function save() { if (name) setSaved(true); }
  return <div><input value={name} onChange={(e) => setName(e.target.value)} /><button onClick={save}>Save</button>{saved && <p>Saved {name}</p>}</div>;
}"""
    dead = bp.drop_state_update(code, "all").code
    assert "setName(" not in dead and "setSaved(" not in dead and "if (name) {}" in dead
    same = bp.same_value(code, "all").code
    assert "setName(name)" in same and "setSaved(saved)" in same
    hidden = bp.hide_state(code).code
    assert "{saved && " not in hidden and "setSaved(true)" in hidden


@pytest.mark.parametrize(
    "code, present, absent",
    [
        # A class component: this.setState is not a hook setter, so no handler mutation applies (and none crashes)
        ("import React from 'react';\nexport default class App extends React.Component<{}, { n: number }> {\n"
         "  state = { n: 0 };\n  render() { return <button onClick={() => this.setState({ n: this.state.n + 1 })}>"
         "{this.state.n}</button>; }\n}", {"no_default_export", "break_tag:mismatch"}, {"drop_state_update:one"}),
        # A one-element UI has nothing to replace with a placeholder
        ("export default function App() { return <h1>Hi</h1>; }", {"runtime_crash", "truncate:40"}, {"placeholder:elided"}),
        # Empty or cut-off code: only what applies to any text
        ("", {"prose_only"}, {"truncate:40"}),
        ("export default function App() { return <div><p>Hi</p>", {"truncate:75", "prose_only"}, {"hide_state"}),
    ],
)  # fmt: skip
def test_unusual_code_gets_the_mutations_that_apply(code, present, absent):
    names = {m.name for m in bp.mutations(code)}
    assert present <= names and not absent & names


@pytest.mark.skipif(not REAL.exists(), reason="needs ../shared/data beside the clone")
def test_mutations_hold_on_real_model_answers():
    # Code no one here wrote (the real dataset's answers): every mutation either does not apply or applies and
    # passes its own syntax-tree checks, and changes the code
    from reward.extract import extract_code

    applied = 0
    for line in REAL.read_text().splitlines():
        answer = json.loads(line)["messages"][2]["content"]
        code = extract_code(answer).code
        assert code, answer[:200]
        mutants = bp.mutations(code)
        assert len(mutants) >= 10 and all(m.code != code for m in mutants)
        applied += len(mutants)
    # 62 if `export default App` naming `const App: React.FC = () => ...` were not followed to its function
    assert applied >= 70
