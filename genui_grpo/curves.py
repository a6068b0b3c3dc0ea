"""Training curves from a run's own logs, drawn as inline SVG (no plotting library, no JavaScript).

    python -m genui_grpo.curves outputs/demo               # -> outputs/demo/curves.html

The source is the `log_history` the Trainer keeps in <output_dir>/trainer_state.json (or, while a run is still going
or after it was stopped, in its last checkpoint's). TRL's GRPOTrainer logs, per logging step: `reward` and
`reward_std` (the weighted total), `rewards/<name>/mean` and `/std` for every reward function, `completions/mean_length`
(with `min_length`, `max_length`), `completions/clipped_ratio` (completions cut at max_completion_length) and
`frac_reward_zero_std` (groups whose samples all scored the same, which teach nothing). The components are whatever
the log holds, so a changed reward preset needs no change here; their order and weights come from the run summary
train.py writes beside it (trainer_state.json sorts its keys), when there is one.
"""

import argparse
import html
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

STATE_FILE = "trainer_state.json"
SUMMARY_FILE = "run_summary.json"  # train.py's summary (ScriptArguments.run_summary): {"rewards": {name: weight}}
COMPONENT = re.compile(r"^rewards/(.+)/mean$")

# Chart geometry (px) and colours
WIDTH, HEIGHT = 380, 210
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 28, 30
LINE, BAND, SMOOTH = "#2563eb", "#93c5fd", "#1e3a8a"

CSS = """
.curves{display:grid;grid-template-columns:repeat(auto-fill,minmax(380px,1fr));gap:14px}
figure.curve{margin:0;background:#fff;border-radius:8px;box-shadow:0 1px 3px #0002;padding:8px}
figure.curve figcaption{font-size:12px;color:#4b5563;margin:2px 4px}
figure.curve svg{width:100%;height:auto;font-family:system-ui,sans-serif}
p.curves-note{font-size:13px;color:#4b5563}
"""


@dataclass
class Panel:
    title: str
    caption: str
    line: list[tuple[float, float]]  # (step, value)
    band: list[tuple[float, float, float]] | None = None  # (step, low, high)
    y_range: tuple[float, float] | None = None  # fixed axis (ratios); None: fit the data


def find_trainer_state(run_dir: str | Path) -> Path | None:
    """<run_dir>/trainer_state.json (written when training ends), else the newest checkpoint's."""
    run = Path(run_dir)
    if (run / STATE_FILE).is_file():
        return run / STATE_FILE
    checkpoints = [p for p in run.glob("checkpoint-*") if p.name.split("-")[-1].isdigit()]
    for checkpoint in sorted(checkpoints, key=lambda p: int(p.name.split("-")[-1]), reverse=True):
        if (checkpoint / STATE_FILE).is_file():
            return checkpoint / STATE_FILE
    return None


@dataclass
class RunLog:
    history: list[dict]  # trainer_state.json's log_history
    source: Path | None  # the file it came from; None when the run left no trainer state
    weights: dict[str, float] | None = None  # reward name -> weight, in the run's order (from its summary)


def load_run_log(run_dir: str | Path) -> RunLog:
    path = find_trainer_state(run_dir)
    if path is None:
        return RunLog([], None)
    summary = Path(run_dir) / SUMMARY_FILE
    weights = json.loads(summary.read_text()).get("rewards") if summary.is_file() else None
    return RunLog(json.loads(path.read_text()).get("log_history", []), path, weights)


def _finite(v) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


def series(history: list[dict], key: str) -> list[tuple[float, float]]:
    """(step, value) for every log entry that has a finite `key` (TRL writes None when no value was valid)."""
    return [(e["step"], e[key]) for e in history if "step" in e and _finite(e.get(key))]


def _band(history: list[dict], low_key: str, high_key: str) -> list[tuple[float, float, float]]:
    return [
        (e["step"], e[low_key], e[high_key]) for e in history if _finite(e.get(low_key)) and _finite(e.get(high_key))
    ]


def _std_band(history: list[dict], mean_key: str, std_key: str) -> list[tuple[float, float, float]]:
    return [
        (e["step"], e[mean_key] - e[std_key], e[mean_key] + e[std_key])
        for e in history
        if _finite(e.get(mean_key)) and _finite(e.get(std_key))
    ]


