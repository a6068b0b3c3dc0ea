"""Fit reward weights to what people prefer: `python -m reward tune`.

    python -m reward tune --pairs data/pairs/train.jsonl --heldout data/pairs/heldout.jsonl --preset default \
        [--aggregation sum_then_normalize] [--out tuned.yaml]

1. Score every distinct answer once with every component of the preset. The expensive part (parse, compile, render)
   is cached on disk by answer hash and reward-code version, so a re-run is instant.
2. Fit the component weights with a Bradley-Terry model: P(better beats worse) = sigmoid(w . (x_better - x_worse)),
   L2-regularised, w >= 0 (every component is "higher is better" by design), by L-BFGS-B.
3. Optuna (TPE) searches what is not a linear weight: the L2 strength, and grader knobs re-graded from the cached
   facts (today `ui_content`'s saturation), by cross-validation over the training rows' groups. Held-out rows are
   never seen by the fit or the search.
4. Print held-out pairwise agreement for every preset and the tuned weights, under both of TRL's aggregations,
   per-component weight and importance, agreement per kind of comparison, and the comparisons still misordered;
   write the tuned weights as a YAML a recipe can use.

Only ratios of weights matter to GRPO (advantages are normalised per group), so the tuned weights are scaled to the
preset's total. Agreement counts ties as misordered: a tie gives the policy no signal between the two answers.
"""

import argparse
import dataclasses
import hashlib
import inspect
import logging
import pickle
import sys
import warnings
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from reward import graders
from reward.facts import Facts, attach_renders, gather
from reward.node import ROOT, ToolchainError
from reward.pairs import LabelledSet, PairsError, load, split_by_group
from reward.registry import PRESETS, REGISTRY, build_rewards

logger = logging.getLogger(__name__)

# TRL 1.16 GRPOConfig.multi_objective_aggregation: weight and sum the components, then normalise the total per group;
# or normalise each component per group first (GDPO), then weight and sum.
SUM = "sum_then_normalize"
NTS = "normalize_then_sum"
AGGREGATIONS = (SUM, NTS)
TRL_EPS = 1e-4  # TRL adds it to the group std before dividing
DEFAULT_CACHE = Path(".cache") / "reward-tune"
# Files under reward/ that cannot change a score, left out of the code version that keys the cache.
NOT_SCORING = {"tune.py", "pairs.py", "__main__.py"}


# --- scoring, cached on disk ----------------------------------------------------------------------------------------
def code_version() -> str:
    """Hash of everything that decides a score: the reward package and the pinned npm toolchain."""
    h = hashlib.sha256()
    here = Path(__file__).resolve().parent
    files = sorted(p for p in here.rglob("*") if p.is_file() and p.suffix in (".py", ".mjs", ".js"))
    files = [p for p in files if p.name not in NOT_SCORING and "__pycache__" not in p.parts]
    for p in [*files, ROOT / "package-lock.json"]:
        if p.exists():
            h.update(p.name.encode() + b"\0" + p.read_bytes())
    return h.hexdigest()[:16]


def answer_key(text: str, reference: str | None) -> str:
    return hashlib.sha256(f"{text}\0{reference or ''}".encode()).hexdigest()


class FactsCache:
    """Facts by answer hash, one pickle per (reward-code version, with or without the browser). Local and trusted:
    it lives under .cache and only this tool writes it."""

    def __init__(self, directory: Path | None, render: bool):
        self.path = directory / f"{code_version()}-{'render' if render else 'static'}.pkl" if directory else None
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
    texts: list[str], references: list[str | None], render: bool, cache: FactsCache, batch: int = 32
) -> list[Facts]:
    """Facts for every answer (parsed, compiled, and rendered when `render`), from the cache where possible."""
    from tqdm import tqdm

    keys = [answer_key(t, r) for t, r in zip(texts, references, strict=True)]
    todo = sorted({k: i for i, k in enumerate(keys) if k not in cache.facts}.values())
    unscored: dict[str, Facts] = {}
    with tqdm(total=len(keys), initial=len(keys) - len(todo), desc="scoring answers", unit="answer") as bar:
        for start in range(0, len(todo), batch):
            chunk = todo[start : start + batch]
            facts = gather([texts[i] for i in chunk], [references[i] for i in chunk], compile=True)
            if render:
                attach_renders(facts)
            for i, f in zip(chunk, facts, strict=True):
                if f.render is not None:
                    f.render.screenshot = None
                if f.render_requested and f.render is None:
                    unscored[keys[i]] = f  # the render machinery failed: score it None now, try again next run
                else:
                    cache.facts[keys[i]] = f
            cache.save()
            bar.update(len(chunk))
    return [cache.facts.get(k) or unscored[k] for k in keys]


