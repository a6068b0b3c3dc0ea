"""Build a training dataset from a folder of your own React components.

    python -m genui_grpo.codebase build SRC_DIR [SRC_DIR ...] --out data/mine.jsonl [--config RECIPE]
        [--describe | --endpoint http://127.0.0.1:8001/v1 --model NAME] [--concurrency 8]

Walks the .tsx/.jsx files under each SRC_DIR (not node_modules, build output or hidden folders; not tests, specs or
stories) and keeps the self-contained components: a default-exported component that returns JSX and imports only
react/react-dom and the recipe's `allowed_packages` (judged on the tree-sitter syntax tree, then checked by the
reward's own esbuild compile). Each kept component becomes one row in the dataset's shape,
messages = [system, user, assistant]:
- system: genui_grpo/templates/system_prompt.md, filled in with the recipe's allowed packages and styling;
- user: a request for what the component does. With --describe (the recipe's judge endpoint, `judge_*`: the client
  of reward/judge_client.py) or --endpoint, a model writes it (genui_grpo/templates/describe.md,
  JSON-schema structured output), cached in an append-only JSONL keyed by the file's content, the model and the
  instructions, so an interrupted build resumes where it stopped. Without an endpoint, or when the model fails on a
  file, it is taken from the file itself: a `// request: ...` first line (our data/components convention; the line is
  then removed from the code), else the component's doc comment (JSDoc or leading comment) and its name, else its name
  alone ("Build a feature grid component.");
- assistant: the component's code in a fenced block, the way a model's answer looks.
Exact duplicates and near-duplicates (the same code once comments are dropped and literal text is masked) are kept
once (the shortest path wins). Every skipped file is reported with its reason, printed and written to
<out>.report.json (or --report).
"""

import argparse
import asyncio
import hashlib
import json
import logging
import os
import re
import sys
import threading
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from string import Template

from tqdm.auto import tqdm

from reward.compiler import compile_many
from reward.config import RewardArguments, reward_section
from reward.judge_client import JudgeOptions, Reply, client, load_recipe, structured_call
from reward.tsx import analyze, parse, walk

logger = logging.getLogger(__name__)

TEMPLATES = Path(__file__).resolve().parent / "templates"
EXTENSIONS = (".tsx", ".jsx")
SKIP_DIRS = {"node_modules", "dist", "build", "out", "coverage", "__tests__", "__mocks__", "storybook-static"}
NOT_COMPONENTS = re.compile(r"\.(test|spec|stories|story)\.[jt]sx$")
REQUEST_PREFIX = "// request:"
# Literal text masked for near-duplicate detection: copies that differ only in strings, numbers or JSX text.
MASKED = {"string_fragment", "jsx_text", "number", "escape_sequence", "regex_pattern", "html_character_reference"}
BORING_COMMENTS = re.compile(r"copyright|@license|eslint-|@ts-|prettier-ignore", re.IGNORECASE)
DESCRIBE_SCHEMA = {
    "type": "object",
    "properties": {"request": {"type": "string", "minLength": 10, "maxLength": 600}},
    "required": ["request"],
    "additionalProperties": False,
}
DEFAULT_STYLING = "Tailwind CSS utility classes"  # the recipe's `styling` (ScriptArguments) default
FALLBACK_FROM_DOC = "Build the {name} component. {doc}"
FALLBACK_FROM_NAME = "Build a {name} component."


# ---------------------------------------------------------------------------------------------------------------
# Which files are self-contained components
# ---------------------------------------------------------------------------------------------------------------
@dataclass
class Component:
    path: Path
    shown: str  # the path as reported
    code: str  # what the answer holds (without a `// request:` line)
    sha: str  # of the file's content: the description cache key
    request: str | None = None  # from a `// request:` line
    doc: str | None = None
    name: str = ""


@dataclass
class Entry:
    """One file's fate, as the report lists it."""

    path: str
    status: str  # kept | skipped
    reason: str | None = None  # why skipped: one of the names counted in the report
    detail: str | None = None
    described_by: str | None = None


def find_files(src_dirs: list[Path]) -> list[Path]:
    out = []
    for src in src_dirs:
        if not src.is_dir():
            raise FileNotFoundError(f"{src} is not a folder: pass the folder that holds your components")
        for dirpath, dirnames, filenames in os.walk(src):
            dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith("."))
            out += [Path(dirpath) / f for f in sorted(filenames) if f.endswith(EXTENSIONS)]
    return out


