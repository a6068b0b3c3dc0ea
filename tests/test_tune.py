"""`python -m reward tune`: the labelled-comparisons format, the Bradley-Terry fit, agreement under TRL's two
aggregations, honest held-out reporting, and the CLI end to end with the static preset (no browser). No network."""

import json
import subprocess
import sys

import numpy as np
import pytest

from reward import GraderOptions, RewardArguments, build_rewards, load_preset
from reward.config import KNOBS
from reward.pairs import LabelledSet, PairsError, load, parse_row, split_by_group
from reward.scoring import gather_facts
from reward.tune import (
    NTS,
    SUM,
    Comparisons,
    affected,
    agreement,
    differences,
    fit,
    fit_weights,
    grade_matrix,
    group_normalise,
    knob_space,
    tune,
    tuned_preset,
    with_knobs,
)
from tests.conftest import ROOT

PAIRS = ROOT / "data" / "pairs"


@pytest.fixture(scope="module", autouse=True)
def generated_pairs(pairs_dir):
    """The labelled set under PAIRS is generated (data/build_pairs.py), not tracked."""
    assert pairs_dir == PAIRS


def pair(group: str, better: str, worse: str, rid: str | None = None) -> LabelledSet:
    return LabelledSet(rid or f"{group}/{better[:8]}", group, "p", [better, worse], [1, 2], ["", ""], kind="pair")


def comparisons_of(x: np.ndarray, sets_members: list[tuple[list[int], list[int]]]) -> Comparisons:
    """Comparisons over answer rows of `x`: each set is (answer rows, ranks)."""
    sets, index = [], {}
    for k, (rows, ranks) in enumerate(sets_members):
        answers = [f"a{r}" for r in rows]
        index.update({(f"a{r}", None): r for r in rows})
        sets.append(LabelledSet(f"s{k}", f"g{k}", "p", answers, ranks, [""] * len(rows)))
    return Comparisons.of(sets, index)


class TestFormat:
    def write(self, tmp_path, *rows) -> str:
        path = tmp_path / "pairs.jsonl"
        path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n")
        return str(path)

    def test_pair_and_group(self, tmp_path):
        # A pair is one comparison; a group of ranks [1, 2, 2] is two (equal ranks state no preference)
        rows = load(
            self.write(
                tmp_path,
                {"prompt": "p", "better": "a", "worse": "b", "id": "x"},
                {
                    "prompt": "p",
                    "answers": [
                        {"completion": "a", "rank": 1},
                        {"completion": "b", "rank": 2},
                        {"completion": "c", "rank": 2},
                    ],
                },
            )  # fmt: skip
        )
        assert rows[0].kind == "pair" and rows[0].comparisons() == [(0, 1)]
        assert rows[1].kind == "group" and rows[1].comparisons() == [(0, 1), (0, 2)]
        assert rows[1].id == "line 2" and rows[1].group == "p"  # defaults: the line, and the prompt

    @pytest.mark.parametrize(
        "row, message",
        [
            ("{oops", "line 1: not valid JSON"),
            ('{"prompt": "p", "better": "a"}', '"worse" must be a non-empty string'),
            ('{"better": "a", "worse": "b"}', '"prompt" must be a non-empty string'),
            ('{"prompt": "p", "better": "a", "worse": "a"}', "the same text"),
            ('{"prompt": "p", "completion": "a"}', "expected a pair"),
            ('{"prompt": "p", "better": "a", "worse": "b", "answers": []}', "a pair or a graded group"),
            ('{"prompt": "p", "answers": [{"completion": "a", "rank": 1}]}', "at least two"),
            ('{"prompt": "p", "answers": [{"completion": "a", "rank": 1}, {"completion": "b", "rank": 1}]}',
             "nothing to learn"),
            ('{"prompt": "p", "answers": [{"completion": "a", "rank": 0}, {"completion": "b", "rank": 1}]}',
             "integer >= 1"),
            ('{"prompt": "p", "answers": [{"completion": "a", "rank": 1}, {"completion": "a", "rank": 2}]}',
             "appears twice"),
        ],
    )  # fmt: skip
    def test_errors_name_the_line_and_the_fix(self, tmp_path, row, message):
        with pytest.raises(PairsError, match=message):
            load(self.write(tmp_path, row))

    def test_error_line_number_counts_blank_lines(self, tmp_path):
        path = self.write(tmp_path, {"prompt": "p", "better": "a", "worse": "b"}, "", '{"prompt": 3}')
        with pytest.raises(PairsError, match="line 3:"):
            load(path)

    def test_duplicate_ids(self, tmp_path):
        row = {"prompt": "p", "better": "a", "worse": "b", "id": "same"}
        with pytest.raises(PairsError, match="already used on line 1"):
            load(self.write(tmp_path, row, {**row, "worse": "c"}))

    def test_shipped_files_load(self):
        # The shipped set is in the documented format, and a group's id is unique across both files
        train, held = load(PAIRS / "train.jsonl"), load(PAIRS / "heldout.jsonl")
        assert len(train) + len(held) >= 300
        assert not {s.id for s in train} & {s.id for s in held}

    def test_split_by_group_keeps_groups_whole_and_stable(self):
        rows = [parse_row({"prompt": f"p{g}", "better": f"a{i}", "worse": "b"}, i) for i in range(40) for g in [i % 8]]
        train, held = split_by_group(rows, 0.25)
        assert {r.group for r in train}.isdisjoint({r.group for r in held}) and len({r.group for r in held}) == 2
        # Adding rows of a new group does not move the existing groups to the other side
        more = rows + [parse_row({"prompt": "new", "better": "x", "worse": "y"}, 99)]
        assert {r.group for r in split_by_group(more, 0.25)[1]} - {"new"} <= {r.group for r in held}


