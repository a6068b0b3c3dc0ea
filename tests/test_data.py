"""Dataset loading, validation, mapping, filtering, the held-out split, and the prepared-dataset cache shared by every
rank and by evaluate.py. No network."""

import copy
import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from datasets import Dataset
from transformers import AutoTokenizer

from genui_grpo import data, prepared
from genui_grpo.config import ScriptArguments
from genui_grpo.data import DataError, prepare_from_recipe, row_problem, to_prompt
from tests.conftest import ROOT, SAMPLE
from tests.test_prompt_tokens import QWEN_LIKE, small_tokenizer

CHAT = {"enable_thinking": False}


@pytest.fixture(scope="module")
def tokenizer(tiny_model_dir):
    return AutoTokenizer.from_pretrained(tiny_model_dir)


def row(system="sys", user="make a button", assistant="```tsx\nexport default () => <button/>\n```"):
    return {
        "messages": [
            {"role": "system", "content": system},
            {"role": "user", "content": user},
            {"role": "assistant", "content": assistant},
        ]
    }


def write_jsonl(path, rows):
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows))
    return path


def prepare(dataset, tokenizer, out, chat=CHAT, **settings):
    """What train.py does, with the run's output_dir `out`."""
    args = ScriptArguments(dataset_name=str(dataset), **settings)
    return prepare_from_recipe(args, tokenizer, chat, str(out))


def users(ds):
    return [p[-1]["content"] for p in ds["prompt"]]


class TestRowProblem:
    def test_valid(self):
        assert row_problem(row()) is None

    def test_missing_user(self):
        bad = {"messages": [{"role": "system", "content": "s"}, {"role": "assistant", "content": "a"}]}
        assert "no user message" in row_problem(bad)

    def test_wrong_roles(self):
        bad = {"messages": [{"role": "user", "content": "u"}, {"role": "system", "content": "s"}]}
        assert "unexpected roles" in row_problem(bad)

    def test_non_string_content(self):
        bad = row()
        bad["messages"][1]["content"] = ["part"]
        assert "non-string content" in row_problem(bad)

    def test_no_messages(self):
        assert "no 'messages'" in row_problem({"text": "x"})


class TestPrepare:
    def test_sample_maps_to_prompt_and_reference(self, tokenizer, tmp_path):
        splits, report = prepare(SAMPLE, tokenizer, tmp_path, eval_size=4)
        ex = splits["train"][0]
        assert [m["role"] for m in ex["prompt"]] == ["system", "user"]
        assert "```tsx" in ex["reference"]
        assert (report.train, report.eval, report.total) == (20, 4, 24)

    def test_split_is_the_seeded_permutation_of_kept_rows(self, tokenizer, tmp_path, sample_rows):
        # The split existing users have: the rows in file order, permuted by numpy's default_rng(split_seed) (what
        # Dataset.shuffle(seed) does), the first eval_size rows held out. Computed and loaded splits are both it.
        kept = [to_prompt(r) for r in sample_rows]
        order = np.random.default_rng(1).permutation(len(kept))
        expected_eval, expected_train = [kept[i] for i in order[:6]], [kept[i] for i in order[6:]]
        for reused in (False, True):
            splits, report = prepare(SAMPLE, tokenizer, tmp_path, eval_size=0.25, split_seed=1)
            assert report.reused is reused
            assert splits["eval"].to_list() == expected_eval and splits["train"].to_list() == expected_train
        # The held-out prompts are never trained on
        assert not set(users(splits["eval"])) & set(users(splits["train"]))

    def test_max_train_samples_keeps_the_first_train_rows(self, tokenizer, tmp_path):
        full, _ = prepare(SAMPLE, tokenizer, tmp_path, eval_size=4)
        capped, report = prepare(SAMPLE, tokenizer, tmp_path, eval_size=4, max_train_samples=5)
        assert report.train == 5 and capped["train"].to_list() == full["train"].to_list()[:5]
        assert capped["eval"].to_list() == full["eval"].to_list()

    def test_malformed_rows_reported_with_indices(self, tokenizer, tmp_path):
        bad = {"messages": [{"role": "system", "content": "s"}, {"role": "assistant", "content": "a"}]}
        for source in ("jsonl", "arrow"):
            rows = [row(), bad, row(user="second"), row(user="third")]
            if source == "jsonl":
                path = write_jsonl(tmp_path / "d.jsonl", rows)
            else:  # hub and Parquet data arrive as Arrow
                Dataset.from_list(rows).to_parquet(path := tmp_path / "d.parquet")
            splits, report = prepare(path, tokenizer, tmp_path / source, eval_size=1)
            assert list(report.malformed) == [1] and "no user message" in report.malformed[1], source
            assert report.train + report.eval == 3

    def test_strict_stops_at_first_bad_row(self, tokenizer, tmp_path):
        bad = row()
        bad["messages"][1]["content"] = 3
        path = write_jsonl(tmp_path / "d.jsonl", [row(), row(user="b"), bad, {"messages": []}])
        with pytest.raises(DataError, match=r"row 2: message 1 \(user\) has non-string content"):
            prepare(path, tokenizer, tmp_path, strict_data=True)
        assert not list((tmp_path / "_prepared_data").iterdir())  # nothing published, no staging left behind

    def test_long_prompts_dropped(self, tokenizer, tmp_path):
        path = write_jsonl(tmp_path / "d.jsonl", [row(user="short"), row(user="word " * 500), row(user="also short")])
        splits, report = prepare(path, tokenizer, tmp_path, max_prompt_tokens=100, eval_size=1)
        assert report.too_long == 1 and report.train + report.eval == 2
        assert "word word" not in " ".join(users(splits["train"]) + users(splits["eval"]))

    def test_system_prompt_override_and_append(self, tokenizer, tmp_path):
        path = write_jsonl(tmp_path / "d.jsonl", [row(), row(user="b")])
        splits, _ = prepare(path, tokenizer, tmp_path, eval_size=0, system_prompt="NEW", system_prompt_append="MORE")
        assert splits["train"][0]["prompt"][0]["content"] == "NEW\n\nMORE"

    def test_no_usable_rows(self, tokenizer, tmp_path):
        path = write_jsonl(tmp_path / "d.jsonl", ["{oops", {"messages": "text"}])
        with pytest.raises(DataError, match="no valid rows among 2"):
            prepare(path, tokenizer, tmp_path)
        with pytest.raises(DataError, match=r"no usable rows left \(malformed: 0, too long: 24\)"):
            prepare(SAMPLE, tokenizer, tmp_path, max_prompt_tokens=10)