def import_sources(root) -> list[str]:
    """Every module the file loads: imports, `export ... from`, `require(...)` and `import(...)`."""
    sources = []
    for node in walk(root):
        target = None
        if node.type in ("import_statement", "export_statement"):
            target = node.child_by_field_name("source")
        elif node.type == "call_expression":
            fn = node.child_by_field_name("function")
            args = node.child_by_field_name("arguments")
            if fn is not None and (fn.type == "import" or fn.text == b"require") and args and args.named_children:
                target = args.named_children[0]
        if target is not None and target.type == "string":
            sources.append(target.text.decode(errors="replace")[1:-1])
    return sources


def is_allowed(source: str, allowed: tuple[str, ...]) -> bool:
    return any(source == pkg or source.startswith(pkg + "/") for pkg in allowed)


def judge(code: str, allowed: tuple[str, ...]) -> tuple[str, str] | None:
    """(reason, detail) when the file is not a self-contained component, else None. Judged on the syntax tree."""
    if not code.strip():
        return "empty", "no code"
    facts = analyze(code)
    if not facts.parse_ok:
        return "parse_error", f"{1 - facts.parse_fraction:.0%} of top-level statements do not parse"
    if not (facts.default_export and facts.returns_jsx):
        return "no_default_component", "no default-exported component returning JSX"
    for source in import_sources(parse(code).root_node):
        if source.startswith((".", "/")):
            return "local_import", f"imports '{source}' (a local file: the answer must be a single file)"
        if not is_allowed(source, allowed):
            return "unlisted_package", f"imports '{source}' (allowed: {', '.join(allowed)})"
    return None


def fingerprints(code: str) -> tuple[str, str]:
    """(exact, near): the code with whitespace normalised; the token stream without comments, literal text masked."""
    exact = "\n".join(line.rstrip() for line in code.strip().splitlines())
    tokens = []
    for node in walk(parse(code).root_node):
        if node.type == "comment" or node.child_count:
            continue
        if node.type in MASKED:
            if node.type != "jsx_text" or node.text.strip():
                tokens.append(node.type.encode())
        else:
            tokens.append(node.text)
    return hashlib.sha256(exact.encode()).hexdigest(), hashlib.sha256(b"\0".join(tokens)).hexdigest()


# ---------------------------------------------------------------------------------------------------------------
# What the component is for: the file's own words
# ---------------------------------------------------------------------------------------------------------------
def clean_comment(text: str) -> str:
    lines = []
    for line in text.splitlines():
        line = re.sub(r"^\s*(/\*\*?|\*/|\*|//)\s?", "", line).removesuffix("*/").strip()
        if line.startswith("@"):  # JSDoc tags: @param, @example, ...
            break
        lines.append(line)
    return " ".join(" ".join(lines).split())


def doc_and_name(code: str, fallback_name: str) -> tuple[str | None, str]:
    """The component's doc comment (the comments right above its default export, else the file's leading comments)
    and its name (the default export's, else the file's)."""
    root = parse(code).root_node
    top = root.named_children
    export = next((i for i, n in enumerate(top) if n.type == "export_statement" and b"default" in n.text[:20]), None)
    name = fallback_name
    if export is not None:
        decl = top[export].child_by_field_name("declaration") or top[export].child_by_field_name("value")
        ident = decl.child_by_field_name("name") if decl is not None and decl.type != "identifier" else decl
        if ident is not None and ident.type == "identifier":
            name = ident.text.decode()

    def comments_before(i: int) -> list[str]:
        out = []
        while i > 0 and top[i - 1].type == "comment":
            i -= 1
            out.insert(0, top[i].text.decode(errors="replace"))
        return out

    leading = []
    for node in top:
        if node.type != "comment":
            break
        leading.append(node.text.decode(errors="replace"))
    for group in (comments_before(export) if export is not None else [], leading):
        doc = clean_comment("\n".join(c for c in group if not BORING_COMMENTS.search(c)))
        if len(doc) >= 10:
            return doc, name
    return None, name


def humanize(name: str) -> str:
    """FeatureGrid -> 'feature grid'; FAQAccordion -> 'FAQ accordion'; user-profile_card -> 'user profile card'."""
    spaced = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1 \2", re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name))
    words = re.sub(r"[-_.]+", " ", spaced).split()
    return " ".join(w.lower() if not w.isupper() else w for w in words) or "React"


