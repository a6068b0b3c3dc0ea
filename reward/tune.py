"""Fit reward weights to what people prefer: `python -m reward tune`.

    python -m reward tune --pairs data/pairs/train.jsonl --heldout data/pairs/heldout.jsonl --preset default \
        [--aggregation sum_then_normalize] [--out tuned.yaml]

1. Score every distinct answer once with the preset's reward functions, through the same path as `reward.score`
   (reward.scoring.gather_facts). The expensive part (parse, compile, render) is cached on disk by answer hash,
   reward-code version and render settings, so a re-run is instant.
2. Fit the component weights with a Bradley-Terry model: P(better beats worse) = sigmoid(w . (x_better - x_worse)),
   L2-regularised, w >= 0 (every component is "higher is better" by design), by L-BFGS-B.
3. Optuna (TPE) searches what is not a linear weight: the L2 strength and the grader knobs (every GraderOptions field
   a recipe can set, reward/graders.py), each re-graded from the cached facts with `reward.registry.grade`, the code
   the trainer runs, by cross-validation over the training rows' groups. Render knobs are not searched: they change
   what the browser sees, which would need a render per trial. Held-out rows are never seen by the fit or the search.
4. Print held-out pairwise agreement for every preset and the tuned weights, under both of TRL's aggregations,
   per-component weight and importance, the knobs, agreement per kind of comparison, and the comparisons still
   misordered; write a preset YAML (weights + knobs) that `reward_preset: tuned.yaml` in a recipe loads.

Only ratios of weights matter to GRPO (advantages are normalised per group), so the tuned weights are scaled to the
preset's total. Agreement counts ties as misordered: a tie gives the policy no signal between the two answers.
"""

import argparse
import dataclasses
import hashlib
import logging
import pickle
import sys
import warnings
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from reward.config import KNOBS, RewardArguments, preset_names, preset_yaml
from reward.facts import Facts
from reward.graders import GraderOptions
from reward.node import ROOT, ToolchainError
from reward.pairs import LabelledSet, PairsError, load, split_by_group
from reward.registry import COMPONENTS, Needs, RewardFunction, build_rewards
from reward.scoring import gather_facts, grade_facts

logger = logging.getLogger(__name__)

# TRL 1.16 GRPOConfig.multi_objective_aggregation: weight and sum the components, then normalise the total per group;
# or normalise each component per group first (GDPO), then weight and sum.
SUM = "sum_then_normalize"
NTS = "normalize_then_sum"
AGGREGATIONS = (SUM, NTS)
TRL_EPS = 1e-4  # TRL adds it to the group std before dividing
DEFAULT_CACHE = Path(".cache") / "reward-tune"
# Files under reward/ that cannot change the facts (they grade, combine or configure them), left out of the code
# version that keys the facts cache: re-grading is cheap, gathering is not.
NOT_FACTS = {"graders.py", "seed.py", "registry.py", "config.py", "scoring.py", "stats.py", "__init__.py",
             "tune.py", "pairs.py", "__main__.py"}  # fmt: skip


# --- scoring, cached on disk ----------------------------------------------------------------------------------------
def code_version() -> str:
    """Hash of everything that decides the facts: the reward package (less NOT_FACTS) and the pinned npm toolchain."""
    h = hashlib.sha256()
    here = Path(__file__).resolve().parent
    files = sorted(p for p in here.rglob("*") if p.is_file() and p.suffix in (".py", ".mjs", ".js"))
    files = [p for p in files if p.name not in NOT_FACTS and "__pycache__" not in p.parts]
    for p in [*files, ROOT / "package-lock.json"]:
        if p.exists():
            h.update(p.name.encode() + b"\0" + p.read_bytes())
    return h.hexdigest()[:16]


def answer_key(text: str, reference: str | None) -> str:
    return hashlib.sha256(f"{text}\0{reference or ''}".encode()).hexdigest()


def reads(funcs: list[RewardFunction]) -> str:
    """How deep a set of reward functions looks at an answer, with the render settings when it renders (they change
    what the browser sees; pool size included, to keep the rule simple)."""
    lint = ""
    if any(fn.component.needs is Needs.ESLINT for fn in funcs):  # what ESLint said depends on its config
        lint = "+lint-" + hashlib.sha256(repr(funcs[0].lint_options).encode()).hexdigest()[:8]
    if any(fn.component.needs is Needs.BROWSER for fn in funcs):
        settings = hashlib.sha256(repr(funcs[0].render_options).encode()).hexdigest()[:8]
        return f"render-{settings}{lint}"
    return ("compile" + lint) if any(fn.component.compiles for fn in funcs) else "text"