class TestFit:
    def test_recovers_known_weights(self):
        # Answers with 4 component scores; labels drawn from a Bradley-Terry model with known weights (noisy: the
        # worse answer sometimes wins). The last component is noise with true weight 0.
        rng = np.random.default_rng(0)
        true = np.array([3.0, 1.0, 0.5, 0.0])
        x = rng.uniform(0, 1, size=(3000, 4))
        i, j = rng.integers(0, 3000, size=(2, 6000))
        wins = rng.random(6000) < 1 / (1 + np.exp(-(x[i] - x[j]) @ true))
        d = np.where(wins[:, None], x[i] - x[j], x[j] - x[i])
        w = fit(d, l2=1e-5)
        assert w[1] / w[0] == pytest.approx(1 / 3, rel=0.15)
        assert w[2] / w[0] == pytest.approx(1 / 6, rel=0.25)
        assert w[3] < 0.1 * w[0]
        # Labels are noisy, so agreement is well below 1, and the fit matches the true weights' agreement
        assert agreement(d, w)[0].mean() == pytest.approx(agreement(d, true)[0].mean(), abs=0.01)

    def test_negative_truth_is_clipped_to_zero(self):
        # A component whose true effect is negative gets weight 0 (signs are known: higher is better)
        rng = np.random.default_rng(1)
        d = rng.normal(size=(2000, 2))
        d = d * np.sign(d @ np.array([1.0, -0.5]))[:, None]
        w = fit(d, l2=1e-4)
        assert w[0] > 0 and w[1] == 0.0
        assert fit(d, l2=1e-4, nonneg=np.array([True, False]))[1] < 0

    def test_a_component_no_label_tells_apart_keeps_its_preset_weight(self):
        # overlong is 0 for every labelled answer (no lengths): the fit cannot see it, so it must not drop it (a
        # weight of 0 would turn the length penalty off in training). The others share their preset total.
        rng = np.random.default_rng(3)
        d = np.column_stack([np.abs(rng.normal(size=200)), rng.normal(size=200), np.zeros(200)])
        w = fit_weights(d, 1e-3, np.array([2.0, 1.0, 1.5]))
        assert w[2] == 1.5 and w[0] + w[1] == pytest.approx(3.0, rel=0.01) and w[0] > w[1]