def fallback_request(c: Component) -> tuple[str, str]:
    """(request, how) from the file itself: its `// request:` line, its doc comment, else its name."""
    if c.request:
        return c.request, "request_comment"
    if c.doc:
        return FALLBACK_FROM_DOC.format(name=humanize(c.name), doc=c.doc), "doc_comment"
    return FALLBACK_FROM_NAME.format(name=humanize(c.name)), "name"


# ---------------------------------------------------------------------------------------------------------------
# What the component is for: a model's words, cached
# ---------------------------------------------------------------------------------------------------------------
class DescriptionCache:
    """Append-only JSONL: one line per description, keyed by (file content, model, instructions). A line cut off by
    a crash is ignored on the next load, so a build can always resume."""

    def __init__(self, path: Path):
        self.path = path
        self.entries: dict[str, str] = {}
        self._lock = threading.Lock()
        if path.exists():
            for line in path.read_text().splitlines():
                try:
                    row = json.loads(line)
                    self.entries[row["key"]] = row["request"]
                except (json.JSONDecodeError, KeyError, TypeError):
                    continue

    @staticmethod
    def key(sha: str, model: str, instructions: str) -> str:
        return hashlib.sha256(f"{sha}\0{model}\0{instructions}".encode()).hexdigest()

    def add(self, key: str, request: str, **meta) -> None:
        with self._lock:
            self.entries[key] = request
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a") as f:
                f.write(json.dumps({"key": key, "request": request, **meta}, ensure_ascii=False) + "\n")


class EndpointError(RuntimeError):
    """The describing endpoint cannot be used at all (unreachable): fix it or leave the endpoint out."""


@dataclass
class Describer:
    """Descriptions written by a model through the judge's client (reward/judge_client.py: the same endpoint settings,
    `judge_<name>` in a recipe, and the same structured-output call)."""

    options: JudgeOptions
    cache: DescriptionCache
    max_code_chars: int = 16000  # of a component shown to the model (a longer one is cut, with a note)
    instructions: str = field(default_factory=lambda: (TEMPLATES / "describe.md").read_text().strip())
    stats: Counter = field(default_factory=Counter)

    @property
    def model(self) -> str:
        return self.options.model

    @property
    def version(self) -> str:
        return hashlib.sha256(self.instructions.encode()).hexdigest()[:12]

    def messages(self, c: Component) -> list[dict]:
        code = c.code if len(c.code) <= self.max_code_chars else c.code[: self.max_code_chars] + "\n// … (cut)"
        return [
            {"role": "system", "content": self.instructions},
            {"role": "user", "content": f"```tsx\n{code}\n```"},
        ]

    async def _describe_all(self, todo: list[Component]) -> dict[str, Reply]:
        limit = asyncio.Semaphore(self.options.concurrency)
        max_tokens = DESCRIBE_SCHEMA["properties"]["request"]["maxLength"] + 64  # JSON around it
        down: list[str] = []  # the endpoint stopped answering: the rest are not sent
        replies: dict[str, Reply] = {}
        async with client(self.options) as api:
            bar = tqdm(total=len(todo), desc="describing", unit="file")

            async def one(c: Component) -> None:
                async with limit:
                    if down:
                        replies[c.sha] = Reply(None, down[0])
                    else:
                        reply = await structured_call(
                            api, self.options, self.messages(c), DESCRIBE_SCHEMA, "request", max_tokens
                        )
                        if reply.unreachable:
                            down.append(reply.failure)
                        replies[c.sha] = reply
                    bar.update()

            await asyncio.gather(*(one(c) for c in todo))
            bar.close()
        return replies

    def describe(self, components: list[Component]) -> dict[str, str]:
        """sha -> request for every component the model described (cached or now); failures are left out (the
        build falls back on the file's own words) unless the endpoint never answered."""
        out, todo = {}, {}
        for c in components:
            key = self.cache.key(c.sha, self.model, self.version)
            if key in self.cache.entries:
                out[c.sha] = self.cache.entries[key]
                self.stats["cached"] += 1
            else:
                todo.setdefault(c.sha, c)
        if not todo:
            return out
        replies = asyncio.run(self._describe_all(list(todo.values())))
        if all(r.unreachable for r in replies.values()):
            failure = next(iter(replies.values())).failure
            raise EndpointError(
                f"{self.options.base_url} is not answering ({failure}): start an OpenAI-compatible server there "
                "(`make judge-serve RECIPE=...`, or `vllm serve MODEL`), or leave the endpoint out"
            )
        for sha, reply in replies.items():
            c = todo[sha]
            request = " ".join(re.sub(r"[\x00-\x1f\x7f]", " ", str((reply.data or {}).get("request", ""))).split())
            if reply.data is None or len(request) < 10:
                why = reply.failure or f"the request is too short: {request!r}"
                logger.warning("%s: no description from the model (%s); using the file's own words", c.shown, why)
                self.stats["errors"] += 1
                continue
            key = self.cache.key(sha, self.model, self.version)
            self.cache.add(key, request, model=self.model, instructions=self.version, path=c.shown)
            out[sha] = request
            self.stats["requested"] += 1
        return out


