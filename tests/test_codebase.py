"""`python -m genui_grpo.codebase build`: a dataset from a folder of components. Self-contained components are kept,
every other file is reported with its reason, duplicates are kept once, the requests come from a model (the session's
judge server, conftest's `judge_server`: vLLM with a tiny random model, structured output through the judge's client,
cached and resumable) or from the file's own words, and the rows are what train.py and the reward expect. No network
beyond 127.0.0.1."""

import dataclasses
import hashlib
import json
import os
import shutil

import pytest

from genui_grpo.codebase import (
    Describer,
    DescriptionCache,
    EndpointError,
    build,
    doc_and_name,
    fingerprints,
    humanize,
    judge,
    main,
)
from genui_grpo.data import row_problem
from reward import RewardArguments, score
from reward.config import reward_section
from reward.extract import extract_code
from reward.judge_client import JudgeOptions, load_recipe
from tests.conftest import COMPONENTS, ROOT

EXAMPLE = ROOT / "data" / "codebase_example" / "src"
RECIPE = ROOT / "recipes" / "tiny-cpu-codebase.yaml"
ALLOWED = ("react", "react-dom", "react-feather", "clsx")
# Why each file of the example folder is not a training row (each was written to be skipped for that reason)
EXPECTED_SKIPS = {
    "dashboard/Dashboard.tsx": "local_import",  # imports ../shared/Button
    "dashboard/RevenueChart.tsx": "unlisted_package",  # imports recharts
    "forms/RatingForm.test.tsx": "test_or_story",
    "legacy/Broken.jsx": "parse_error",  # unclosed <h2>
    "legacy/OrderSummary.tsx": "compile_error",  # declares `total` twice: parses, but esbuild refuses it
    "media/MusicPlayer.backup.tsx": "duplicate",  # a byte-for-byte copy of MusicPlayer.tsx
    "notifications/NotificationBell.tsx": "near_duplicate",  # InboxBell.tsx with other strings (the shorter path wins)
    "shared/Button.stories.tsx": "test_or_story",
    "shared/Button.tsx": "no_default_component",  # a named export only
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("built") / "mine.jsonl"
    assert main(["build", str(COMPONENTS), str(EXAMPLE), "--out", str(out), "--config", str(RECIPE)]) == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    return rows, json.loads(out.with_suffix(".report.json").read_text())


class TestBuild:
    def test_rows_have_the_dataset_shape(self, built):
        rows, report = built
        # 24 reference components + the 5 self-contained example components
        assert len(rows) == report["rows"] == 24 + 5
        assert all(row_problem(r) is None for r in rows)
        assert all([m["role"] for m in r["messages"]] == ["system", "user", "assistant"] for r in rows)

    def test_every_skipped_file_has_its_reason(self, built):
        _, report = built
        skipped = {
            os.path.relpath(ROOT / e["path"], EXAMPLE): e["reason"]
            for e in report["entries"]
            if e["status"] == "skipped"
        }
        assert skipped == EXPECTED_SKIPS
        assert report["files"] == 24 + 14 and report["skipped"]["test_or_story"] == 2
        assert all(e.get("detail") for e in report["entries"] if e["status"] == "skipped")

    def test_answers_are_the_components_fenced_and_requests_their_own_words(self, built):
        rows, report = built
        answers = {extract_code(r["messages"][2]["content"]).code: r["messages"][1]["content"] for r in rows}
        for path in sorted(COMPONENTS.glob("*.tsx")):
            first, code = path.read_text().split("\n", 1)
            # the `// request:` line is the user's message, and is not left in the answer
            assert answers[code.strip("\n")] == first.removeprefix("// request:").strip()
        bell = (EXAMPLE / "notifications/InboxBell.tsx").read_text().strip("\n")
        assert answers[bell] == "Build a notification bell component."  # no doc comment: its component's name
        player = (EXAMPLE / "media/MusicPlayer.tsx").read_text().strip("\n")
        assert answers[player].startswith("Build the music player component. A compact music player: play/pause")
        assert report["described_by"] == {"doc_comment": 3, "name": 2, "request_comment": 24}

    def test_system_prompt_states_the_team_settings(self, built):
        rows, _ = built
        system = rows[0]["messages"][0]["content"]
        assert "`react`, `react-dom`, `react-feather`, `clsx`" in system and "Tailwind CSS utility classes" in system
        assert "$" not in system and len({r["messages"][0]["content"] for r in rows}) == 1

    def test_the_answers_pass_the_recipe_reward(self, built):
        # The references must be what the recipe rewards: they compile with its packages and lint clean by its config
        rows, _ = built
        section = reward_section({**load_recipe(RECIPE), "reward_funcs": ["compiles", "complete", "lint"]})[0]
        assert section.allowed_packages == ["react-feather", "clsx"] and section.lint_filename == "src/App.tsx"
        scores = score([r["messages"][2]["content"] for r in rows], preset=section, explain=True)
        assert all(s["components"]["compiles"] == 1.0 and s["components"]["complete"] == 1.0 for s in scores)
        assert all(s["components"]["lint"] >= 0.7 for s in scores), [s["explain"]["lint"] for s in scores]

    def test_without_the_packages_their_components_are_skipped(self):
        _, report = build([EXAMPLE], RewardArguments())
        unlisted = sorted(
            e["path"].split("src/")[1] for e in report["entries"] if e.get("reason") == "unlisted_package"
        )
        # every component that imports react-feather or clsx (copies included: the import is judged before
        # duplicates), and RevenueChart (recharts) as before
        assert unlisted == [
            "dashboard/RevenueChart.tsx",
            "forms/RatingForm.tsx",
            "marketing/FeatureGrid.tsx",
            "media/MusicPlayer.backup.tsx",
            "media/MusicPlayer.tsx",
            "notifications/InboxBell.tsx",
            "notifications/NotificationBell.tsx",
            "settings/SettingsToggles.tsx",
        ]

    def test_an_empty_folder_is_an_error_with_the_report(self, tmp_path, capsys):
        (tmp_path / "src").mkdir()
        (tmp_path / "src" / "util.tsx").write_text("export const x = 1;\n")
        assert main(["build", str(tmp_path / "src"), "--out", str(tmp_path / "out.jsonl")]) == 1
        assert "no self-contained components" in capsys.readouterr().err
        assert json.loads((tmp_path / "out.report.json").read_text())["skipped"] == {"no_default_component": 1}


class TestJudge:
    @pytest.mark.parametrize(
        "code, reason",
        [
            ("const B = require('./B');\nexport default function A() { return <B />; }", "local_import"),
            ("export default function A() { import('./lazy'); return <p />; }", "local_import"),
            ("export * from './other';\nexport default function A() { return <p />; }", "local_import"),
            ("import type { Row } from './types';\nexport default function A() { return <p />; }", "local_import"),
            ("import '@/styles.css';\nexport default function A() { return <p />; }", "unlisted_package"),
            ("import x from 'clsx-extra';\nexport default function A() { return <p className={x()} />; }", "unlisted_package"),
            ("export default function A() { return 42; }", "no_default_component"),
            ("export default function A() { return <p>", "parse_error"),
            ("   \n", "empty"),
        ],
    )  # fmt: skip
    def test_not_self_contained(self, code, reason):
        assert judge(code, ALLOWED)[0] == reason

    def test_allowed_packages_and_their_subpaths(self):
        code = "import Heart from 'react-feather/dist/icons/heart';\nimport { createPortal } from 'react-dom';\nexport default () => <Heart />;"
        assert judge(code, ALLOWED) is None


class TestDuplicates:
    BASE = 'export default function A() {\n  // greet\n  return <p className="x">Hello {1}</p>;\n}\n'

    def test_formatting_and_comments(self):
        exact, near = fingerprints(self.BASE)
        assert fingerprints(self.BASE.replace("\n", "  \n") + "\n\n") == (exact, near)  # trailing whitespace
        other_comment = fingerprints(self.BASE.replace("// greet", "/* say hi */"))
        assert other_comment[0] != exact and other_comment[1] == near

    def test_text_changes_are_near_duplicates(self):
        copy = self.BASE.replace("Hello", "Bonjour").replace('"x"', '"y"').replace("{1}", "{2}")
        assert fingerprints(copy)[1] == fingerprints(self.BASE)[1]

    def test_code_changes_are_not(self):
        for change in (("<p", "<h1"), ("</p>", "</h1>"), ("{1}", "{count}"), ("return", "return null ??")):
            assert fingerprints(self.BASE.replace(*change))[1] != fingerprints(self.BASE)[1], change


class TestOwnWords:
    def test_doc_comment_above_the_default_export(self):
        code = "import { useState } from 'react';\n\n/**\n * A pager.\n * Shows pages of results and lets the user step through them.\n * @param size rows per page\n */\nexport default function ResultsPager() { return <nav />; }"
        assert doc_and_name(code, "file") == (
            "A pager. Shows pages of results and lets the user step through them.",
            "ResultsPager",
        )

    def test_leading_comment_skipping_licence_and_lint_noise(self):
        code = "// Copyright 2024 Acme Inc.\n/* eslint-disable no-console */\n// Shows the team roster with filters by role.\nconst Roster = () => <ul />;\nexport default Roster;"
        assert doc_and_name(code, "file") == ("Shows the team roster with filters by role.", "Roster")

    def test_no_comment_no_name(self):
        assert doc_and_name("export default () => <p />;", "user-profile_card") == (None, "user-profile_card")
        assert humanize("user-profile_card") == "user profile card" and humanize("FAQAccordion") == "FAQ accordion"
        assert humanize("FeatureGrid") == "feature grid"


class TestCache:
    def test_resumes_past_a_line_cut_by_a_crash(self, tmp_path):
        path = tmp_path / "d.jsonl"
        cache = DescriptionCache(path)
        cache.add("k1", "Build a pager.")
        cache.add("k2", "Build a roster.")
        path.write_text(path.read_text() + '{"key": "k3", "requ')  # killed mid-write
        assert DescriptionCache(path).entries == {"k1": "Build a pager.", "k2": "Build a roster."}

    def test_key_changes_with_file_model_and_instructions(self):
        key = DescriptionCache.key
        assert len({key("a", "m", "i"), key("b", "m", "i"), key("a", "n", "i"), key("a", "m", "j")}) == 4

    def test_an_unreachable_endpoint_fails_with_the_fix(self, tmp_path):
        describer = Describer(JudgeOptions("http://127.0.0.1:9/v1", "m", retries=0), DescriptionCache(tmp_path / "c"))
        with pytest.raises(EndpointError, match="not answering.*judge-serve"):
            build([EXAMPLE], RewardArguments(allowed_packages=["react-feather", "clsx"]), describer)

    def test_a_fully_cached_build_needs_no_endpoint(self, tmp_path):
        # Every description already cached (e.g. copied from the machine that had the server): no request is made
        src = tmp_path / "src"
        src.mkdir()
        shutil.copy(EXAMPLE / "marketing/FeatureGrid.tsx", src / "FeatureGrid.tsx")
        describer = Describer(
            JudgeOptions("http://127.0.0.1:9/v1", "m", retries=0), DescriptionCache(tmp_path / "c.jsonl")
        )
        sha = hashlib.sha256((src / "FeatureGrid.tsx").read_bytes()).hexdigest()
        describer.cache.add(
            DescriptionCache.key(sha, "m", describer.version), "Build a grid of four product features."
        )
        rows, report = build([src], RewardArguments(allowed_packages=["react-feather"]), describer)
        assert rows[0]["messages"][1]["content"] == "Build a grid of four product features."
        assert report["described_by"] == {"model": 1} and report["endpoint"]["cached"] == 1

    def test_a_byte_order_mark_is_not_code(self, tmp_path):
        (tmp_path / "A.tsx").write_bytes(b"\xef\xbb\xbf" + b"export default function A() { return <p>hi</p>; }\n")
        rows, _ = build([tmp_path], RewardArguments())
        assert rows[0]["messages"][2]["content"].startswith("```tsx\nexport default")


# ---------------------------------------------------------------------------------------------------------------
# A real OpenAI-compatible endpoint: the session's judge server (vLLM's CPU build, a tiny random model)
# ---------------------------------------------------------------------------------------------------------------
@pytest.fixture
def three_components(tmp_path):
    src = tmp_path / "src"
    for name in ("settings/SettingsToggles.tsx", "marketing/FeatureGrid.tsx", "forms/RatingForm.tsx"):
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(EXAMPLE / name, src / name)
    return src


def describe(options: JudgeOptions, src, cache_path):
    describer = Describer(dataclasses.replace(options, concurrency=3), DescriptionCache(cache_path))
    return build([src], RewardArguments(allowed_packages=["react-feather", "clsx"]), describer)


class TestModelDescriptions:
    def test_requests_are_the_models_structured_replies(self, judge_server, three_components, tmp_path):
        rows, report = describe(judge_server.options, three_components, tmp_path / "cache.jsonl")
        cached = [json.loads(line) for line in (tmp_path / "cache.jsonl").read_text().splitlines()]
        # Random weights write nonsense, but guided decoding makes every reply a valid {"request": ...}
        assert report["described_by"] == {"model": 3} and report["endpoint"]["requested"] == 3
        assert sorted(r["messages"][1]["content"] for r in rows) == sorted(c["request"] for c in cached)
        assert all(10 <= len(c["request"]) <= 600 and c["model"] == judge_server.options.model for c in cached)

        # A second build asks nothing: every description comes from the cache, and the rows are identical
        again, report = describe(judge_server.options, three_components, tmp_path / "cache.jsonl")
        assert report["endpoint"]["cached"] == 3 and "requested" not in report["endpoint"] and again == rows

    def test_an_interrupted_build_resumes(self, judge_server, three_components, tmp_path):
        cache = tmp_path / "cache.jsonl"
        describe(judge_server.options, three_components, cache)
        lines = cache.read_text().splitlines()
        cache.write_text("\n".join(lines[:2]) + "\n" + lines[2][:30])  # the third line was cut off by a crash
        _, report = describe(judge_server.options, three_components, cache)
        assert (report["endpoint"]["cached"], report["endpoint"]["requested"]) == (2, 1)

    def test_a_model_the_endpoint_does_not_serve_falls_back_on_the_files_words(self, judge_server, three_components):
        # The server answers, but not for this model: every file is described by its own words, each failure counted
        wrong = dataclasses.replace(judge_server.options, model="gpt-x")
        rows, report = describe(wrong, three_components, three_components / "cache.jsonl")
        assert report["endpoint"]["errors"] == 3 and "model" not in report["described_by"] and len(rows) == 3

    def test_the_cli_describes_with_the_recipes_judge_endpoint(self, judge_server, three_components, tmp_path):
        out = tmp_path / "mine.jsonl"
        cli = ["build", str(three_components), "--out", str(out), "--config", str(judge_server.recipe), "--describe"]
        assert main([*cli, "--allowed_packages", "react-feather", "clsx"]) == 0
        report = json.loads(out.with_suffix(".report.json").read_text())
        assert report["described_by"] == {"model": 3} and report["endpoint"]["model"] == judge_server.options.model