def without_render(facts: list[Facts]) -> list[Facts]:
    """The same facts as a run without the browser sees them (no render gate)."""
    return [dataclasses.replace(f, render=None, render_requested=False) for f in facts]


def cell(func, f: Facts, grade: Callable[[Facts], float | None] | None = None) -> float:
    """One component's score as TRL receives it: NaN where the reward returns None ("not applicable")."""
    if func.needs_render and f.render_requested and f.render is None:
        return np.nan  # the render machinery failed: not the answer's fault
    value = grade(f) if grade is not None else func.safe_grade(f)[0]
    return np.nan if value is None else float(value)


def grade_matrix(funcs: list, facts: list[Facts]) -> np.ndarray:
    """[answers, components]: every component's score for every answer."""
    return np.array([[cell(fn, f) for fn in funcs] for f in facts], dtype=float).reshape(len(facts), len(funcs))


# --- knobs that are not linear weights -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Knob:
    """A grader setting the search may change: its range, and how to re-grade its component from cached facts."""

    name: str
    component: str
    low: float
    high: float
    default: float
    regrade: Callable[[Facts, float], float]
    integer: bool = False
    log: bool = False
    applied: bool = False  # the trainer can be told this value (False: reported as a recommendation only)


def knob_table(components: list[str]) -> list[Knob]:
    """Phase 1 adapter: the knobs that exist today as grader parameters. `overlong`'s buffer_fraction is one too, but
    it acts only on token counts, which labelled answers do not carry. Issue 12's RewardArguments replaces this with
    the recipe's knob table (and makes them `applied`)."""
    table = []
    if "ui_content" in components:
        default = inspect.signature(graders.ui_content).parameters["saturation"].default
        table.append(
            Knob("ui_content.saturation", "ui_content", 5, 100, default,
                 lambda f, v: graders.ui_content(f, saturation=int(v))[0], integer=True, log=True)
        )  # fmt: skip
    return table


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
    knobs: dict[str, float]  # the values the fit uses: applied knobs at their best, the others at their defaults
    x: np.ndarray  # the score columns at those values
    cv_nll: float
    advice: dict[str, float]  # best values of the knobs the trainer cannot be told yet
    advice_cv_nll: float | None  # CV log-loss with them (compare with cv_nll)


def search(
    x: np.ndarray,
    facts: list[Facts],
    funcs: list,
    comps: Comparisons,
    knobs: list[Knob],
    aggregation: str,
    trials: int,
    k: int,
    seed: int,
) -> SearchResult:
    """Optuna TPE over the L2 strength and the knobs, minimising cross-validated log-loss on the training rows.

    The weights are fitted at what the trainer will apply: knobs it cannot read yet stay at their defaults there,
    and a second search over them says what they would gain (a recommendation, not used)."""
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    names = [fn.__name__ for fn in funcs]
    groups = comps.groups()
    if len(set(groups)) < 2:  # one prompt only: cross-validate over its rows instead
        groups = np.array([str(k) for k in comps.set_of])
    regraded: dict[tuple[str, float], np.ndarray] = {}

    def columns(values: dict[str, float]) -> np.ndarray:
        out = x.copy()
        for knob in knobs:
            key = (knob.name, values.get(knob.name, knob.default))
            if key not in regraded:
                fn = funcs[names.index(knob.component)]
                regraded[key] = np.array([cell(fn, f, lambda f, v=key[1], kn=knob: kn.regrade(f, v)) for f in facts])
            out[:, names.index(knob.component)] = regraded[key]
        return out

    diffs: dict[tuple, np.ndarray] = {}

    def study(space: list[Knob], fixed: dict[str, float]):
        def objective(trial) -> float:
            l2 = trial.suggest_float("l2", 1e-4, 10.0, log=True)
            values = {
                kn.name: (trial.suggest_int if kn.integer else trial.suggest_float)(
                    kn.name, kn.low, kn.high, log=kn.log
                )
                for kn in space
            }
            key = tuple(sorted({**fixed, **values}.items()))
            if key not in diffs:
                diffs[key] = differences(columns(dict(key)), comps, aggregation)
            return cv_nll(diffs[key], groups, l2, k)

        s = optuna.create_study(direction="minimize", sampler=optuna.samplers.TPESampler(seed=seed))
        s.enqueue_trial({"l2": 1e-2, **{kn.name: kn.default for kn in space}})
        s.optimize(objective, n_trials=trials, show_progress_bar=sys.stderr.isatty())
        return s.best_trial

    applied = [kn for kn in knobs if kn.applied]
    best = study(applied, {})
    values = {kn.name: best.params[kn.name] for kn in applied}
    advisory = [kn for kn in knobs if not kn.applied]
    advice = study(advisory, values) if advisory else None
    return SearchResult(
        l2=best.params["l2"],
        knobs={**{kn.name: kn.default for kn in advisory}, **values},
        x=columns(values),
        cv_nll=best.value,
        advice={kn.name: advice.params[kn.name] for kn in advisory} if advice else {},
        advice_cv_nll=advice.value if advice else None,
    )