class TestAggregation:
    def test_sum_vs_normalise_then_sum_on_a_pair(self):
        # Better answer: compiles (1 vs 0) but 0.01 less UI content. Weighted [1, 2]: the sum sees the big
        # difference; normalise-then-sum sees only signs, so the tiny ui_content difference outweighs compiling.
        x = np.array([[1.0, 0.30], [0.0, 0.31]])
        comps = comparisons_of(x, [([0, 1], [1, 2])])
        w = np.array([1.0, 2.0])
        assert agreement(differences(x, comps, SUM), w)[0].all()
        d = differences(x, comps, NTS)
        assert d[0] == pytest.approx([np.sqrt(2), -np.sqrt(2)], rel=0.02)
        assert not agreement(d, w)[0].any()

    def test_group_order_depends_on_the_group(self):
        # Normalise-then-sum: the same two answers compare differently depending on the rest of the group (a
        # component that varies a lot across the group counts less for the same difference). The sum: a always wins.
        a, b = [1.0, 0.0], [0.0, 0.6]
        w = np.array([1.0, 1.0])
        for others, a_wins in (([[0.0, 0.0], [0.0, 1.2]] * 3, True), ([[0.0, 0.6], [2.0, 0.6]] * 3, False)):
            x = np.array([a, b, *others])
            comps = comparisons_of(x, [(list(range(len(x))), [1, 2] + [3] * len(others))])
            assert bool(agreement(differences(x, comps, NTS), w)[0][0]) is a_wins  # comparison 0 is a vs b
            assert agreement(differences(x, comps, SUM), w)[0][0]

    def test_matches_trl_formula(self):
        # Our numpy normalisation is TRL 1.16's (grpo_trainer.py, normalize_then_sum), NaN for None included
        torch = pytest.importorskip("torch")
        from trl.trainer.utils import nanstd

        rng = np.random.default_rng(2)
        block = rng.normal(size=(8, 3))
        block[2, 1] = np.nan
        block[:, 2] = 0.5  # constant component: std 0
        t = torch.tensor(block)
        mean_k = torch.nanmean(t, dim=0, keepdim=True)
        expected = torch.nan_to_num((t - mean_k) / (nanstd(t, dim=0, keepdim=True) + 1e-4), nan=0.0).numpy()
        # rtol: TRL computes the Bessel factor count / (count - 1) in float32
        np.testing.assert_allclose(group_normalise(block), expected, rtol=1e-6, atol=1e-9)

    def test_ties_count_as_misordered(self):
        # Two answers every component scores the same give GRPO no signal
        x = np.array([[1.0, 0.5], [1.0, 0.5]])
        correct, tie = agreement(differences(x, comparisons_of(x, [([0, 1], [1, 2])]), SUM), np.ones(2))
        assert not correct[0] and tie[0]


def rows_of(label: str, groups: list[str]) -> list[LabelledSet]:
    return [s for s in load(PAIRS / "train.jsonl") if s.kind == "pair" and s.label == label and s.group in groups]


TRAIN_GROUPS = ["01-ride-booking", "02-search-home", "04-todo", "05-pricing"]
HELD_GROUPS = ["06-faq-accordion", "08-tabs"]


class TestHonestHeldOut:
    def test_heldout_agreement_uses_heldout_rows_only(self, tmp_path):
        # Train: original > its broken-tag mutant. Held out: the same kind of pair for other components, labelled
        # the wrong way round. Every weighting agrees with all training rows and with no held-out row, so any
        # training row counted as held out would lift held-out agreement above 0.
        train = rows_of("break_tag", TRAIN_GROUPS)
        held = [
            LabelledSet(s.id, s.group, s.prompt, s.answers[::-1], s.ranks, s.labels, kind="pair")
            for s in rows_of("break_tag", HELD_GROUPS)
        ]
        assert len(train) == 8 and len(held) == 4
        result = tune(train, held, preset="static", trials=3, cache_dir=tmp_path)
        for row in result.rows:
            assert result.held_agreement(row.name) == 0.0, row.name
        assert result.tuned.correct(result.train, SUM).all()

    def test_group_in_both_files_is_refused(self, tmp_path):
        rows = rows_of("break_tag", TRAIN_GROUPS)
        with pytest.raises(PairsError, match="in both files"):
            tune(rows, rows[:1], preset="static", trials=1, cache_dir=tmp_path)


