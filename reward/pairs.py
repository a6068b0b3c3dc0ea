"""Labelled comparisons: what a team prefers, as JSON lines, read by `python -m reward tune`.

Each line is one of two kinds of row:

    {"prompt": "...", "better": "<answer>", "worse": "<answer>"}                        a pair
    {"prompt": "...", "answers": [{"completion": "<answer>", "rank": 1}, ...]}          a graded group

Answers are whole model answers (prose, fences and all), exactly as the reward sees them. In a graded group rank 1 is
the best; equal ranks state no preference between those answers; every pair of different ranks is a comparison.
Optional fields, on either kind:
    "id"         a name for the row, shown when the row is misordered (default: "line N"); unique in a file
    "group"      rows that share it are held out together (default: the prompt); our shipped set uses the component
    "reference"  the dataset's reference answer, for the length penalty (`overlong`) when token counts are unknown
    "label"      what kind of comparison this is (e.g. the mutation), for agreement per kind; an answer in a graded
                 group may carry its own "label"
Other fields are kept out of the way (free for notes).
"""

import json
import zlib
from dataclasses import dataclass, field
from pathlib import Path

PAIR_HINT = '{"prompt", "better", "worse"}'
GROUP_HINT = '{"prompt", "answers": [{"completion", "rank"}, ...]}'


class PairsError(ValueError):
    """A labelled-comparisons file is malformed; the message names the line and the fix."""


@dataclass
class LabelledSet:
    """One row: answers to one prompt with their ranks (1 = best). A pair is a set of two with ranks 1 and 2."""

    id: str
    group: str
    prompt: str
    answers: list[str]
    ranks: list[int]
    labels: list[str] = field(default_factory=list)  # one per answer ("" when not given)
    reference: str | None = None
    line: int = 0
    kind: str = "group"  # "pair" or "group"
    label: str = ""  # the row's own label

    def comparisons(self) -> list[tuple[int, int]]:
        """(better, worse) answer positions for every pair of different ranks."""
        n = len(self.answers)
        return [(i, j) for i in range(n) for j in range(n) if self.ranks[i] < self.ranks[j]]

    def kind_of(self, worse: int) -> str:
        """The kind of a comparison, for agreement per kind: the pair's label, or "<group label> / <worse answer's>"."""
        if self.kind == "pair":
            return self.label or "(unlabelled)"
        answer = self.labels[worse] if worse < len(self.labels) else ""
        return f"{self.label or 'group'} / {answer or '?'}"


def _string(row: dict, key: str, where: str, what: str, optional: bool = False) -> str | None:
    value = row.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, str) or (not optional and not value.strip()):
        raise PairsError(f'{where}: "{key}" must be a non-empty string ({what}); got {type(value).__name__}')
    return value


def parse_row(row, n: int) -> LabelledSet:
    where = f"line {n}"
    if not isinstance(row, dict):
        raise PairsError(f"{where}: expected a JSON object, a pair {PAIR_HINT} or a graded group {GROUP_HINT}")
    is_pair, is_group = "better" in row or "worse" in row, "answers" in row
    if is_pair and is_group:
        raise PairsError(f'{where}: has both "better"/"worse" and "answers"; a row is a pair or a graded group')
    if not (is_pair or is_group):
        raise PairsError(f"{where}: expected a pair {PAIR_HINT} or a graded group {GROUP_HINT}; keys: {sorted(row)}")
    prompt = _string(row, "prompt", where, "the user request the answers respond to")
    reference = _string(row, "reference", where, "the dataset's reference answer", optional=True)
    rid = row.get("id", where)
    if not isinstance(rid, (str, int)):
        raise PairsError(f'{where}: "id" must be a string or a number')
    group = row.get("group", prompt)
    if not isinstance(group, str):
        raise PairsError(f'{where}: "group" must be a string (rows sharing it are held out together)')
    label = row.get("label", "")
    if not isinstance(label, str):
        raise PairsError(f'{where}: "label" must be a string')
    if is_pair:
        better = _string(row, "better", where, "the preferred answer")
        worse = _string(row, "worse", where, "the less preferred answer")
        if better == worse:
            raise PairsError(f'{where}: "better" and "worse" are the same text; a pair needs two different answers')
        return LabelledSet(
            str(rid), group, prompt, [better, worse], [1, 2], [label, label], reference, n, "pair", label
        )
    answers = row["answers"]
    if not isinstance(answers, list) or len(answers) < 2:
        raise PairsError(f'{where}: "answers" must be a list of at least two {{"completion", "rank"}} objects')
    texts, ranks, labels = [], [], []
    for k, answer in enumerate(answers):
        at = f"{where}, answer {k}"
        if not isinstance(answer, dict):
            raise PairsError(f'{at}: expected {{"completion": str, "rank": int}}; got {type(answer).__name__}')
        texts.append(_string(answer, "completion", at, "the model's answer"))
        rank = answer.get("rank")
        if isinstance(rank, bool) or not isinstance(rank, int) or rank < 1:
            raise PairsError(f'{at}: "rank" must be an integer >= 1 (1 = best; equal ranks = no preference)')
        ranks.append(rank)
        sub = answer.get("label", "")
        if not isinstance(sub, str):
            raise PairsError(f'{at}: "label" must be a string')
        labels.append(sub)
    if len(set(ranks)) < 2:
        raise PairsError(f"{where}: every answer has rank {ranks[0]}: nothing to learn; give different ranks")
    if len(set(texts)) < len(texts):
        raise PairsError(f"{where}: the same answer appears twice in the group; list each answer once")
    return LabelledSet(str(rid), group, prompt, texts, ranks, labels, reference, n, "group", label)


def load(path: str | Path) -> list[LabelledSet]:
    """Read and validate a labelled-comparisons file. Errors name the line and the fix."""
    path = Path(path)
    if not path.exists():
        raise PairsError(f"{path}: no such file (build the shipped set with `python data/build_pairs.py`)")
    rows: list[LabelledSet] = []
    seen: dict[str, int] = {}
    for n, line in enumerate(path.read_text().splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as err:
            raise PairsError(f"{path}: line {n}: not valid JSON ({err.msg} at column {err.colno})") from err
        try:
            row = parse_row(raw, n)
        except PairsError as err:
            raise PairsError(f"{path}: {err}") from None
        if row.id in seen and "id" in raw:
            raise PairsError(f"{path}: line {n}: id {row.id!r} is already used on line {seen[row.id]}; ids are unique")
        seen[row.id] = n
        rows.append(row)
    if not rows:
        raise PairsError(f"{path}: no rows; expected JSON lines, each a pair {PAIR_HINT} or a group {GROUP_HINT}")
    return rows


def split_by_group(
    rows: list[LabelledSet], fraction: float, salt: str = "heldout"
) -> tuple[list[LabelledSet], list[LabelledSet]]:
    """(train, held-out): whole groups go to one side, chosen by a stable hash, so no group is on both sides and the
    split does not change when rows are added to other groups."""
    groups = sorted({r.group for r in rows}, key=lambda g: zlib.crc32(f"{salt}:{g}".encode()))
    n_held = round(fraction * len(groups))
    if fraction > 0 and len(groups) > 1:
        n_held = min(max(1, n_held), len(groups) - 1)
    held = set(groups[:n_held])
    return [r for r in rows if r.group not in held], [r for r in rows if r.group in held]
