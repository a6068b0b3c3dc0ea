"""The reward section of a recipe (RewardArguments) and presets (YAML files of component weights and knob values).

A recipe picks a preset and may set any knob by name; the same keys work in a preset file:

    reward_preset: default                # a built-in preset (reward/presets/*.yaml) or the path to your own YAML file
    interactive_wired_weight: 0.5         # any GraderOptions field (reward/graders.py), by its name
    render_budget_ms: 3000                # any RenderOptions field (reward/render.py), as render_<name>
    lint_config: eslint.config.mjs        # any LintOptions field (reward/lint.py), as lint_<name>
    allowed_packages: [react-feather]     # npm packages a completion may import, from packages_dir

Each knob's value is the recipe's (or command line's), else the preset file's, else its one default in GraderOptions
RenderOptions or LintOptions. Weights: the preset's, or `reward_funcs` with GRPOConfig's `reward_weights`.
`python -m reward presets [NAME | --config RECIPE]` prints the result as a preset file: every value in effect.
"""

import dataclasses
import difflib
import typing
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from reward.compiler import DEFAULT_ALLOWED
from reward.graders import GraderOptions
from reward.lint import LintOptions
from reward.node import node_modules
from reward.render import RenderOptions

PRESET_DIR = Path(__file__).resolve().parent / "presets"


@dataclass(frozen=True)
class Knob:
    """One tunable value: where it lives (`owner`'s field `attr`) and its default there."""

    owner: type
    attr: str
    type: Any
    default: Any
    help: str


def _knobs() -> dict[str, Knob]:
    knobs = {}
    for owner, prefix in ((GraderOptions, ""), (RenderOptions, "render_"), (LintOptions, "lint_")):
        hints = typing.get_type_hints(owner)
        for f in dataclasses.fields(owner):
            knobs[prefix + f.name] = Knob(owner, f.name, hints[f.name], f.default, f.metadata.get("help", ""))
    return knobs


KNOBS: dict[str, Knob] = _knobs()


@dataclass(frozen=True)
class Preset:
    name: str
    path: Path
    weights: MappingProxyType  # component -> weight (read-only: presets are cached and shared)
    knobs: MappingProxyType  # knob values the preset sets (the others keep their defaults)
    description: str = ""


def preset_names() -> list[str]:
    return sorted(p.stem for p in PRESET_DIR.glob("*.yaml"))