class TestFormats:
    def test_parquet_json_and_arrow_datasets(self, tmp_path, tokenizer, sample_rows):
        Dataset.from_list(sample_rows[:3]).to_parquet(tmp_path / "d.parquet")
        (tmp_path / "d.json").write_text(json.dumps(sample_rows[:2]))
        assert prepare(tmp_path / "d.parquet", tokenizer, tmp_path, eval_size=1)[1].total == 3
        assert prepare(tmp_path / "d.json", tokenizer, tmp_path, eval_size=1)[1].total == 2

    def test_dataset_directory_takes_the_hub_path(self, tmp_path, tokenizer, sample_rows):
        # load_dataset(<dir>) is what a hub id goes through, offline; its fingerprint keys the cache
        (tmp_path / "snapshot").mkdir()
        Dataset.from_list(sample_rows[:6]).to_parquet(tmp_path / "snapshot" / "train.parquet")
        splits, report = prepare(tmp_path / "snapshot", tokenizer, tmp_path, eval_size=1)
        assert (report.total, report.reused) == (6, False) and "snapshot-" in report.prepared
        assert prepare(tmp_path / "snapshot", tokenizer, tmp_path, eval_size=1)[1].reused
        Dataset.from_list(sample_rows[6:10]).to_parquet(tmp_path / "snapshot" / "train.parquet")
        _, changed = prepare(tmp_path / "snapshot", tokenizer, tmp_path, eval_size=1)
        assert (changed.total, changed.reused) == (4, False)

    def test_arrow_without_messages_column(self, tmp_path, tokenizer):
        Dataset.from_list([{"text": "a"}, {"text": "b"}]).to_parquet(tmp_path / "d.parquet")
        with pytest.raises(DataError, match="no 'messages' column"):
            prepare(tmp_path / "d.parquet", tokenizer, tmp_path)

    def test_json_that_is_not_a_list(self, tmp_path, tokenizer):
        (tmp_path / "d.json").write_text(json.dumps(row()))
        with pytest.raises(DataError, match="expected a JSON list of rows"):
            prepare(tmp_path / "d.json", tokenizer, tmp_path)

    def test_missing_file(self, tmp_path, tokenizer):
        with pytest.raises(DataError, match="does not exist"):
            prepare(tmp_path / "nope.jsonl", tokenizer, tmp_path)

    def test_unsupported_file(self, tmp_path, tokenizer):
        (tmp_path / "d.csv").write_text("a,b\n")
        with pytest.raises(DataError, match="unsupported dataset file"):
            prepare(tmp_path / "d.csv", tokenizer, tmp_path)