# --- the preset file --------------------------------------------------------------------------------------------------
def scale_to(w: np.ndarray, total: float) -> np.ndarray:
    """Weights with the given total, rounded to 3 significant digits (only ratios matter to GRPO)."""
    if w.sum() <= 0:
        raise ValueError("the fit gave every component weight 0: the labels do not separate; check the pairs file")
    return np.array([float(f"{v:.3g}") for v in w * (total / w.sum())])


def write_preset(path: Path, names: list[str], weights: np.ndarray, aggregation: str, header: list[str]) -> None:
    """Phase 1 format: recipe keys (`reward_funcs`, `reward_weights`, `multi_objective_aggregation`) that a recipe can
    paste in place of `reward_preset`. Issue 12's preset files replace this."""
    import yaml

    body = yaml.safe_dump(
        {
            "reward_funcs": names,
            "reward_weights": [float(v) for v in weights],
            "multi_objective_aggregation": aggregation,
        },
        default_flow_style=None,
        sort_keys=False,
        width=1000,
    )
    path.write_text("".join(f"# {line}\n" if line else "#\n" for line in header) + body)


def load_preset(path: str | Path) -> tuple[list[str], list[float], str]:
    """(names, weights, aggregation) of a preset file written by `tune`; errors name the fix."""
    import yaml

    data = yaml.safe_load(Path(path).read_text()) or {}
    names, weights = data.get("reward_funcs"), data.get("reward_weights")
    if not isinstance(names, list) or not isinstance(weights, list) or len(names) != len(weights):
        raise ValueError(f"{path}: expected reward_funcs and reward_weights lists of the same length")
    unknown = [n for n in names if n not in REGISTRY]
    if unknown:
        raise ValueError(f"{path}: unknown reward function(s) {unknown}; available: {sorted(REGISTRY)}")
    aggregation = data.get("multi_objective_aggregation", SUM)
    if aggregation not in AGGREGATIONS:
        raise ValueError(f"{path}: multi_objective_aggregation must be one of {AGGREGATIONS}")
    return names, [float(w) for w in weights], aggregation


# --- the run -----------------------------------------------------------------------------------------------------------
def needs_render(preset: str) -> bool:
    return any(REGISTRY[n].needs_render for n in PRESETS[preset])


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
    aggregation: str  # what the written weights are fitted for
    names: list[str]  # the preset's components
    preset_weights: np.ndarray
    rows: list[Weighting]  # the presets these facts can score, then "tuned for <aggregation>" for each aggregation
    searches: dict[str, SearchResult]
    knobs: list[Knob]
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