def _suggest(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def load_preset(name: str) -> Preset:
    """A built-in preset by name, or a preset YAML file by path: `weights: {component: weight}` plus any knob."""
    path = PRESET_DIR / f"{name}.yaml" if name in preset_names() else Path(name)
    if not path.is_file():
        raise ValueError(
            f"unknown reward preset {name!r}: use one of {preset_names()} or the path to a YAML preset file "
            "(`python -m reward presets default > mine.yaml` writes one to start from)"
        )
    return _read_preset(path.resolve(), path.stat().st_mtime_ns)


@lru_cache(maxsize=64)
def _read_preset(path: Path, mtime_ns: int) -> Preset:
    """Parsed once per file version (score() builds its reward functions on every call)."""
    data = yaml.safe_load(path.read_text()) or {}
    weights = data.pop("weights", None) if isinstance(data, dict) else None
    if not isinstance(weights, dict) or not weights:
        raise ValueError(f"preset {path}: expected a mapping with `weights: {{component: weight, ...}}`")
    for key in data:
        if key not in KNOBS:
            raise ValueError(f"preset {path}: unknown key {key!r}{_suggest(key, KNOBS)}; keys are `weights` and knobs")
    lines = path.read_text().splitlines()
    description = lines[0].lstrip("# ").strip() if lines and lines[0].startswith("#") else ""
    description = description.removeprefix(f"{path.stem}:").strip()
    weights = MappingProxyType({str(k): float(v) for k, v in weights.items()})
    return Preset(path.stem, path, weights, MappingProxyType(data), description)


def _recipe_type(t):
    """The type a recipe field gets: optional (None = not set here), tuples as lists (what argparse can parse)."""
    if typing.get_origin(t) is tuple:
        t = list[typing.get_args(t)[0]]
    if type(None) in typing.get_args(t):
        return t
    return t | None


def _with_knobs(cls):
    """Add every knob as a recipe field, generated from GraderOptions, RenderOptions and LintOptions: a knob added there is a
    recipe key without any change here. Default None: "not set in the recipe" (the preset's value, else the default)."""
    for name, knob in KNOBS.items():
        cls.__annotations__[name] = _recipe_type(knob.type)
        help_text = f"{knob.help} (default {knob.default!r}, or the preset's)".lstrip()
        setattr(cls, name, field(default=None, metadata={"help": help_text}))
    return dataclass(cls)


@_with_knobs
class RewardArguments:
    """The reward section of a recipe, parsed by `trl.TrlParser` next to ScriptArguments, GRPOConfig and ModelConfig.
    After construction every knob field holds the value in effect."""

    reward_preset: str = field(
        default="default",
        metadata={"help": "Reward preset: a name (`python -m reward presets`) or the path to a preset YAML file."},
    )
    reward_funcs: list[str] | None = field(
        default=None,
        metadata={"help": "Reward components by name, instead of the preset's; weights from reward_weights."},
    )
    allowed_packages: list[str] = field(
        default_factory=list,
        metadata={
            "help": "npm packages a completion may import besides react/react-dom (and their subpaths), e.g. "
            "[react-feather, clsx, '@acme/ui']; installed in packages_dir. Anything else fails to compile."
        },
    )
    packages_dir: str | None = field(
        default=None,
        metadata={"help": "The node_modules folder allowed_packages resolve from; default: the reward's own."},
    )

    def __post_init__(self):
        if not self.reward_preset:
            raise ValueError("reward_preset is empty: name a preset (e.g. 'static') or a preset YAML file")
        self._preset = load_preset(self.reward_preset)
        # The values set here (recipe or CLI), kept so the same knobs can be applied to another preset.
        self._given = {name: getattr(self, name) for name in KNOBS if getattr(self, name) is not None}
        for name, knob in KNOBS.items():
            if getattr(self, name) is None:
                setattr(self, name, self._preset.knobs.get(name, knob.default))
        self.grader_options()  # a wrong value fails here, at parse time, not in the first training step
        self.render_options()  # RenderOptions checks its own values, naming the recipe key
        self.lint_options()
        self.allowed_imports()  # every allowed package installed in packages_dir

    @property
    def preset(self) -> Preset:
        return self._preset

    def _options(self, owner: type):
        values = {}
        for name, knob in KNOBS.items():
            if knob.owner is owner:
                value = getattr(self, name)
                values[knob.attr] = tuple(value) if isinstance(value, list) else value
        return owner(**values)

    def grader_options(self) -> GraderOptions:
        return self._options(GraderOptions)

    def render_options(self) -> RenderOptions:
        return self._options(RenderOptions)

    def lint_options(self) -> LintOptions:
        return self._options(LintOptions)

    def packages_path(self) -> str:
        """The node_modules folder allowed packages resolve from (absolute)."""
        return str(Path(self.packages_dir).expanduser().resolve() if self.packages_dir else node_modules())

    def allowed_imports(self) -> tuple[str, ...]:
        """react/react-dom plus the allowed packages, each checked to be installed in packages_dir."""
        where = Path(self.packages_path())
        for pkg in self.allowed_packages:
            if not pkg or pkg.startswith((".", "/")) or pkg.endswith("/"):
                raise ValueError(f"allowed_packages: {pkg!r} is not an npm package name (e.g. clsx, @acme/ui)")
            if not (where / pkg / "package.json").is_file():
                raise ValueError(
                    f"allowed_packages: '{pkg}' is not installed in {where}: `npm install {pkg}` there, "
                    "or set packages_dir to the node_modules folder that has it"
                )
        return tuple(dict.fromkeys((*DEFAULT_ALLOWED, *self.allowed_packages)))

    def weights(self, reward_weights: list[float] | None = None) -> dict[str, float]:
        """Component -> weight: `reward_funcs` with `reward_weights` (GRPOConfig's), else the preset's."""
        if self.reward_funcs:
            w = list(reward_weights) if reward_weights else [1.0] * len(self.reward_funcs)
            if len(w) != len(self.reward_funcs):
                raise ValueError(
                    f"{len(self.reward_funcs)} reward_funcs but {len(w)} reward_weights; give one weight each"
                )
            return dict(zip(self.reward_funcs, (float(x) for x in w), strict=True))
        if reward_weights:
            raise ValueError(
                "reward_weights given with a preset; list reward_funcs too, drop reward_weights, "
                "or write the weights in a preset file"
            )
        return dict(self._preset.weights)

    def with_preset(self, preset: str) -> "RewardArguments":
        """Another preset's weights with the same knobs set here (evaluation scores several presets alike)."""
        return RewardArguments(
            reward_preset=preset, allowed_packages=self.allowed_packages, packages_dir=self.packages_dir, **self._given
        )

    def to_yaml(self, reward_weights: list[float] | None = None) -> str:
        """This section as a preset file: the weights and every knob in effect (loads back to the same values)."""
        source = "reward_funcs" if self.reward_funcs else f"preset {self.reward_preset!r}"
        notes = {
            name: "[recipe]" if name in self._given else "[preset]" for name in {**self._preset.knobs, **self._given}
        }
        return preset_yaml(
            [f"reward weights from {source}, with every knob in effect"],
            self.weights(reward_weights),
            {name: getattr(self, name) for name in KNOBS},
            notes,
        )


def preset_yaml(header: list[str], weights: dict[str, float], knobs: dict[str, Any], notes=None) -> str:
    """A preset file: `header` as comment lines (the first is the description `presets` lists), the weights, then
    each knob with its help (and `notes[name]`) as a comment."""
    lines = [f"# {line}".rstrip() for line in header] + ["weights:"]
    lines += [f"  {name}: {weight!r}" for name, weight in weights.items()]
    for name, value in knobs.items():
        value = list(value) if isinstance(value, tuple) else value
        text = yaml.safe_dump({name: value}, default_flow_style=True, width=1000).strip()[1:-1]
        comment = " ".join(x for x in (KNOBS[name].help, (notes or {}).get(name, "")) if x)
        lines.append(f"{text}  # {comment}" if comment else text)
    return "\n".join(lines) + "\n"


def from_recipe(path: str | Path) -> tuple[RewardArguments, list[float] | None, int | None]:
    """The reward section of a recipe file, read without the trainer's parser (torch-free, for `python -m reward`):
    RewardArguments, and the two GRPOConfig keys the reward also reads (reward_weights, max_completion_length)."""
    return reward_section(yaml.safe_load(Path(path).read_text()) or {}, str(path))


def reward_section(data: dict, source: str = "recipe") -> tuple[RewardArguments, list[float] | None, int | None]:
    """from_recipe on a recipe's parsed YAML mapping (other sections' keys are ignored)."""
    names = {f.name for f in dataclasses.fields(RewardArguments)}
    prefixes = ("reward_", "render_", *{k.split("_")[0] + "_" for k in KNOBS})
    for key in data:
        if key not in names and key != "reward_weights" and key.startswith(prefixes):
            raise ValueError(f"{source}: unknown reward key {key!r}{_suggest(key, names)}")
    args = RewardArguments(**{k: v for k, v in data.items() if k in names})
    return args, data.get("reward_weights"), data.get("max_completion_length")