def test_jsonl_with_bad_lines_reports_them(tmp_path, tokenizer):
    # A line that is not JSON, not UTF-8, or a row of the wrong shape is reported by row index (blank lines are not
    # rows; the message names the file's line), not as an Arrow error
    lines = [json.dumps(row()), "{not json", "", json.dumps({"messages": "text"}), json.dumps(row(user="b")), "  "]
    path = tmp_path / "d.jsonl"
    path.write_bytes("\n".join(lines).encode() + b"\n\xff\xfe\n" + json.dumps(row(user="c")).encode())
    splits, report = prepare(path, tokenizer, tmp_path, eval_size=1)
    assert sorted(report.malformed) == [1, 2, 4] and report.total == 6
    assert report.malformed[1] == "line 2 is not valid JSON (Expecting property name enclosed in double quotes)"
    assert report.malformed[2].startswith("no 'messages' list") and report.malformed[4] == "line 7 is not valid UTF-8"
    assert sorted(users(splits["train"]) + users(splits["eval"])) == ["b", "c", "make a button"]


def test_malformed_rows_in_a_large_file_are_reported_by_index(tmp_path, monkeypatch):
    # Large enough to be split across worker processes: row indices must still be global
    monkeypatch.setattr(data, "PARALLEL_MIN_ROWS", 100)
    tokenizer = small_tokenizer("bytelevel", QWEN_LIKE)  # quick to hand to the workers
    bad_rows = {7, 149, 150, 151, 298}
    rows = ["{broken" if i in bad_rows else row(user=f"request {i}") for i in range(300)]
    path = write_jsonl(tmp_path / "d.jsonl", rows[:200] + [""] + rows[200:])  # a blank line shifts line numbers only
    assert data.workers(300, parallel=True) is not None or (os.cpu_count() or 1) == 1
    splits, report = prepare(path, tokenizer, tmp_path, eval_size=10)
    assert sorted(report.malformed) == sorted(bad_rows)
    assert report.malformed[298] == "line 300 is not valid JSON (Expecting property name enclosed in double quotes)"
    assert report.train + report.eval == 295
    assert sorted(users(splits["train"]) + users(splits["eval"])) == sorted(
        f"request {i}" for i in range(300) if i not in bad_rows
    )


