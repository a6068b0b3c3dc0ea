"""Shared fixtures. Nothing here touches a network: the tiny model is built offline and the data is shipped."""

import json
import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample.jsonl"
COMPONENTS = ROOT / "data" / "components"


def component(name: str) -> str:
    """A reference component without its `// request:` line."""
    path = next(COMPONENTS.glob(f"{name}*.tsx"))
    return path.read_text().split("\n", 1)[1]


def fenced(code: str, lead: str = "", tail: str = "") -> str:
    return f"{lead}```tsx\n{code.strip()}\n```{tail}"


@pytest.fixture(scope="session")
def sample_rows() -> list[dict]:
    return [json.loads(line) for line in SAMPLE.read_text().splitlines()]


@pytest.fixture(scope="session")
def tiny_model_dir() -> Path:
    """The tiny random Qwen3-MoE, built once into the ignored cache and reused across test sessions."""
    from genui_grpo.tiny import build

    return build(ROOT / ".cache" / "tiny-qwen3-moe")