class FactsCache:
    """Facts by answer hash, one pickle per (reward-code version, what is gathered). Local and trusted: it lives
    under .cache and only this tool writes it."""

    def __init__(self, directory: Path | None, depth: str):
        self.path = directory / f"{code_version()}-{depth}.pkl" if directory else None
        self.facts: dict[str, Facts] = {}
        if self.path is not None and self.path.exists():
            with self.path.open("rb") as f:
                self.facts = pickle.load(f)

    def save(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        with tmp.open("wb") as f:
            pickle.dump(self.facts, f)
        tmp.replace(self.path)


def score_facts(
    texts: list[str], references: list[str | None], funcs: list[RewardFunction], cache: FactsCache, batch: int = 32
) -> list[Facts]:
    """Facts for every answer as `funcs` read them (reward.scoring.gather_facts), from the cache where possible."""
    from tqdm import tqdm

    keys = [answer_key(t, r) for t, r in zip(texts, references, strict=True)]
    todo = sorted({k: i for i, k in enumerate(keys) if k not in cache.facts}.values())
    unscored: dict[str, Facts] = {}
    with tqdm(total=len(keys), initial=len(keys) - len(todo), desc="scoring answers", unit="answer") as bar:
        for start in range(0, len(todo), batch):
            chunk = todo[start : start + batch]
            facts = gather_facts(funcs, [texts[i] for i in chunk], [references[i] for i in chunk])
            for i, f in zip(chunk, facts, strict=True):
                if f.render is not None:
                    f.render.screenshot = None
                if (f.render_requested and f.render is None) or f.error is not None:
                    unscored[keys[i]] = f  # the machinery failed: scored None now, tried again next run
                else:
                    cache.facts[keys[i]] = f
            cache.save()
            bar.update(len(chunk))
    return [cache.facts.get(k) or unscored[k] for k in keys]


def without_render(facts: list[Facts]) -> list[Facts]:
    """The same facts as a run without the browser sees them (no render gate)."""
    return [dataclasses.replace(f, render=None, render_requested=False) for f in facts]


def grade_matrix(
    funcs: list[RewardFunction], facts: list[Facts], options: GraderOptions | None = None, only=None
) -> np.ndarray:
    """[answers, components]: each component's score as TRL receives it (NaN for None, "not applicable"), with each
    function's own grader knobs or `options`; `only`: the component columns to grade (the others are NaN)."""
    cols = range(len(funcs)) if only is None else only
    x = np.full((len(facts), len(funcs)), np.nan)
    for k in cols:
        for i, f in enumerate(facts):
            value = grade_facts(funcs[k], f, options)[0]
            x[i, k] = np.nan if value is None else value
    return x


# --- knobs that are not linear weights -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Knob:
    """A grader knob the search may change (a GraderOptions field, by its recipe key) and its search range."""

    name: str
    start: float  # the value in effect in the preset being tuned
    low: float
    high: float
    integer: bool


def knob_space(section: RewardArguments, only: list[str] | None = None) -> list[Knob]:
    """Every grader knob of the recipe's table (reward.config.KNOBS owned by GraderOptions), from a quarter to four
    times its value in the preset (log scale; counts stay >= 1; a knob the preset sets to 0 stays 0, as a log range
    cannot hold it). Render knobs are left out: changing one changes what
    the browser sees, and re-rendering every answer per trial is not a search anyone can wait for."""
    grader_knobs = [name for name, knob in KNOBS.items() if knob.owner is GraderOptions]
    if only is not None:
        unknown = [n for n in only if n not in grader_knobs]
        if unknown:
            raise ValueError(f"--knobs: {unknown} are not grader knobs; choose from {grader_knobs}")
        grader_knobs = [n for n in grader_knobs if n in only]
    space = []
    for name in grader_knobs:
        start, integer = getattr(section, name), KNOBS[name].type is int
        if integer:
            space.append(Knob(name, start, max(1, round(start / 4)), max(2, start * 4), True))
        elif start > 0:
            space.append(Knob(name, start, start / 4, start * 4, False))
    return space


def with_knobs(base: GraderOptions, values: dict[str, float]) -> GraderOptions:
    """`base` with some knobs changed (GraderOptions checks the values and raises ValueError for a bad one)."""
    return dataclasses.replace(base, **{KNOBS[name].attr: value for name, value in values.items()})


def round_knob(knob: Knob, value: float) -> float:
    """What the preset file will say: counts as integers, others to 3 significant digits (the fit uses the same)."""
    return int(round(value)) if knob.integer else float(f"{value:.3g}")


def affected(
    funcs: list[RewardFunction], facts: list[Facts], x: np.ndarray, base: GraderOptions, space: list[Knob]
) -> dict[str, list[int]]:
    """Knob -> the component columns it changes on these answers, found by re-grading at both ends of its range.
    Knobs that change nothing here (e.g. overlong's, when the answers carry no length) are left out of the search."""
    out = {}
    for knob in space:
        changed = set()
        for value in (knob.low, knob.high):
            try:
                y = grade_matrix(funcs, facts, with_knobs(base, {knob.name: round_knob(knob, value)}))
            except ValueError:
                continue  # outside what GraderOptions accepts: the search will not go there either
            changed |= set(np.flatnonzero(~np.all((y == x) | (np.isnan(y) & np.isnan(x)), axis=0)))
        if changed:
            out[knob.name] = sorted(int(k) for k in changed)
    return out


# --- labelled comparisons as feature differences ---------------------------------------------------------------------
@dataclass
class Comparisons:
    """Every (better, worse) comparison of a list of labelled sets, over a shared table of distinct answers."""

    sets: list[LabelledSet]
    members: list[list[int]]  # per set: its answers' rows in the answer table
    set_of: np.ndarray  # per comparison: its set
    better: np.ndarray  # per comparison: position of the better answer in its set
    worse: np.ndarray

    @classmethod
    def of(cls, sets: list[LabelledSet], index: dict[tuple[str, str | None], int]) -> "Comparisons":
        members = [[index[(a, s.reference)] for a in s.answers] for s in sets]
        rows = [(k, i, j) for k, s in enumerate(sets) for i, j in s.comparisons()]
        set_of, better, worse = (np.array(c, dtype=int) for c in zip(*rows, strict=True)) if rows else ([],) * 3
        return cls(sets, members, np.asarray(set_of), np.asarray(better), np.asarray(worse))

    def __len__(self) -> int:
        return len(self.set_of)

    def names(self) -> list[str]:
        """How each comparison is shown: the row's id, plus the ranks for a graded group."""
        out = []
        for k, i, j in zip(self.set_of, self.better, self.worse, strict=True):
            s = self.sets[k]
            out.append(
                s.id
                if s.kind == "pair"
                else f"{s.id} [{s.labels[i] or i} (rank {s.ranks[i]}) > {s.labels[j] or j} (rank {s.ranks[j]})]"
            )
        return out

    def kinds(self) -> list[str]:
        return [self.sets[k].kind_of(j) for k, j in zip(self.set_of, self.worse, strict=True)]

    def is_group(self) -> np.ndarray:
        return np.array([self.sets[k].kind == "group" for k in self.set_of], dtype=bool)

    def groups(self) -> np.ndarray:
        return np.array([self.sets[k].group for k in self.set_of])


def group_normalise(block: np.ndarray) -> np.ndarray:
    """TRL's normalize_then_sum, per component within one group: (x - mean) / (std + 1e-4), Bessel-corrected std,
    NaN (a reward that returned None) left out of the statistics and counted as 0."""
    with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        mean = np.nanmean(block, axis=0)
        count = np.sum(~np.isnan(block), axis=0)
        var = np.nanmean((block - mean) ** 2, axis=0) * np.where(count > 1, count / np.maximum(count - 1, 1), np.nan)
        z = (block - mean) / (np.sqrt(var) + TRL_EPS)
    return np.nan_to_num(z, nan=0.0)


def differences(x: np.ndarray, comps: Comparisons, aggregation: str) -> np.ndarray:
    """[comparisons, components]: what each component says about better minus worse, as the aggregation sees it.

    sum_then_normalize: the group normalisation of the weighted total is monotone, so the order within a group is the
    order of the raw weighted sums; differences are raw score differences (None counts 0, as TRL's nansum does).
    normalize_then_sum: each component is standardised within the labelled set first, so the order depends on the
    set: in a pair both z-scores are +-0.71, i.e. only the sign of each component's difference counts."""
    blocks = [x[m] if aggregation == NTS else np.nan_to_num(x[m], nan=0.0) for m in comps.members]
    if aggregation == NTS:
        blocks = [group_normalise(b) for b in blocks]
    d = [blocks[k][i] - blocks[k][j] for k, i, j in zip(comps.set_of, comps.better, comps.worse, strict=True)]
    return np.array(d, dtype=float).reshape(len(comps), x.shape[1])


def agreement(d: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(correct, tie) per comparison: the weighted difference is positive, or zero."""
    margin = d @ w
    tol = 1e-9 * (1.0 + np.abs(w).sum())
    return margin > tol, np.abs(margin) <= tol


# --- the Bradley-Terry fit --------------------------------------------------------------------------------------------
def fit(d: np.ndarray, l2: float, nonneg: np.ndarray | None = None) -> np.ndarray:
    """Weights minimising mean -log sigmoid(w . d) + l2/2 |w|^2, with w_k >= 0 where `nonneg` (default: all)."""
    from scipy.optimize import minimize
    from scipy.special import expit

    n, k = d.shape
    nonneg = np.ones(k, dtype=bool) if nonneg is None else nonneg
    # Many comparisons differ in the same way (every build failure vs its original): fit on distinct rows, weighted.
    rows, counts = np.unique(d, axis=0, return_counts=True) if n else (d, np.zeros(0))
    share = counts / max(n, 1)

    def loss(w):
        margin = rows @ w
        return (
            share @ np.logaddexp(0.0, -margin) + 0.5 * l2 * w @ w,
            -(rows.T @ (share * expit(-margin))) + l2 * w,
        )

    bounds = [(0.0, None) if b else (None, None) for b in nonneg]
    result = minimize(loss, np.full(k, 0.1), jac=True, method="L-BFGS-B", bounds=bounds)
    return result.x


def nll(d: np.ndarray, w: np.ndarray) -> float:
    return float(np.logaddexp(0.0, -(d @ w)).mean()) if len(d) else 0.0


def folds(groups: np.ndarray, k: int) -> list[np.ndarray]:
    """Validation masks of a k-fold split by group (each group in one fold), stable across runs."""
    names = sorted(set(groups), key=lambda g: zlib.crc32(g.encode()))
    fold_of = {g: n % k for n, g in enumerate(names)}
    return [np.array([fold_of[g] == f for g in groups]) for f in range(min(k, len(names)))]


def cv_nll(d: np.ndarray, groups: np.ndarray, l2: float, k: int) -> float:
    masks = folds(groups, k)
    return float(np.mean([nll(d[m], fit(d[~m], l2)) for m in masks]))


@dataclass
class SearchResult:
    l2: float
    knobs: dict[str, float]  # the searched knobs at their best (rounded as the preset file writes them)
    x: np.ndarray  # [answers, components] at those knob values
    cv_nll: float
    start_cv_nll: float  # at the preset's knob values (the first trial), for comparison
    unaffected: list[str]  # knobs that change no score on the training answers (not searched)


def search(
    x: np.ndarray,
    facts: list[Facts],
    funcs: list[RewardFunction],
    comps: Comparisons,
    space: list[Knob],
    aggregation: str,
    trials: int,
    k: int,
    seed: int,
) -> SearchResult:
    """Optuna TPE over the L2 strength and the grader knobs, minimising cross-validated log-loss on the training rows.
    Each trial re-grades, from the cached facts, only the components its knobs change, and only the training answers;
    the first trial is the preset as it is."""
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    groups = comps.groups()
    base = funcs[0].options
    used = sorted({a for m in comps.members for a in m})
    changes = affected(funcs, [facts[a] for a in used], x[used], base, space)
    searched = [kn for kn in space if kn.name in changes]

    def columns(values: dict[str, float], rows: list[int]) -> np.ndarray:
        """x with the components the changed knobs touch re-graded at `values`, for the answers in `rows`."""
        moved = {kn.name for kn in searched if values[kn.name] != kn.start}
        cols = sorted({c for name in moved for c in changes[name]})
        out = x.copy()
        if cols:
            options = with_knobs(base, values)
            out[rows[:, None], cols] = grade_matrix(funcs, [facts[a] for a in rows], options, cols)[:, cols]
        return out

    def objective(trial) -> float:
        l2 = trial.suggest_float("l2", 1e-4, 10.0, log=True)
        values = {}
        for kn in searched:
            suggest = trial.suggest_int if kn.integer else trial.suggest_float
            values[kn.name] = round_knob(kn, suggest(kn.name, kn.low, kn.high, log=True))
        try:
            d = differences(columns(values, np.array(used)), comps, aggregation)
        except ValueError as err:  # a combination GraderOptions refuses
            raise optuna.TrialPruned(str(err)) from None
        return cv_nll(d, groups, l2, k)

    sampler = optuna.samplers.TPESampler(seed=seed, multivariate=True)
    study = optuna.create_study(direction="minimize", sampler=sampler)
    study.enqueue_trial({"l2": 1e-2, **{kn.name: kn.start for kn in searched}})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)  # multivariate TPE
        study.optimize(objective, n_trials=trials, show_progress_bar=sys.stderr.isatty())
    best = study.best_trial
    values = {kn.name: round_knob(kn, best.params[kn.name]) for kn in searched}
    return SearchResult(
        l2=best.params["l2"],
        knobs=values,
        x=columns(values, np.arange(len(facts))),
        cv_nll=best.value,
        start_cv_nll=study.trials[0].value,
        unaffected=[kn.name for kn in space if kn.name not in changes],
    )


# --- the preset file --------------------------------------------------------------------------------------------------
def fit_weights(d: np.ndarray, l2: float, preset_weights: np.ndarray) -> np.ndarray:
    """Tuned weights: fitted for the components whose score differs in some training comparison, scaled to those
    components' preset total and rounded to 3 significant digits (only ratios matter to GRPO); a component no label
    tells apart (e.g. `overlong` when no answer carries a length) keeps its preset weight: the labels say nothing
    about it, and a fit would only shrink it to 0 and drop it from training."""
    seen = np.any(d != 0, axis=0)
    w = fit(d[:, seen], l2)
    if w.sum() <= 0:
        raise ValueError("the fit gave every component weight 0: the labels do not separate; check the pairs file")
    out = np.array(preset_weights, dtype=float)
    out[seen] = [float(f"{v:.3g}") for v in w * (out[seen].sum() / w.sum())]
    return out


def tuned_preset(
    base: RewardArguments, names: list[str], weights: np.ndarray, knobs: dict[str, float], header: list[str]
) -> str:
    """A preset file in reward/presets' format: the tuned weights, the base preset's own knob settings, and the tuned
    knobs (what the weights were fitted with). Loads with `reward_preset: FILE` in a recipe."""
    return preset_yaml(
        header,
        {name: float(w) for name, w in zip(names, weights, strict=True)},
        {**base.preset.knobs, **knobs},
        {name: "[tuned]" for name in knobs},
    )


# --- the run -----------------------------------------------------------------------------------------------------------
@dataclass
class Weighting:
    """One row of the agreement table: weights over the scores of some components."""

    name: str
    x: np.ndarray  # [answers, components]
    weights: np.ndarray

    def correct(self, comps: Comparisons, aggregation: str) -> np.ndarray:
        return agreement(differences(self.x, comps, aggregation), self.weights)[0]


@dataclass
class TuneResult:
    preset: str
    section: RewardArguments  # the preset tuned (its knobs are the search's starting point)
    aggregation: str  # what the written weights are fitted for
    names: list[str]  # the preset's components
    preset_weights: np.ndarray
    rows: list[Weighting]  # the presets these facts can score, then "tuned for <aggregation>" for each aggregation
    searches: dict[str, SearchResult]
    space: list[Knob]
    train: Comparisons
    held: Comparisons
    trials: int
    folds: int

    @property
    def tuned(self) -> Weighting:
        return next(r for r in self.rows if r.name == f"tuned for {self.aggregation}")

    def held_agreement(self, row: str, aggregation: str | None = None) -> float:
        weighting = next(r for r in self.rows if r.name == row)
        return float(weighting.correct(self.held, aggregation or self.aggregation).mean())


def check_split(train_sets: list[LabelledSet], held_sets: list[LabelledSet]) -> None:
    if not held_sets:
        raise PairsError("no held-out rows: pass --heldout FILE, or --heldout-fraction > 0 with several groups")
    leaked = {s.group for s in train_sets} & {s.group for s in held_sets}
    if leaked:
        raise PairsError(f"groups {sorted(leaked)[:5]} are in both files: a held-out group must not be fitted on")
    shared = {a for s in train_sets for a in s.answers} & {a for s in held_sets for a in s.answers}
    if shared:
        logger.warning("%d answers appear in both the training and the held-out rows", len(shared))


def baselines(preset: str, funcs: list[RewardFunction], weights: list[float], facts: list[Facts]) -> list[Weighting]:
    """The tuned preset and every built-in preset these facts can score: those that read no deeper than what was
    gathered (no browser preset from a static run)."""
    depth = reads(funcs)
    rows = []
    for name in dict.fromkeys([*preset_names(), preset]):
        if name == preset:
            rows.append(Weighting(name, grade_matrix(funcs, facts), np.array(weights)))
            continue
        section = RewardArguments(reward_preset=name)
        components = [COMPONENTS[n] for n in section.weights()]
        browser = any(c.needs is Needs.BROWSER for c in components)
        linted = any(c.needs is Needs.ESLINT for c in components)
        if (browser and not depth.startswith("render")) or (depth == "text" and any(c.compiles for c in components)):
            continue
        if linted and "+lint" not in depth:  # its lint scores would all read "not linted"
            continue
        pfuncs, pweights = build_rewards(section)
        x = grade_matrix(pfuncs, facts if browser else without_render(facts))
        rows.append(Weighting(name, x, np.array(pweights)))
    return rows


def tune(
    train_sets: list[LabelledSet],
    held_sets: list[LabelledSet],
    preset: str = "default",
    aggregation: str = SUM,
    trials: int = 60,
    folds: int = 4,
    seed: int = 0,
    cache_dir: Path | None = DEFAULT_CACHE,
    knobs: list[str] | None = None,
) -> TuneResult:
    """Score, search and fit on `train_sets`; `held_sets` are only scored, for the report. `preset`: a built-in name
    or a preset YAML file; `knobs`: the grader knobs to search (default: every one that changes a training score)."""
    check_split(train_sets, held_sets)
    section = RewardArguments(reward_preset=preset)
    space = knob_space(section, knobs)  # a wrong knob name fails before anything is scored
    index: dict[tuple[str, str | None], int] = {}  # every distinct answer, scored once
    for s in train_sets + held_sets:
        for a in s.answers:
            index.setdefault((a, s.reference), len(index))
    texts, references = [a for a, _ in index], [r for _, r in index]
    funcs, preset_weights = build_rewards(section)
    cache = FactsCache(cache_dir, reads(funcs))
    hits = sum(answer_key(t, r) in cache.facts for t, r in zip(texts, references, strict=True))
    browser = " with the browser" if reads(funcs).startswith("render") else ""
    print(f"{len(texts)} distinct answers ({hits} cached), preset {preset}{browser}")
    facts = score_facts(texts, references, funcs, cache)
    train, held = Comparisons.of(train_sets, index), Comparisons.of(held_sets, index)
    names = [fn.name for fn in funcs]
    rows = baselines(preset, funcs, preset_weights, facts)
    x = next(r.x for r in rows if r.name == preset)
    searches = {}
    for agg in AGGREGATIONS:  # fitted for both, so the report can compare; `aggregation` picks what is written
        found = searches[agg] = search(x, facts, funcs, train, space, agg, trials, folds, seed)
        weights = fit_weights(differences(found.x, train, agg), found.l2, np.array(preset_weights))
        rows.append(Weighting(f"tuned for {agg}", found.x, weights))
    return TuneResult(
        preset,
        section,
        aggregation,
        names,
        np.array(preset_weights),
        rows,
        searches,
        space,
        train,
        held,
        trials,
        folds,
    )


def _rate(ok: np.ndarray) -> str:
    return f"{ok.mean():.3f}" if len(ok) else "  -  "


def print_report(r: TuneResult, out=sys.stdout) -> None:
    def say(line: str = "") -> None:
        print(line, file=out)

    held, group = r.held, r.held.is_group()
    say(f"\ntrain: {len(r.train.sets)} rows, {len(r.train)} comparisons; held out: {len(held.sets)} rows from "
        f"{len({s.group for s in held.sets})} groups, {int((~group).sum())} pair + {int(group.sum())} group comparisons")  # fmt: skip
    say("\nHeld-out pairwise agreement (ties count as misordered)")
    say(f"{'':34}{SUM:^26}{NTS:^26}{'train':>8}")
    say(f"{'weights':34}" + f"{'pairs':>8}{'groups':>9}{'all':>8}  " * 2 + f"{'all':>7}")
    for row in r.rows:
        cells = ""
        for agg in AGGREGATIONS:
            ok = row.correct(held, agg)
            cells += f"{_rate(ok[~group]):>8}{_rate(ok[group]):>9}{_rate(ok):>8}  "
        say(f"{row.name:34}{cells}{_rate(row.correct(r.train, r.aggregation)):>7}")
    base = next(row for row in r.rows if row.name == r.preset)
    for agg in AGGREGATIONS:
        reachable = (differences(base.x, held, agg) > 0).any(axis=1)
        say(f"ceiling ({agg}): {_rate(reachable)}; in {int((~reachable).sum())} held-out comparisons no {r.preset} "
            "component prefers the better answer, so no weighting orders them")  # fmt: skip

    tuned = r.tuned
    d_train, d_held = differences(tuned.x, r.train, r.aggregation), differences(tuned.x, held, r.aggregation)
    tuned_ok, tuned_tie = agreement(d_held, tuned.weights)
    say(f"\nComponents ({r.aggregation}; weights keep the {r.preset} preset's total {r.preset_weights.sum():g}: only "
        "ratios matter when GRPO normalises per group)")  # fmt: skip
    say(f"{'component':24}{r.preset:>9}{'tuned':>9}{'std.coef':>10}{'drop-one':>10}")
    for k, name in enumerate(r.names):
        dropped = tuned.weights.copy()
        dropped[k] = 0.0
        drop = agreement(d_held, dropped)[0].mean() - tuned_ok.mean()
        std_coef = tuned.weights[k] * d_train[:, k].std()
        kept = "   kept: no training comparison tells its scores apart" if not d_train[:, k].any() else ""
        say(f"{name:24}{r.preset_weights[k]:>9.3g}{tuned.weights[k]:>9.3g}{std_coef:>10.3f}{drop:>+10.3f}{kept}")
    say("(std.coef: weight x std of the component's difference over training comparisons; drop-one: change in")
    say(" held-out agreement with that weight set to 0, no refit)")

    s = r.searches[r.aggregation]
    say(
        f"\nSearch ({r.trials} Optuna TPE trials, {r.folds}-fold CV by group on training rows only): l2 = {s.l2:.3g}; "
        f"CV log-loss {s.start_cv_nll:.4f} with the {r.preset} knobs -> {s.cv_nll:.4f}"
    )
    if s.knobs:
        say(f"  {'grader knob':40}{r.preset:>10}{'tuned':>10}   searched")
        for kn in r.space:
            if kn.name in s.knobs:
                say(f"  {kn.name:40}{kn.start:>10g}{s.knobs[kn.name]:>10g}   [{kn.low:g}, {kn.high:g}]")
    if s.unaffected:
        say(f"  not searched (no training score changes with them): {', '.join(s.unaffected)}")

    kinds = np.array(held.kinds())
    base_ok = base.correct(held, r.aggregation)
    say(f"\nHeld-out agreement by kind ({r.aggregation})")
    say(f"{'kind':44}{'n':>5}{r.preset:>10}{'tuned':>8}")
    for kind in sorted(set(kinds)):
        m = kinds == kind
        say(f"{kind:44}{m.sum():>5}{base_ok[m].mean():>10.3f}{tuned_ok[m].mean():>8.3f}")

    wrong = np.flatnonzero(~tuned_ok)
    shown = held.names()
    say(f"\nHeld-out comparisons the tuned weights still misorder: {len(wrong)} of {len(held)} ({int(tuned_tie.sum())} ties)")  # fmt: skip
    for c in wrong:
        contrib = d_held[c] * tuned.weights
        against = ", ".join(f"{r.names[k]} {contrib[k]:+.2f}" for k in np.argsort(contrib)[:3] if contrib[k] < 0)
        margin = "tie: every component scores both the same" if tuned_tie[c] else f"margin {contrib.sum():+.2f}"
        say(f"  {shown[c]}: {margin}" + (f"; against: {against}" if against else ""))
    say(f"\nheld-out agreement ({r.aggregation}): {r.preset} {base_ok.mean():.3f} -> tuned {tuned_ok.mean():.3f}")


def run(args) -> int:
    train_sets = load(args.pairs)
    if args.heldout:
        held_sets = load(args.heldout)
    else:
        train_sets, held_sets = split_by_group(train_sets, args.heldout_fraction)
    knobs = [] if args.no_knobs else args.knobs
    result = tune(train_sets, held_sets, args.preset, args.aggregation, args.trials, args.folds, args.seed,
                  None if args.no_cache else Path(args.cache_dir), knobs)  # fmt: skip
    print_report(result)
    if args.out:
        before, after = result.held_agreement(args.preset), result.held_agreement(result.tuned.name)
        header = [
            f"{Path(args.out).stem}: weights and grader knobs fitted by `python -m reward tune` to what people prefer",
            f"Fitted to {len(result.train)} labelled comparisons ({args.pairs}), starting from preset {args.preset}.",
            f"Held-out pairwise agreement {before:.3f} ({args.preset}) -> {after:.3f} (tuned) on {len(result.held)} "
            "comparisons.",
            f"Fitted for multi_objective_aggregation: {args.aggregation} (a GRPOConfig key: set it in the recipe"
            + (", TRL's default)." if args.aggregation == SUM else ")."),
            f"Use: `reward_preset: {args.out}` in a recipe. Total weight kept at the preset's "
            f"{result.preset_weights.sum():g} (only ratios matter).",
        ]
        s = result.searches[args.aggregation]
        text = tuned_preset(result.section, result.names, result.tuned.weights, s.knobs, header)
        Path(args.out).write_text(text)
        print(f"wrote {args.out} (`python -m reward presets {args.out}` shows every value in effect)")
    return 0


def add_parser(sub) -> None:
    """The `tune` subcommand of `python -m reward` (kept here so __main__ stays a table of commands)."""
    p = sub.add_parser("tune", help="fit component weights to labelled comparisons", description=__doc__,
                       formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    p.add_argument("--pairs", required=True, help="labelled comparisons to fit on (JSON lines; see reward/pairs.py)")
    p.add_argument("--heldout", help="labelled comparisons to report agreement on (never fitted)")
    p.add_argument("--heldout-fraction", type=float, default=0.25,
                   help="without --heldout: the share of --pairs' groups held out (default 0.25)")  # fmt: skip
    p.add_argument("--preset", default="default",
                   help="preset to tune (a name or a preset YAML file): its components, knobs, and the baseline")  # fmt: skip
    p.add_argument("--aggregation", default=SUM, choices=AGGREGATIONS,
                   help="TRL multi_objective_aggregation the written weights are for (default: TRL's, sum_then_normalize)")  # fmt: skip
    p.add_argument("--out", help="write the tuned preset (weights + knobs) as a YAML file: `reward_preset: FILE`")
    p.add_argument("--trials", type=int, default=60, help="Optuna trials per aggregation (default 60)")
    p.add_argument(
        "--knobs",
        nargs="+",
        metavar="KNOB",
        help="grader knobs to search (default: every GraderOptions knob that changes a training score)",
    )
    p.add_argument("--no-knobs", action="store_true", help="fit the weights only, at the preset's knob values")
    p.add_argument("--folds", type=int, default=4, help="cross-validation folds by group (default 4)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--cache-dir", default=str(DEFAULT_CACHE), help="facts cache (default .cache/reward-tune)")
    p.add_argument("--no-cache", action="store_true", help="score everything again and keep nothing")
    p.set_defaults(func=cmd_tune)


def cmd_tune(args) -> int:
    try:
        return run(args)
    except ModuleNotFoundError as err:
        print(f"error: {err.name} is needed by `tune`: pip install -e '.[tune]'", file=sys.stderr)
    except (PairsError, ToolchainError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
    return 2