def components(history: list[dict], weights: dict[str, float] | None = None) -> list[str]:
    """Reward component names the log holds: in the run's order when its weights are known, else alphabetical."""
    logged = {m.group(1) for entry in history for key in entry if (m := COMPONENT.match(key))}
    known = [name for name in weights or {} if name in logged]
    return known + sorted(logged - set(known))


def _trend(line: list[tuple[float, float]]) -> str:
    """'a → b': the mean of the first and of the last tenth of the logged steps (at least one step each)."""
    if not line:
        return "no values logged"
    n = max(1, len(line) // 10)
    first, last = sum(v for _, v in line[:n]) / n, sum(v for _, v in line[-n:]) / n
    span = f"first {n} vs last {n} logged steps" if n > 1 else "first vs last logged step"
    return f"{first:.3g} → {last:.3g} ({span})"


def panels(history: list[dict], weights: dict[str, float] | None = None) -> list[Panel]:
    """The charts a GRPO run's log supports, in reading order; a metric the log lacks gets no chart."""
    out = []
    if line := series(history, "reward"):
        out.append(Panel("Reward (weighted total)", f"mean ± std over the step's completions; {_trend(line)}", line,
                         _std_band(history, "reward", "reward_std")))  # fmt: skip
    for name in components(history, weights):
        mean, std = f"rewards/{name}/mean", f"rewards/{name}/std"
        weight = f", weight {weights[name]:g}" if weights and name in weights else ""
        if line := series(history, mean):
            band = _std_band(history, mean, std)
            out.append(Panel(f"{name} (mean{weight})", f"mean ± std; {_trend(line)}", line, band))
    if line := series(history, "completions/mean_length"):
        band = _band(history, "completions/min_length", "completions/max_length")
        out.append(Panel("Completion length (tokens)", f"mean, band min–max; {_trend(line)}", line, band or None))
    if line := series(history, "completions/clipped_ratio"):
        caption = f"share of completions cut at max_completion_length; {_trend(line)}"
        out.append(Panel("Clipped ratio", caption, line, y_range=(0.0, 1.0)))
    if line := series(history, "frac_reward_zero_std"):
        caption = f"share of groups whose samples all scored the same (no learning signal); {_trend(line)}"
        out.append(Panel("Groups with zero reward spread", caption, line, y_range=(0.0, 1.0)))
    return out


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick values (1, 2 or 5 x 10^k apart) covering [lo, hi]."""
    if hi <= lo:
        hi = lo + 1.0
    raw = (hi - lo) / max(1, count - 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    ticks = [math.floor(lo / step) * step]
    while ticks[-1] < hi - step * 1e-9:
        ticks.append(ticks[-1] + step)
    return [round(t, 12) + 0.0 for t in ticks]  # + 0.0 turns -0.0 into 0.0


def _fmt(v: float) -> str:
    return f"{v:.3g}" if abs(v) < 1e4 else f"{v:.2e}"


def _smooth(line: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Centred moving average over about a tenth of the points (only drawn when there are many)."""
    half = max(1, len(line) // 20)
    out = []
    for i, (step, _) in enumerate(line):
        window = [v for _, v in line[max(0, i - half) : i + half + 1]]
        out.append((step, sum(window) / len(window)))
    return out


def svg_chart(panel: Panel) -> str:
    xs = [s for s, _ in panel.line]
    lows = [v for _, v in panel.line] + [lo for _, lo, _ in panel.band or []]
    highs = [v for _, v in panel.line] + [hi for _, _, hi in panel.band or []]
    y_lo, y_hi = panel.y_range or (min(lows), max(highs))
    if y_hi - y_lo < 1e-9:  # a flat line: give it some room
        y_lo, y_hi = y_lo - 0.5, y_hi + 0.5
    y_ticks = nice_ticks(y_lo, y_hi)
    y_lo, y_hi = min(y_lo, y_ticks[0]), max(y_hi, y_ticks[-1])
    x_lo, x_hi = min(xs), max(xs)
    if x_hi == x_lo:
        x_lo, x_hi = x_lo - 1, x_hi + 1
    x_ticks = [t for t in nice_ticks(x_lo, x_hi) if x_lo <= t <= x_hi]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def px(step: float) -> float:
        return LEFT + (step - x_lo) / (x_hi - x_lo) * plot_w

    def py(value: float) -> float:
        return TOP + (1 - (value - y_lo) / (y_hi - y_lo)) * plot_h

    parts = [
        f'<text x="{LEFT}" y="16" font-size="13" font-weight="600" fill="#111827">{html.escape(panel.title)}</text>'
    ]
    for t in y_ticks:
        y = py(t)
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e5e7eb"/>')
        parts.append(
            f'<text x="{LEFT - 4}" y="{y + 4:.1f}" font-size="10" text-anchor="end" fill="#6b7280">{_fmt(t)}</text>'
        )
    for t in x_ticks:
        x = px(t)
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{TOP + plot_h}" y2="{TOP + plot_h + 4}" stroke="#9ca3af"/>')
        parts.append(
            f'<text x="{x:.1f}" y="{TOP + plot_h + 15}" font-size="10" text-anchor="middle" fill="#6b7280">{_fmt(t)}</text>'
        )
    parts.append(
        f'<text x="{WIDTH - RIGHT}" y="{HEIGHT - 3}" font-size="10" text-anchor="end" fill="#6b7280">step</text>'
    )
    parts.append(f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#d1d5db"/>')
    if panel.band:
        upper = " ".join(f"{px(s):.1f},{py(hi):.1f}" for s, _, hi in panel.band)
        lower = " ".join(f"{px(s):.1f},{py(lo):.1f}" for s, lo, _ in reversed(panel.band))
        parts.append(f'<polygon points="{upper} {lower}" fill="{BAND}" fill-opacity="0.35" stroke="none"/>')
    points = " ".join(f"{px(s):.1f},{py(v):.1f}" for s, v in panel.line)
    many = len(panel.line) > 30  # then the raw line is drawn faint under a moving average
    style = 'stroke-width="1" stroke-opacity="0.5"' if many else 'stroke-width="1.6"'
    parts.append(f'<polyline points="{points}" fill="none" stroke="{LINE}" {style}/>')
    if many:
        smooth = " ".join(f"{px(s):.1f},{py(v):.1f}" for s, v in _smooth(panel.line))
        parts.append(f'<polyline points="{smooth}" fill="none" stroke="{SMOOTH}" stroke-width="2"/>')
    else:
        for s, v in panel.line:
            parts.append(
                f'<circle cx="{px(s):.1f}" cy="{py(v):.1f}" r="2.4" fill="{LINE}"><title>step {s:g}: {v:.4g}</title></circle>'
            )
    label = html.escape(f"{panel.title}: {_trend(panel.line)}")
    return f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{label}" xmlns="http://www.w3.org/2000/svg">{"".join(parts)}</svg>'


def curves_html(log: RunLog) -> str:
    """The report's "Training curves" section (a note instead when the run left no GRPO log)."""
    history, source = log.history, log.source
    charts = panels(history, log.weights)
    if not charts:
        where = f"in {html.escape(str(source))}" if source else f"(no {STATE_FILE} in the run or its checkpoints)"
        return f"<p class=curves-note>No GRPO training log found {where}.</p>"
    figures = "".join(
        f"<figure class=curve>{svg_chart(p)}<figcaption>{html.escape(p.caption)}</figcaption></figure>" for p in charts
    )
    steps = series(history, "reward") or charts[0].line
    note = (
        f"<p class=curves-note>From <code>{html.escape(str(source))}</code>: {len(steps)} logged step(s), "
        f"step {steps[0][0]:g} to {steps[-1][0]:g}.</p>"
    )
    return f"{note}<div class=curves>{figures}</div>"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("run_dir", help="a training output_dir (or one of its checkpoints)")
    parser.add_argument("--out", help="where to write the page (default: <run_dir>/curves.html)")
    args = parser.parse_args(argv)
    log = load_run_log(args.run_dir)
    if log.source is None:
        raise SystemExit(f"no {STATE_FILE} in {args.run_dir} or its checkpoints: is it a training output_dir?")
    out = Path(args.out or Path(args.run_dir) / "curves.html")
    out.write_text(
        "<!doctype html><html><head><meta charset=utf-8><title>genui-grpo training curves</title>"
        f"<style>body{{font-family:system-ui,sans-serif;margin:24px;background:#f5f6f8}}{CSS}</style></head>"
        f"<body><h1>Training curves</h1>{curves_html(log)}</body></html>"
    )
    print(out)


if __name__ == "__main__":
    main()