# ---------------------------------------------------------------------------------------------------------------
# The build
# ---------------------------------------------------------------------------------------------------------------
def system_prompt(
    reward: RewardArguments, styling: str = DEFAULT_STYLING, template: Path = TEMPLATES / "system_prompt.md"
) -> str:
    """The system prompt of every row: the template filled in with the team's allowed packages and styling."""
    listed = ", ".join(f"`{p}`" for p in reward.allowed_imports())
    return Template(template.read_text()).substitute(imports=listed, styling=styling).strip()


def read_component(path: Path, shown: str) -> Component | Entry:
    try:
        text = path.read_text(encoding="utf-8-sig")  # a byte-order mark is not code
    except UnicodeDecodeError:
        return Entry(shown, "skipped", "not_utf8", "not UTF-8 text")
    first, _, rest = text.partition("\n")
    request = None
    if first.startswith(REQUEST_PREFIX):
        request, text = first[len(REQUEST_PREFIX) :].strip() or None, rest
    code = text.strip("\n")
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    return Component(path, shown, code, sha, request)


def build(
    src_dirs: list[Path],
    reward: RewardArguments,
    describer: Describer | None = None,
    max_chars: int = 40000,
    styling: str = DEFAULT_STYLING,
) -> tuple[list[dict], dict]:
    """(rows, report) for the components under src_dirs; `reward`: the recipe's reward section (allowed packages)."""
    allowed = reward.allowed_imports()
    entries: list[Entry] = []
    candidates: list[Component] = []
    files = find_files(src_dirs)
    for path in files:
        shown = os.path.relpath(path)
        if NOT_COMPONENTS.search(path.name):
            entries.append(Entry(shown, "skipped", "test_or_story", "a test, spec or story file"))
            continue
        got = read_component(path, shown)
        if isinstance(got, Entry):
            entries.append(got)
            continue
        if len(got.code) > max_chars:
            entries.append(Entry(shown, "skipped", "too_large", f"{len(got.code)} characters (max_chars {max_chars})"))
            continue
        problem = judge(got.code, allowed)
        if problem is not None:
            entries.append(Entry(shown, "skipped", *problem))
            continue
        got.doc, got.name = doc_and_name(got.code, path.stem if path.stem != "index" else path.parent.name)
        candidates.append(got)

    # Duplicates: keep the shortest path of each group (an original over its `.backup` or `Copy`).
    kept, seen_exact, seen_near = [], {}, {}
    for c in sorted(candidates, key=lambda c: (len(c.shown), c.shown)):
        exact, near = fingerprints(c.code)
        if exact in seen_exact:
            entries.append(Entry(c.shown, "skipped", "duplicate", f"same code as {seen_exact[exact]}"))
        elif near in seen_near:
            entries.append(Entry(c.shown, "skipped", "near_duplicate", f"same code as {seen_near[near]} but for text"))
        else:
            seen_exact[exact], seen_near[near] = c.shown, c.shown
            kept.append(c)

    # The reward's own compile check, with the same allowed packages.
    compiled = compile_many([c.code for c in kept], allowed, reward.packages_path())
    components = []
    for c, result in zip(kept, compiled, strict=True):
        if result.ok:
            components.append(c)
        else:
            entries.append(Entry(c.shown, "skipped", "compile_error", "; ".join(result.errors[:2])))

    described = describer.describe(components) if describer else {}
    system = system_prompt(reward, styling)
    rows = []
    for c in sorted(components, key=lambda c: c.shown):
        request, how = (described[c.sha], "model") if c.sha in described else fallback_request(c)
        lang = "jsx" if c.path.suffix == ".jsx" else "tsx"
        rows.append(
            {
                "messages": [
                    {"role": "system", "content": system},
                    {"role": "user", "content": request},
                    {"role": "assistant", "content": f"```{lang}\n{c.code}\n```"},
                ]
            }
        )
        entries.append(Entry(c.shown, "kept", described_by=how))

    entries.sort(key=lambda e: e.path)
    skipped = [e for e in entries if e.status == "skipped"]
    report = {
        "sources": [str(s) for s in src_dirs],
        "files": len(files),
        "rows": len(rows),
        "skipped": dict(sorted(Counter(e.reason for e in skipped).items())),
        "described_by": dict(sorted(Counter(e.described_by for e in entries if e.status == "kept").items())),
        "endpoint": (
            {"base_url": describer.options.base_url, "model": describer.model, **describer.stats}
            if describer
            else None
        ),
        "allowed_imports": list(allowed),
        "entries": [{k: v for k, v in vars(e).items() if v is not None} for e in entries],
    }
    return rows, report


