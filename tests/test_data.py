"""Dataset loading, validation, mapping, filtering and the held-out split. No network."""

import json

import pytest
from datasets import Dataset
from transformers import AutoTokenizer

from genui_grpo.data import DataError, load_raw, prepare_dataset, row_problem
from tests.conftest import SAMPLE


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
    def test_sample_maps_to_prompt_and_reference(self, tokenizer, sample_rows):
        splits, report = prepare_dataset(load_raw(str(SAMPLE)), tokenizer, eval_size=4)
        ex = splits["train"][0]
        assert [m["role"] for m in ex["prompt"]] == ["system", "user"]
        assert "```tsx" in ex["reference"]
        assert (report.train, report.eval, report.total) == (20, 4, 24)

    def test_split_is_deterministic_and_disjoint(self, tokenizer):
        a, _ = prepare_dataset(load_raw(str(SAMPLE)), tokenizer, eval_size=0.25, seed=1)
        b, _ = prepare_dataset(load_raw(str(SAMPLE)), tokenizer, eval_size=0.25, seed=1)
        users = lambda ds: [p[-1]["content"] for p in ds["prompt"]]  # noqa: E731
        assert users(a["eval"]) == users(b["eval"]) and len(a["eval"]) == 6
        # The held-out prompts are never trained on
        assert not set(users(a["eval"])) & set(users(a["train"]))

    def test_malformed_rows_reported_with_indices(self, tokenizer):
        bad = {"messages": [{"role": "system", "content": "s"}, {"role": "assistant", "content": "a"}]}
        raw = Dataset.from_list([row(), bad, row(user="second"), row(user="third")])
        splits, report = prepare_dataset(raw, tokenizer, eval_size=1)
        assert list(report.malformed) == [1] and "no user message" in report.malformed[1]
        assert report.train + report.eval == 3

    def test_strict_stops_at_first_bad_row(self, tokenizer):
        bad = row()
        bad["messages"][1]["content"] = 3
        raw = [row(), row(), bad]
        with pytest.raises(DataError, match=r"row 2: message 1 \(user\) has non-string content"):
            prepare_dataset(raw, tokenizer, strict=True)

    def test_long_prompts_dropped(self, tokenizer):
        raw = Dataset.from_list([row(user="short"), row(user="word " * 500), row(user="also short")])
        splits, report = prepare_dataset(raw, tokenizer, max_prompt_tokens=100, eval_size=1)
        assert report.too_long == 1 and report.train + report.eval == 2

    def test_system_prompt_override_and_append(self, tokenizer):
        raw = Dataset.from_list([row(), row(user="b")])
        splits, _ = prepare_dataset(raw, tokenizer, eval_size=0, system_prompt="NEW", system_prompt_append="MORE")
        assert splits["train"][0]["prompt"][0]["content"] == "NEW\n\nMORE"


class TestLoadRaw:
    def test_parquet_and_json(self, tmp_path, sample_rows):
        Dataset.from_list(sample_rows[:3]).to_parquet(tmp_path / "d.parquet")
        (tmp_path / "d.json").write_text(json.dumps(sample_rows[:2]))
        assert len(load_raw(str(tmp_path / "d.parquet"))) == 3
        assert len(load_raw(str(tmp_path / "d.json"))) == 2

    def test_missing_file(self, tmp_path):
        with pytest.raises(DataError, match="does not exist"):
            load_raw(str(tmp_path / "nope.jsonl"))

    def test_unsupported_file(self, tmp_path):
        (tmp_path / "d.csv").write_text("a,b\n")
        with pytest.raises(DataError, match="unsupported dataset file"):
            load_raw(str(tmp_path / "d.csv"))


def test_jsonl_with_bad_lines_reports_them(tmp_path, tokenizer):
    # A line that is not JSON and a row of the wrong shape are reported by index, not an Arrow error
    path = tmp_path / "d.jsonl"
    path.write_text(
        "\n".join([json.dumps(row()), "{not json", json.dumps({"messages": "text"}), json.dumps(row(user="b"))])
    )
    splits, report = prepare_dataset(load_raw(str(path)), tokenizer, eval_size=1)
    assert sorted(report.malformed) == [1, 2] and "not valid JSON" in report.malformed[1]
    assert report.train + report.eval == 2