class TestCache:
    """Equal inputs load the published splits; a change of any input prepares anew, beside the old entry."""

    def test_reused_and_memory_mapped(self, tokenizer, tmp_path, monkeypatch):
        first, report = prepare(SAMPLE, tokenizer, tmp_path, eval_size=4)
        assert not report.reused and report.prepared.startswith(str(tmp_path / "_prepared_data"))

        def refuse(*args, **kwargs):
            raise AssertionError("prepared again although the same preparation was published")

        monkeypatch.setattr(data, "build", refuse)
        again, report2 = prepare(SAMPLE, tokenizer, tmp_path, eval_size=4)
        assert report2.reused and report2.prepared == report.prepared
        assert report2.as_dict() == {**report.as_dict(), "reused": True}
        assert again["train"].to_list() == first["train"].to_list()
        # Memory-mapped from the published directory, not held in memory
        assert all(f["filename"].startswith(report.prepared) for f in again["train"].cache_files)
        assert sorted(p.name for p in (tmp_path / "_prepared_data").iterdir()) == [os.path.basename(report.prepared)]

    def test_every_input_keys_the_cache(self, tmp_path):
        # A small tokenizer keeps this fast; what keys the cache does not depend on its size
        tokenizer = small_tokenizer("bytelevel", QWEN_LIKE)
        system_file = tmp_path / "system.md"
        system_file.write_text("You write React.")
        dataset = write_jsonl(tmp_path / "d.jsonl", [row(user=f"make widget {i}") for i in range(8)])
        base = dict(eval_size=2, system_prompt=str(system_file))
        out = tmp_path / "run"

        def entry(tok=tokenizer, chat=CHAT, **changes):
            _, report = prepare(dataset, tok, out, chat=chat, **{**base, **changes})
            return report.prepared, report.reused

        def changed_tokenizer():
            tok = copy.deepcopy(tokenizer)
            tok.add_tokens(["<widget>"])
            return tok

        def changed_template():
            tok = copy.deepcopy(tokenizer)
            tok.chat_template = tok.chat_template.replace("'\\n'", "'\\n\\n'", 1)
            return tok

        def new_system_prompt_text():  # same file, new contents
            system_file.write_text("You write Vue.")
            return entry()

        def new_dataset_contents():  # same file, new contents
            write_jsonl(dataset, [row(user=f"make gadget {i}") for i in range(8)])
            return entry()

        first, reused = entry()
        assert not reused
        changes = {
            "max_prompt_tokens": lambda: entry(max_prompt_tokens=50),
            "eval_size": lambda: entry(eval_size=3),
            "split_seed": lambda: entry(split_seed=7),
            "max_train_samples": lambda: entry(max_train_samples=4),
            "strict_data": lambda: entry(strict_data=True),
            "system_prompt_append": lambda: entry(system_prompt_append="Be brief."),
            "chat_template_kwargs": lambda: entry(chat={"enable_thinking": True}),
            "tokenizer vocabulary": lambda: entry(tok=changed_tokenizer()),
            "chat template": lambda: entry(tok=changed_template()),
            "system prompt file": new_system_prompt_text,
            "dataset file": new_dataset_contents,
        }
        seen = {first}
        for name, rerun in changes.items():
            path, reused = rerun()
            assert not reused and path not in seen, name
            seen.add(path)
        # Back to the original inputs: the first entry is found again
        system_file.write_text("You write React.")
        write_jsonl(dataset, [row(user=f"make widget {i}") for i in range(8)])
        assert entry() == (first, True)

    def test_tokenizer_is_keyed_by_content_not_name(self, tmp_path):
        tokenizer, copy_dir = small_tokenizer("bytelevel", QWEN_LIKE), tmp_path / "same-tokenizer-elsewhere"
        tokenizer.save_pretrained(copy_dir)
        _, report = prepare(SAMPLE, tokenizer, tmp_path)
        _, again = prepare(SAMPLE, AutoTokenizer.from_pretrained(copy_dir), tmp_path)
        assert again.reused and again.prepared == report.prepared

    def test_concurrent_publishers_keep_one_entry(self, tokenizer, tmp_path):
        # Two processes preparing the same key: the second to finish finds the first's entry and drops its own copy
        _, report = prepare(SAMPLE, tokenizer, tmp_path)
        final = Path(report.prepared)
        staging = prepared.staging_dir(final)
        (staging / prepared.REPORT).write_text("{}")
        prepared.publish(staging, final)
        assert not staging.exists() and json.loads((final / prepared.REPORT).read_text())["total"] == 24
        assert [p.name for p in final.parent.iterdir()] == [final.name]

    def test_half_written_entry_is_invisible(self, tokenizer, tmp_path):
        # A process still writing (or killed while writing) leaves only a staging directory: never read as a result
        _, done = prepare(SAMPLE, tokenizer, tmp_path / "a")
        final = tmp_path / "b" / "_prepared_data" / Path(done.prepared).name
        staging = prepared.staging_dir(final)
        (staging / "dataset_dict.json").write_text('{"splits": ["train"]}')
        splits, report = prepare(SAMPLE, tokenizer, tmp_path / "b")
        assert not report.reused and report.prepared == str(final) and len(splits["train"]) == done.train
        assert staging.exists()  # not ours to remove until it is stale

    def test_stale_staging_is_removed(self, tmp_path):
        stale, fresh = tmp_path / f"{prepared.STAGING_PREFIX}a", tmp_path / f"{prepared.STAGING_PREFIX}b"
        stale.mkdir(), fresh.mkdir()
        os.utime(stale, (0, 0))
        prepared.remove_stale_staging(tmp_path)
        assert not stale.exists() and fresh.exists()

    def test_settings_are_frozen_records(self):
        settings = data.PrepareSettings.from_recipe(ScriptArguments(dataset_name="x.jsonl"), None)
        assert replace(settings, eval_size=3).eval_size == 3 and settings.chat_template_kwargs == {}


@pytest.mark.slow
def test_second_rank_loads_what_rank_0_prepared(tmp_path):
    # Two CPU processes (gloo) through train.py's dataset section: rank 1 must not prepare (the worker makes that
    # an error) and must see exactly rank 0's splits
    small_tokenizer("bytelevel", QWEN_LIKE).save_pretrained(tmp_path / "tokenizer")
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2",
           str(ROOT / "tests" / "_data_ranks.py"), str(tmp_path / "tokenizer"), str(SAMPLE), str(tmp_path)]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
    out = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    ranks = sorted((json.loads(line[7:]) for line in out.stdout.splitlines() if line.startswith("RESULT ")),
                   key=lambda r: r["rank"])  # fmt: skip
    assert [(r["rank"], r["reused"]) for r in ranks] == [(0, False), (1, True)]
    assert ranks[0]["prepared"] == ranks[1]["prepared"] and ranks[0]["splits"] == ranks[1]["splits"]