COMPONENT_FILES = sorted((ROOT / "data/components").glob("*.tsx"))


def component_answers() -> list[str]:
    return [f"```tsx\n{p.read_text().split(chr(10), 1)[1]}\n```" for p in COMPONENT_FILES]


class TestKnobs:
    def test_regrade_is_what_the_trainer_computes(self):
        # tune's scores, at the preset's knobs and re-graded from the same facts at other knob values, equal what
        # the reward functions built from a recipe section with those values return to TRL
        answers = component_answers()
        funcs, _ = build_rewards("static")
        facts = gather_facts(funcs, answers)
        assert grade_matrix(funcs, facts).tolist() == np.array([fn(answers) for fn in funcs]).T.tolist()
        knobs = {"ui_content_saturation": 10, "interactive_dead_penalty": 0.4, "interactive_wired_saturation": 1}
        regraded = grade_matrix(funcs, facts, with_knobs(funcs[0].options, knobs))
        trainer_funcs, _ = build_rewards(RewardArguments(reward_preset="static", **knobs))
        assert regraded.tolist() == np.array([fn(answers) for fn in trainer_funcs]).T.tolist()
        assert regraded.tolist() != grade_matrix(funcs, facts).tolist()

    def test_space_is_the_grader_knobs_of_the_recipe_table(self):
        # Every GraderOptions knob (the recipe keys), starting from the preset's value; no render knob
        section = RewardArguments(reward_preset="static", ui_content_saturation=40)
        space = {kn.name: kn for kn in knob_space(section)}
        assert set(space) == {n for n, k in KNOBS.items() if k.owner is GraderOptions}
        assert not any(n.startswith("render_") for n in space)
        sat = space["ui_content_saturation"]
        assert sat.integer and sat.start == 40 and sat.low < 40 < sat.high
        with pytest.raises(ValueError, match="not grader knobs"):
            knob_space(section, ["render_budget_ms"])

    def test_affected_finds_the_columns_each_knob_changes(self):
        # ui_content's saturation moves only ui_content; the overlong knobs move nothing on answers without lengths
        answers = component_answers()
        funcs, _ = build_rewards("static")
        facts = gather_facts(funcs, answers)
        names = [fn.name for fn in funcs]
        section = RewardArguments(reward_preset="static")
        changes = affected(funcs, facts, grade_matrix(funcs, facts), funcs[0].options, knob_space(section))
        assert changes["ui_content_saturation"] == [names.index("ui_content")]
        assert changes["interactive_wired_weight"] == [names.index("interactive")]
        assert "overlong_buffer" not in changes and "overlong_reference_ratio" not in changes


