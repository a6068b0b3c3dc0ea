"""Recipe fields for training on a team's own components: the packages a completion may import, the ESLint config its
code is judged by, and the styling the system prompt asks for. One small dataclass, mixed into the recipe's script
arguments; it moves as is into the reward section of the recipe once that exists. The lint defaults are LintOptions'
own (reward/lint.py), referenced here, never repeated.
"""

from dataclasses import dataclass, field
from pathlib import Path

from reward.compiler import DEFAULT_ALLOWED
from reward.lint import LintOptions
from reward.node import node_modules


@dataclass
class CodebaseArguments:
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
    styling: str = field(
        default="Tailwind CSS utility classes",
        metadata={"help": "How components are styled, as the system prompt of a built dataset states it."},
    )
    lint_config: str | None = field(
        default=LintOptions.config,
        metadata={"help": "The team's ESLint flat config (eslint.config.mjs) for the `lint` reward; default: ours."},
    )
    lint_filename: str = field(
        default=LintOptions.filename,
        metadata={"help": "Path, relative to lint_config's folder, a completion is linted as (must match `files`)."},
    )
    lint_threads: int = field(
        default=LintOptions.threads, metadata={"help": "ESLint threads in each training process's Node worker."}
    )
    lint_warning_weight: float = field(
        default=LintOptions.warning_weight, metadata={"help": "An ESLint warning counts as this many errors."}
    )
    lint_zero_at: float = field(
        default=LintOptions.zero_at,
        metadata={"help": "Problems per 100 lines of code at which the lint reward reaches 0 (linear from 1)."},
    )
    lint_min_lines: int = field(
        default=LintOptions.min_lines,
        metadata={
            "help": "Shorter answers are judged as if this many lines long (one problem in 5 lines is not 20%)."
        },
    )

    def __post_init__(self):
        self.lint_options()  # invalid numbers fail at parse time, with the field names
        self.allowed_imports()

    def lint_options(self) -> LintOptions:
        return LintOptions(
            config=self.lint_config,
            filename=self.lint_filename,
            threads=self.lint_threads,
            warning_weight=self.lint_warning_weight,
            zero_at=self.lint_zero_at,
            min_lines=self.lint_min_lines,
        )

    def packages_path(self) -> Path:
        return Path(self.packages_dir).expanduser().resolve() if self.packages_dir else node_modules()

    def allowed_imports(self) -> tuple[str, ...]:
        """react/react-dom plus the allowed packages, each checked to be installed in packages_dir."""
        where = self.packages_path()
        for pkg in self.allowed_packages:
            if not pkg or pkg.startswith((".", "/")) or pkg.endswith("/"):
                raise ValueError(f"allowed_packages: {pkg!r} is not an npm package name (e.g. clsx, @acme/ui)")
            if not (where / pkg / "package.json").is_file():
                raise ValueError(
                    f"allowed_packages: '{pkg}' is not installed in {where}: `npm install {pkg}` there, "
                    "or set packages_dir to the node_modules folder that has it"
                )
        return tuple(dict.fromkeys((*DEFAULT_ALLOWED, *self.allowed_packages)))

    def reward_params(self) -> dict:
        """Keyword arguments of reward.build_rewards (and reward.score) for these settings."""
        return {"allowed_imports": self.allowed_imports(), "lint_options": self.lint_options()}