def print_report(report: dict, out: Path, report_path: Path) -> None:
    print(f"{report['files']} file(s) under {', '.join(report['sources'])}: {report['rows']} row(s) -> {out}")
    print(f"  described by: {report['described_by'] or '-'}")
    if report["endpoint"]:
        e = report["endpoint"]
        print(
            f"  model {e['model']} at {e['base_url']}: "
            + ", ".join(f"{k} {v}" for k, v in e.items() if k not in ("base_url", "model"))
        )
    for reason, n in report["skipped"].items():
        print(f"  skipped {n} x {reason}")
    for e in report["entries"]:
        if e["status"] == "skipped":
            print(f"    {e['path']}: {e['reason']} ({e.get('detail', '')})")
    print(f"report: {report_path}")


def settings_from_recipe(
    path: str | None, allowed_packages: list[str] | None = None
) -> tuple[RewardArguments, str, dict]:
    """(reward section, styling, the recipe's judge_* keys) of a recipe: the same fields train.py reads."""
    recipe = load_recipe(path) if path else {}
    if allowed_packages is not None:
        recipe = {**recipe, "allowed_packages": allowed_packages}
    reward = reward_section(recipe, path or "command line")[0]
    return reward, recipe.get("styling", DEFAULT_STYLING), {k: v for k, v in recipe.items() if k.startswith("judge_")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build a dataset from folders of components")
    b.add_argument("src", nargs="+", type=Path, help="folder(s) of .tsx/.jsx components")
    b.add_argument("--out", type=Path, required=True, help="the dataset (.jsonl) to write")
    b.add_argument("--report", type=Path, help="the skip report (default: <out>.report.json)")
    b.add_argument("--config", help="recipe whose allowed_packages / packages_dir / styling / judge_* apply")
    b.add_argument("--allowed_packages", nargs="*", help="override the recipe's allowed_packages")
    b.add_argument("--styling", help="override the recipe's styling")
    b.add_argument("--describe", action="store_true", help="descriptions by the recipe's judge endpoint (judge_*)")
    b.add_argument("--endpoint", default=os.environ.get("GENUI_DESCRIBE_ENDPOINT"), help="OpenAI-compatible base URL")
    b.add_argument("--model", default=os.environ.get("GENUI_DESCRIBE_MODEL"), help="model name at the endpoint")
    b.add_argument("--api_key_env", help="environment variable holding the API key (default: the judge's)")
    b.add_argument("--concurrency", type=int, help="requests in flight (default: the judge's)")
    b.add_argument("--cache", type=Path, help="description cache (default: <out>.descriptions.jsonl)")
    b.add_argument("--max_chars", type=int, default=40000, help="skip files longer than this")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")

    reward, styling, judge = settings_from_recipe(args.config, args.allowed_packages)
    describer = None
    if args.describe or args.endpoint:
        if args.endpoint and not args.model:
            parser.error("--endpoint needs --model (the name the endpoint serves)")
        given = {"base_url": args.endpoint, "model": args.model, "api_key_env": args.api_key_env,
                 "concurrency": args.concurrency}  # fmt: skip
        options = replace(JudgeOptions.from_recipe(judge), **{k: v for k, v in given.items() if v is not None})
        cache = DescriptionCache(args.cache or args.out.with_suffix(".descriptions.jsonl"))
        describer = Describer(options, cache)
    rows, report = build(args.src, reward, describer, args.max_chars, args.styling or styling)
    if not rows:
        print("no self-contained components found; see the report for why each file was skipped", file=sys.stderr)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    report_path = args.report or args.out.with_suffix(".report.json")
    report_path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print_report(report, args.out, report_path)
    return 0 if rows else 1


if __name__ == "__main__":
    sys.exit(main())