class TestCLI:
    def small_files(self, tmp_path):
        train = [json.loads(x) for x in (PAIRS / "train.jsonl").read_text().splitlines()]
        held = [json.loads(x) for x in (PAIRS / "heldout.jsonl").read_text().splitlines()]
        keep = {"break_tag", "drop_state_update", "truncate", "tiers", "same_value"}
        rows = [r for r in train if r["group"] in TRAIN_GROUPS and r["label"] in keep]
        (tmp_path / "train.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
        rows = [r for r in held if r["group"] == "11-stopwatch" and r["label"] in keep]
        (tmp_path / "held.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))

    def run(self, tmp_path, *extra) -> subprocess.CompletedProcess:
        preset = [] if "--preset" in extra else ["--preset", "static"]
        args = ["--pairs", tmp_path / "train.jsonl", "--heldout", tmp_path / "held.jsonl", *preset,
                "--trials", "2", "--folds", "2", "--cache-dir", tmp_path / "cache", *extra]  # fmt: skip
        return subprocess.run(
            [sys.executable, "-m", "reward", "tune", *map(str, args)], capture_output=True, text=True, cwd=ROOT
        )

    def test_end_to_end_writes_a_preset_build_rewards_accepts(self, tmp_path):
        self.small_files(tmp_path)
        proc = self.run(tmp_path, "--out", tmp_path / "tuned.yaml")
        assert proc.returncode == 0, proc.stderr
        out = proc.stdout
        for expected in ("Held-out pairwise agreement", "tuned for sum_then_normalize", "still misorder", "grader knob"):  # fmt: skip
            assert expected in out
        assert "scoring answers" in proc.stderr  # the progress bar
        # The file is a preset: loads by path, every knob the search changed is in it, and build_rewards takes it
        static, tuned = load_preset("static"), load_preset(str(tmp_path / "tuned.yaml"))
        assert list(tuned.weights) == list(static.weights)
        assert sum(tuned.weights.values()) == pytest.approx(sum(static.weights.values()), rel=0.01)
        assert "ui_content_saturation" in tuned.knobs and set(tuned.knobs) <= set(KNOBS)
        funcs, built = build_rewards(str(tmp_path / "tuned.yaml"))
        assert built == list(tuned.weights.values())
        assert funcs[0].options.ui_content_saturation == tuned.knobs["ui_content_saturation"]
        shown = subprocess.run([sys.executable, "-m", "reward", "presets", str(tmp_path / "tuned.yaml")],
                               capture_output=True, text=True, cwd=ROOT)  # fmt: skip
        assert shown.returncode == 0 and "ui_content_saturation: " in shown.stdout
        # A second run, from the tuned file as the preset, scores nothing again (same facts cache)
        again = self.run(tmp_path, "--preset", tmp_path / "tuned.yaml", "--no-knobs")
        assert again.returncode == 0, again.stderr
        n = out.split(" distinct answers")[0].split()[-1]
        assert f"{n} distinct answers ({n} cached)" in again.stdout
        assert "tuned.yaml" in again.stdout.split("Held-out pairwise agreement")[1]  # a baseline row of its own

    def test_bad_file_is_a_clean_error(self, tmp_path):
        (tmp_path / "train.jsonl").write_text('{"prompt": "p", "better": "a"}\n')
        (tmp_path / "held.jsonl").write_text("")
        proc = self.run(tmp_path)
        assert proc.returncode == 2 and "line 1" in proc.stderr and "Traceback" not in proc.stderr


def test_tuned_preset_round_trips_through_a_recipe(tmp_path):
    # The file `tune --out` writes, named by `reward_preset:` in a recipe, reaches build_rewards with its weights and
    # knobs unchanged (through the trainer's own parser), and the recipe can still override a knob
    trl = pytest.importorskip("trl")
    from genui_grpo.config import RECIPE

    base = RewardArguments(reward_preset="default")
    names = list(base.weights())
    weights = [0.1, 2.6, 1.6, 3.7, 1.1, 1.0, 0.0, 1.8, 2.1, 0.35, 0.45, 0.55][: len(names)]
    knobs = {"ui_content_saturation": 31, "interactive_dead_penalty": 0.27, "runtime_dialog_penalty": 0.05}
    preset = tmp_path / "tuned.yaml"
    preset.write_text(tuned_preset(base, names, np.array(weights), knobs, ["tuned: a test", "second line"]))
    recipe = tmp_path / "recipe.yaml"
    lines = [x for x in (ROOT / "recipes/tiny-cpu.yaml").read_text().splitlines() if not x.startswith("reward_preset")]
    recipe.write_text("\n".join([*lines, f"reward_preset: {preset}"]) + "\n")
    parser = trl.TrlParser(RECIPE)
    _, reward_args, training, _ = parser.parse_args_and_config(["--config", str(recipe)])
    funcs, built = build_rewards(reward_args, weights=training.reward_weights)
    assert [f.name for f in funcs] == names and built == weights
    for name, value in knobs.items():
        assert getattr(funcs[0].options, name) == value
    assert load_preset(str(preset)).description == "a test"  # what `python -m reward presets` lists
    _, reward_args, _, _ = parser.parse_args_and_config(["--config", str(recipe), "--ui_content_saturation", "12"])
    assert build_rewards(reward_args)[0][0].options.ui_content_saturation == 12