def tune(
    train_sets: list[LabelledSet],
    held_sets: list[LabelledSet],
    preset: str = "default",
    aggregation: str = SUM,
    trials: int = 40,
    folds: int = 4,
    seed: int = 0,
    cache_dir: Path | None = DEFAULT_CACHE,
) -> TuneResult:
    """Score, search and fit on `train_sets`; `held_sets` are only scored, for the report."""
    check_split(train_sets, held_sets)
    index: dict[tuple[str, str | None], int] = {}  # every distinct answer, scored once
    for s in train_sets + held_sets:
        for a in s.answers:
            index.setdefault((a, s.reference), len(index))
    texts, references = [a for a, _ in index], [r for _, r in index]
    render = needs_render(preset)
    funcs, preset_weights = build_rewards(preset)
    cache = FactsCache(cache_dir, render)
    hits = sum(answer_key(t, r) in cache.facts for t, r in zip(texts, references, strict=True))
    print(f"{len(texts)} distinct answers ({hits} cached), preset {preset}" + (" with the browser" if render else ""))
    facts = score_facts(texts, references, render, cache)
    train, held = Comparisons.of(train_sets, index), Comparisons.of(held_sets, index)
    names = [fn.__name__ for fn in funcs]
    x = grade_matrix(funcs, facts)

    # Every preset these facts can score (without the browser: those that need none) is a baseline.
    rows = []
    for name in PRESETS:
        if needs_render(name) and not render:
            continue
        pfuncs, pweights = (funcs, preset_weights) if name == preset else build_rewards(name)
        px = x if name == preset else grade_matrix(pfuncs, facts if needs_render(name) else without_render(facts))
        rows.append(Weighting(name, px, np.array(pweights)))

    knobs = knob_table(names)
    searches = {}
    for agg in AGGREGATIONS:  # fitted for both, so the report can compare; `aggregation` picks what is written
        found = searches[agg] = search(x, facts, funcs, train, knobs, agg, trials, folds, seed)
        w = fit(differences(found.x, train, agg), found.l2)
        rows.append(Weighting(f"tuned for {agg}", found.x, scale_to(w, sum(preset_weights))))
    return TuneResult(
        preset, aggregation, names, np.array(preset_weights), rows, searches, knobs, train, held, trials, folds
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
        say(f"{name:24}{r.preset_weights[k]:>9.3g}{tuned.weights[k]:>9.3g}{std_coef:>10.3f}{drop:>+10.3f}")
    say("(std.coef: weight x std of the component's difference over training comparisons; drop-one: change in")
    say(" held-out agreement with that weight set to 0, no refit)")

    s = r.searches[r.aggregation]
    say(
        f"\nSearch ({r.trials} Optuna TPE trials, {r.folds}-fold CV by group on training rows only): l2 = {s.l2:.3g}, "
        f"CV log-loss {s.cv_nll:.4f}"
    )
    for knob in r.knobs:
        if knob.applied:
            say(f"  {knob.name}: {s.knobs[knob.name]:g} (default {knob.default:g})")
        else:
            say(f"  {knob.name}: best {s.advice[knob.name]:g} (CV log-loss {s.advice_cv_nll:.4f}); weights fitted at "
                f"the default {knob.default:g}, which the trainer uses until RewardArguments (issue 12) can carry it")  # fmt: skip

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
    result = tune(train_sets, held_sets, args.preset, args.aggregation, args.trials, args.folds, args.seed,
                  None if args.no_cache else Path(args.cache_dir))  # fmt: skip
    print_report(result)
    if args.out:
        s = result.searches[args.aggregation]
        before, after = result.held_agreement(args.preset), result.held_agreement(result.tuned.name)
        header = [
            f"Reward weights fitted by `python -m reward tune --preset {args.preset} --aggregation {args.aggregation}`",
            f"to {len(result.train)} labelled comparisons ({args.pairs}); held-out pairwise agreement {before:.3f}",
            f"({args.preset}) -> {after:.3f} (tuned) on {len(result.held)} comparisons. Total weight kept at the "
            f"preset's {result.preset_weights.sum():g}.",
            "Use in a recipe: put these keys in place of `reward_preset` (the weights are fitted for this aggregation).",
            *[f"Not applied (recommendation): {k.name}: {s.advice[k.name]:g} (default {k.default:g})"
              for k in result.knobs if not k.applied],
            "",
        ]  # fmt: skip
        write_preset(Path(args.out), result.names, result.tuned.weights, args.aggregation, header)
        print(f"wrote {args.out}")
    return 0


def add_parser(sub) -> None:
    """The `tune` subcommand of `python -m reward` (kept here so __main__ stays a table of commands)."""
    p = sub.add_parser("tune", help="fit component weights to labelled comparisons", description=__doc__,
                       formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    p.add_argument("--pairs", required=True, help="labelled comparisons to fit on (JSON lines; see reward/pairs.py)")
    p.add_argument("--heldout", help="labelled comparisons to report agreement on (never fitted)")
    p.add_argument("--heldout-fraction", type=float, default=0.25,
                   help="without --heldout: the share of --pairs' groups held out (default 0.25)")  # fmt: skip
    p.add_argument("--preset", default="default", choices=sorted(PRESETS), help="components to fit, and the baseline")
    p.add_argument("--aggregation", default=SUM, choices=AGGREGATIONS,
                   help="TRL multi_objective_aggregation the written weights are for (default: TRL's, sum_then_normalize)")  # fmt: skip
    p.add_argument("--out", help="write the tuned weights as a YAML a recipe can use")
    p.add_argument("--trials", type=int, default=40, help="Optuna trials per aggregation (default 40)")
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
