"""Run with two CPU processes (`torchrun --nproc_per_node 2` or `accelerate launch`): train.py's dataset section on
every rank. Rank 0 prepares and publishes; any other rank that tries to prepare fails, so it must load what rank 0
published. Prints `RESULT {json}` per rank. Used by tests/test_data.py.

    python -m torch.distributed.run --standalone --nproc_per_node 2 tests/_data_ranks.py TOKENIZER DATASET OUTPUT_DIR
"""

import json
import sys

from accelerate import PartialState
from transformers import AutoTokenizer

from genui_grpo import data
from genui_grpo.config import ScriptArguments


def main(tokenizer_dir: str, dataset: str, output_dir: str) -> None:
    # cpu=True: accelerate sets up gloo for CPU processes only when asked (a plain PartialState() reports 1 process)
    state = PartialState(cpu=True)
    assert state.num_processes == 2, state

    def refuse(*args, **kwargs):
        raise AssertionError(f"rank {state.process_index} prepared the dataset instead of loading rank 0's")

    if not state.is_main_process:
        data.build = refuse
    tokenizer = AutoTokenizer.from_pretrained(tokenizer_dir)
    script_args = ScriptArguments(dataset_name=dataset, eval_size=4)
    with state.main_process_first():
        splits, report = data.prepare_from_recipe(script_args, tokenizer, {"enable_thinking": False}, output_dir)
    result = {
        "rank": state.process_index,
        "reused": report.reused,
        "prepared": report.prepared,
        "splits": {name: split.to_list() for name, split in splits.items()},
    }
    print("RESULT " + json.dumps(result), flush=True)
    state.wait_for_everyone()


if __name__ == "__main__":
    main(*sys.argv[1:4])
