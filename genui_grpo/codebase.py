"""Build a training dataset from a folder of your own React components.

    python -m genui_grpo.codebase build SRC_DIR [SRC_DIR ...] --out data/mine.jsonl [--config RECIPE]
        [--endpoint http://127.0.0.1:8000/v1 --model NAME] [--concurrency 8]

Walks the .tsx/.jsx files under each SRC_DIR (not node_modules, build output or hidden folders; not tests, specs or
stories) and keeps the self-contained components: a default-exported component that returns JSX and imports only
react/react-dom and the recipe's `allowed_packages` (judged on the tree-sitter syntax tree, then checked by the
reward's own esbuild compile). Each kept component becomes one row in the dataset's shape,
messages = [system, user, assistant]:
- system: genui_grpo/templates/system_prompt.md, filled in with the recipe's allowed packages and styling;
- user: a request for what the component does. With --endpoint, a model writes it (genui_grpo/templates/describe.md,
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
import hashlib
import json
import logging
import os
import re
import sys
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field, fields
from pathlib import Path
from string import Template

import yaml
from tqdm.auto import tqdm

from genui_grpo.structured_client import EndpointError, StructuredClient
from reward.codebase_args import CodebaseArguments
from reward.compiler import compile_many
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


@dataclass
class Describer:
    client: StructuredClient
    cache: DescriptionCache
    concurrency: int = 4
    max_code_chars: int = 16000  # of a component shown to the model (a longer one is cut, with a note)
    instructions: str = field(default_factory=lambda: (TEMPLATES / "describe.md").read_text().strip())
    stats: Counter = field(default_factory=Counter)

    @property
    def version(self) -> str:
        return hashlib.sha256(self.instructions.encode()).hexdigest()[:12]

    def describe_one(self, c: Component) -> str:
        code = c.code if len(c.code) <= self.max_code_chars else c.code[: self.max_code_chars] + "\n// … (cut)"
        messages = [
            {"role": "system", "content": self.instructions},
            {"role": "user", "content": f"```tsx\n{code}\n```"},
        ]
        reply = str(self.client.complete(messages, DESCRIBE_SCHEMA, "request")["request"])
        request = " ".join(re.sub(r"[\x00-\x1f\x7f]", " ", reply).split())
        if len(request) < 10:
            raise EndpointError(f"the model's request is too short: {request!r}")
        return request

    def describe(self, components: list[Component]) -> dict[str, str]:
        """sha -> request for every component the model described (cached or now); failures are left out."""
        out, todo = {}, []
        for c in components:
            key = self.cache.key(c.sha, self.client.model, self.version)
            if key in self.cache.entries:
                out[c.sha] = self.cache.entries[key]
                self.stats["cached"] += 1
            elif c.sha not in {t.sha for t in todo}:
                todo.append(c)
        if todo:
            self.client.check()  # unreachable or wrong model: fail now with the fix, not once per file
        with ThreadPoolExecutor(max_workers=self.concurrency) as pool:
            futures = {pool.submit(self.describe_one, c): c for c in todo}
            for fut in tqdm(as_completed(futures), total=len(futures), desc="describing", unit="file"):
                c = futures[fut]
                try:
                    request = fut.result()
                except EndpointError as err:
                    logger.warning("%s: no description from the model (%s); using the file's own words", c.shown, err)
                    self.stats["errors"] += 1
                    continue
                key = self.cache.key(c.sha, self.client.model, self.version)
                self.cache.add(key, request, model=self.client.model, instructions=self.version, path=c.shown)
                out[c.sha] = request
                self.stats["requested"] += 1
        return out


# ---------------------------------------------------------------------------------------------------------------
# The build
# ---------------------------------------------------------------------------------------------------------------
def system_prompt(settings: CodebaseArguments, template: Path = TEMPLATES / "system_prompt.md") -> str:
    """The system prompt of every row: the template filled in with the team's allowed packages and styling."""
    imports = settings.allowed_imports()
    listed = ", ".join(f"`{p}`" for p in imports)
    return Template(template.read_text()).substitute(imports=listed, styling=settings.styling).strip()


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
    settings: CodebaseArguments,
    describer: Describer | None = None,
    max_chars: int = 40000,
) -> tuple[list[dict], dict]:
    """(rows, report) for the components under src_dirs."""
    allowed = settings.allowed_imports()
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
    compiled = compile_many([c.code for c in kept], allowed)
    components = []
    for c, result in zip(kept, compiled, strict=True):
        if result.ok:
            components.append(c)
        else:
            entries.append(Entry(c.shown, "skipped", "compile_error", "; ".join(result.errors[:2])))

    described = describer.describe(components) if describer else {}
    system = system_prompt(settings)
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
            {"base_url": describer.client.base_url, "model": describer.client.model, **describer.stats}
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


def settings_from_recipe(path: str | None, overrides: dict) -> CodebaseArguments:
    """The team settings (allowed packages, styling, ...) from a recipe, the same fields train.py reads."""
    names = {f.name for f in fields(CodebaseArguments)}
    values = {}
    if path:
        recipe = yaml.safe_load(Path(path).read_text()) or {}
        values = {k: v for k, v in recipe.items() if k in names}
    values.update({k: v for k, v in overrides.items() if v is not None})
    return CodebaseArguments(**values)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build a dataset from folders of components")
    b.add_argument("src", nargs="+", type=Path, help="folder(s) of .tsx/.jsx components")
    b.add_argument("--out", type=Path, required=True, help="the dataset (.jsonl) to write")
    b.add_argument("--report", type=Path, help="the skip report (default: <out>.report.json)")
    b.add_argument("--config", help="recipe whose allowed_packages / packages_dir / styling apply")
    b.add_argument("--allowed_packages", nargs="*", help="override the recipe's allowed_packages")
    b.add_argument("--styling", help="override the recipe's styling")
    b.add_argument("--endpoint", default=os.environ.get("GENUI_DESCRIBE_ENDPOINT"), help="OpenAI-compatible base URL")
    b.add_argument("--model", default=os.environ.get("GENUI_DESCRIBE_MODEL"), help="model name at the endpoint")
    b.add_argument("--api_key_env", default="OPENAI_API_KEY", help="environment variable holding the API key")
    b.add_argument("--concurrency", type=int, default=4, help="requests in flight")
    b.add_argument("--cache", type=Path, help="description cache (default: <out>.descriptions.jsonl)")
    b.add_argument("--max_chars", type=int, default=40000, help="skip files longer than this")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")

    settings = settings_from_recipe(args.config, {"allowed_packages": args.allowed_packages, "styling": args.styling})
    describer = None
    if args.endpoint:
        if not args.model:
            parser.error("--endpoint needs --model (the name the endpoint serves)")
        client = StructuredClient(args.endpoint, args.model, api_key=os.environ.get(args.api_key_env))
        cache = DescriptionCache(args.cache or args.out.with_suffix(".descriptions.jsonl"))
        describer = Describer(client, cache, concurrency=args.concurrency)
    rows, report = build(args.src, settings, describer, max_chars=args.max_chars)
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
