"""Where a prepared dataset lives, what it is keyed by, and how it is published so no reader sees half of it.

A prepared dataset is a directory `<cache_dir>/<name>-<key>/` holding the splits as Arrow (`DatasetDict.save_to_disk`,
loaded memory-mapped), `report.json` (the DataReport) and `key.json` (what the key was computed from). The key hashes
everything that decides its content: the rows (a local file's bytes, or a hub dataset's fingerprint, which includes
its revision), the tokenizer's vocabulary and rules (not its name), the chat template and its variables, the
preparation settings and the code that prepares. Equal inputs find the directory again; any change makes a new one.

The directory is built under a unique hidden name beside its final name and renamed into place when complete: a
rename within one filesystem is atomic, so a rank, a rerun or a concurrent run sees either nothing (and prepares) or
the whole directory. When two processes finish the same key, the first rename wins and the second discards its copy.
"""

import json
import logging
import os
import re
import shutil
import time
import uuid
from pathlib import Path

import datasets
import xxhash

logger = logging.getLogger(__name__)

REPORT = "report.json"
KEY = "key.json"
STAGING_PREFIX = ".staging-"
# A staging directory this old belongs to a process that died mid-way (preparing takes about a minute)
STALE_STAGING_S = 6 * 3600
# The modules whose code decides a prepared dataset's content
CODE = [Path(__file__).with_name(name) for name in ("data.py", "prompt_tokens.py", "prepared.py")]


def digest(data: bytes | str) -> str:
    return xxhash.xxh3_128(data.encode() if isinstance(data, str) else data).hexdigest()


def file_digest(path: Path) -> str:
    """Content hash of a (possibly GB-sized) file; xxh3 runs at memory speed, so every rank can afford it."""
    h = xxhash.xxh3_128()
    with open(path, "rb") as f:
        while block := f.read(1 << 24):
            h.update(block)
    return h.hexdigest()


def tokenizer_digest(tokenizer) -> str:
    """What decides token counts: the vocabulary, merges, normalizer, pre-tokenizer and added tokens (not the name)."""
    if tokenizer.is_fast:
        rules = tokenizer.backend_tokenizer.to_str()
    else:
        rules = json.dumps(sorted(tokenizer.get_vocab().items())) + str(tokenizer.added_tokens_decoder)
    return digest(f"{type(tokenizer).__name__}|{getattr(tokenizer, 'split_special_tokens', None)}|{rules}")


def cache_key(source: dict, tokenizer, settings: dict) -> dict:
    """Everything a prepared dataset's content depends on, as plain JSON."""
    return {
        "source": source,
        "tokenizer": tokenizer_digest(tokenizer),
        "chat_template": tokenizer.chat_template,
        "template_variables": tokenizer.special_tokens_map,
        "settings": settings,
        "code": digest(b"".join(p.read_bytes() for p in CODE)),
        "datasets": datasets.__version__,
    }


def entry_dir(cache_dir: Path, name: str, key: dict) -> Path:
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-.")[-48:] or "dataset"
    return cache_dir / f"{slug}-{digest(json.dumps(key, sort_keys=True, default=str))[:16]}"


def staging_dir(final: Path) -> Path:
    """A fresh directory beside `final` (same filesystem, so the rename into place is atomic)."""
    final.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_staging(final.parent)
    staging = final.parent / f"{STAGING_PREFIX}{final.name}-{uuid.uuid4().hex[:12]}"
    staging.mkdir()  # honours the umask, unlike mkdtemp's 0700: other users of a shared output_dir must read it
    return staging


def remove_stale_staging(cache_dir: Path) -> None:
    for path in cache_dir.glob(f"{STAGING_PREFIX}*"):
        try:
            if time.time() - path.stat().st_mtime > STALE_STAGING_S:
                shutil.rmtree(path, ignore_errors=True)
        except FileNotFoundError:  # another process removed or published it meanwhile
            pass


def publish(staging: Path, final: Path) -> None:
    """Rename the complete `staging` to `final`; if another process published `final` first, keep theirs."""
    try:
        os.rename(staging, final)
    except OSError:
        if not (final / REPORT).exists():
            raise
        logger.info("another process published %s first; using it", final)
        shutil.rmtree(staging, ignore_errors=True)


def remove(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, indent=1, sort_keys=True, default=str))


def load(final: Path) -> tuple[datasets.DatasetDict, dict] | None:
    """The published splits (memory-mapped) and report, or None when nothing is published there."""
    if not (final / REPORT).exists():
        return None
    report = json.loads((final / REPORT).read_text())
    try:
        splits = datasets.load_from_disk(str(final))
    except Exception as err:  # a published entry is complete by construction: this one was damaged afterwards
        raise RuntimeError(f"prepared dataset {final} is unreadable ({err}); delete that directory and rerun") from err
    return splits, report
