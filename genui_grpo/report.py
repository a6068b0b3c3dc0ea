"""The evaluation report: one self-contained HTML file (screenshots embedded as data URIs, charts as inline SVG).

A metrics table (base vs tuned, with 95% CIs and the difference), the tuned run's training curves (reward total and
components, completion length, clipped ratio: genui_grpo/curves.py), then for every prompt the best and a random
sample of each model side by side (and the dataset's reference answer when there is one): screenshot, reward
breakdown, and the code, collapsible.
"""

import base64
import html
from datetime import datetime, timezone

from genui_grpo.curves import CSS as CURVES_CSS
from genui_grpo.curves import RunLog, curves_html
from genui_grpo.metrics import intervals_apart

TABLE_ROWS = [
    ("code_extracted", "Code extracted", "rate"),
    ("parses", "Parses (tree-sitter)", "rate"),
    ("compiles", "Compiles (esbuild)", "rate"),
    ("renders_cleanly", "Renders cleanly (Chromium)", "rate"),
    ("interaction_effective", "Clicks change the page", "rate"),
    ("truncated", "Truncated", "rate"),
    ("recipe_total", "Reward: the recipe's (mean)", "mean"),
    ("default_total", "Reward: default preset (mean)", "mean"),
    ("judge_score", "Judge: checklist score (mean; 0 if it does not render)", "mean"),
    ("judge_score_rendered", "Judge: checklist score of clean renders (mean)", "mean"),
    ("checklist_items_met", "Judge: checklist items met", "rate"),
    ("judge_answered", "Judge answered", "rate"),
    ("seed_total", "Reward: seed preset (mean, for comparison)", "mean"),
    ("length_tokens", "Length (tokens, mean)", "mean"),
]

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:0;background:#f5f6f8;color:#1f2430}
header{background:#1f2937;color:#fff;padding:24px 32px}header h1{margin:0 0 4px;font-size:24px}
header p{margin:2px 0;color:#cbd5e1;font-size:14px}main{padding:24px 32px;max-width:1600px}
h2{font-size:20px;margin:32px 0 12px}table.metrics{border-collapse:collapse;background:#fff;box-shadow:0 1px 3px #0002}
table.metrics th,table.metrics td{padding:8px 14px;border-bottom:1px solid #e5e7eb;text-align:right;font-size:14px}
table.metrics th:first-child,table.metrics td:first-child{text-align:left}.ci{color:#6b7280;font-size:12px}
.better{color:#047857;font-weight:600}.worse{color:#b91c1c;font-weight:600}
section.prompt{background:#fff;border-radius:8px;box-shadow:0 1px 3px #0002;margin:20px 0;padding:16px 20px}
section.prompt h3{margin:0 0 12px;font-size:16px}.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:14px}
.card{border:1px solid #e5e7eb;border-radius:6px;padding:10px;min-width:0}.card h4{margin:0 0 6px;font-size:14px}
.card .total{font-size:13px;color:#374151}.shot{width:100%;max-height:420px;object-fit:cover;object-position:top;
border:1px solid #e5e7eb;border-radius:4px;background:#fafafa}.noshot{height:120px;display:flex;align-items:center;
justify-content:center;background:#f3f4f6;color:#6b7280;font-size:13px;border-radius:4px;text-align:center;padding:6px}
table.components{font-size:12px;margin:6px 0;border-collapse:collapse}table.components td{padding:1px 8px 1px 0}
details summary{cursor:pointer;font-size:13px;color:#2563eb}pre{font-size:11px;max-height:360px;overflow:auto;
background:#0f172a;color:#e2e8f0;padding:10px;border-radius:4px;white-space:pre-wrap;word-break:break-word}
ul.checklist{font-size:12px;margin:4px 0;padding-left:4px;list-style:none}.met{color:#047857}.unmet{color:#b91c1c}
"""


def _fmt(entry: dict | None, kind: str) -> str:
    if not entry or entry.get("value") is None:
        return "–"
    v, (lo, hi) = entry["value"], entry["ci"]
    if kind == "rate":
        return f"{v:.0%} <span class=ci>[{lo:.0%}, {hi:.0%}] {entry['count']}/{entry['n']}</span>"
    return f"{v:.2f} <span class=ci>[{lo:.2f}, {hi:.2f}]</span>"


def metrics_table(metrics: dict[str, dict], deltas: dict) -> str:
    models = list(metrics)
    head = "".join(f"<th>{html.escape(m)}</th>" for m in models) + ("<th>Δ tuned − base</th>" if deltas else "")
    rows = []
    for key, label, kind in TABLE_ROWS:
        if not any(key in metrics[m] for m in models):
            continue
        cells = "".join(f"<td>{_fmt(metrics[m].get(key), kind)}</td>" for m in models)
        if deltas:
            d = deltas.get(key)
            lower_is_better = key in ("truncated",)
            # Coloured only when the two 95% intervals are apart; otherwise the difference may be noise, and says so
            apart = d is not None and intervals_apart(metrics["base"].get(key, {}), metrics["tuned"].get(key, {}))
            cls = "" if not apart or d == 0 else ("better" if (d > 0) != lower_is_better else "worse")
            shown = "–" if d is None else (f"{d:+.0%}" if kind == "rate" else f"{d:+.2f}")
            note = "" if d is None else f" <span class=ci>{'intervals apart' if apart else 'intervals overlap'}</span>"
            cells += f"<td class={cls}>{shown}{note}</td>"
        rows.append(f"<tr><td>{label}</td>{cells}</tr>")
    return f"<table class=metrics><tr><th>Metric</th>{head}</tr>{''.join(rows)}</table>"


def _judge(sample: dict) -> str:
    """The judge's checklist for this sample, met / not met per item (and its evidence), when the judge ran."""
    j = sample.get("judge")
    if not j:
        return ""
    items = "".join(
        f"<li class={'met' if i['met'] else 'unmet'}>{'✓' if i['met'] else '✗'} {html.escape(i['text'])}"
        + (f" <span class=ci>{html.escape(i['evidence'])}</span>" if i.get("evidence") else "")
        + "</li>"
        for i in j.get("items", [])
    )
    score = "–" if j["score"] is None else f"{j['score']:.2f}"
    return f"<details open><summary>judge {score}: {html.escape(j['why'])}</summary><ul class=checklist>{items}</ul></details>"


FINDINGS = ("accessible", "layout")  # components whose reasons the report lists (when they did not score full)


def _card(title: str, sample: dict, screenshot: bytes | None) -> str:
    scores = sample["scores"].get("default", {"total": 0.0, "components": {}})
    comps = "".join(
        f"<tr><td>{html.escape(k)}</td><td>{'–' if v is None else f'{v:+.2f}'}</td></tr>"
        for k, v in scores["components"].items()
    )
    why = scores.get("explain", {})
    findings = "".join(
        f"<li><b>{k}</b>: {html.escape(why[k])}</li>"
        for k in FINDINGS
        if k in why and scores["components"].get(k) != 1
    )
    seed = sample["scores"].get("seed")
    if screenshot:
        img = f'<img class=shot alt="{html.escape(title)}" src="data:image/png;base64,{base64.b64encode(screenshot).decode()}">'
    else:
        why = sample.get("render_note") or "did not render"
        img = f"<div class=noshot>no screenshot: {html.escape(why)}</div>"
    return (
        f"<div class=card><h4>{html.escape(title)}</h4>{img}"
        f"<p class=total>default <b>{scores['total']:.2f}</b>"
        + (f" · seed {seed['total']:.1f}" if seed else "")
        + f" · {sample['n_tokens']} tokens{'' if sample['hit_eos'] else ' · truncated'}</p>"
        f"<table class=components>{comps}</table>"
        + (f"<ul class=checklist>{findings}</ul>" if findings else "")
        + f"{_judge(sample)}"
        f"<details><summary>code</summary><pre>{html.escape(sample['text'])}</pre></details></div>"
    )


def build_report(
    results: dict,
    prompts: list[dict],
    shown: dict[str, list[tuple[str, dict]]],
    screenshots: dict[int, bytes | None],
    training_log: RunLog | None = None,
) -> str:
    """`shown[prompt_id]` = [(card title, sample)]; `screenshots[id(sample)]` = PNG bytes or None; `training_log` =
    the tuned run's own log (genui_grpo.curves.load_run_log), drawn as training curves."""
    meta = results["settings"]
    header = (
        f"<header><h1>genui-grpo evaluation</h1><p>base <code>{html.escape(meta['base'])}</code> vs tuned "
        f"<code>{html.escape(str(meta.get('adapter')))}</code></p>"
        f"<p>{meta['n_prompts'] - meta['n_showcase']} held-out + {meta['n_showcase']} showcase prompts × k={meta['k']} · temperature {meta['temperature']} · "
        f"top_p {meta['top_p']} · top_k {meta.get('top_k') or 'off'} · max {meta['max_tokens']} tokens · backend {meta['backend']} · identical settings "
        f"and seeds for both models · {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC · {results['wall_time_s']:.0f} s</p></header>"
    )
    sections = []
    for p in prompts:
        cards = "".join(_card(t, s, screenshots.get(id(s))) for t, s in shown.get(p["id"], []))
        source = "showcase" if p["showcase"] else "held-out"
        sections.append(
            f"<section class=prompt id='prompt-{html.escape(p['id'])}'><h3>[{source}] {html.escape(p['title'])}</h3>"
            f"<div class=grid>{cards}</div></section>"
        )
    body = (
        f"<main><h2>Metrics</h2>{metrics_table(results['metrics'], results.get('delta', {}))}"
        f"<h2>Training curves</h2>{curves_html(training_log or RunLog([], None))}"
        f"<h2>Samples</h2>{''.join(sections)}</main>"
    )
    return f"<!doctype html><html><head><meta charset=utf-8><title>genui-grpo evaluation</title><style>{CSS}{CURVES_CSS}</style></head><body>{header}{body}</body></html>"
