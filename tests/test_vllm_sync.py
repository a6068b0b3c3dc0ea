"""The trainer's hooks into TRL and vLLM, without an engine: the import-time check that the TRL methods we override
still exist, the layer-wise reload API on every vLLM model runner (GPU V1 and V2, CPU), the checkpointing decision
that keeps the MoE router aux loss alive under ZeRO-3, and the importance-sampling capped share. The engine-level
checks (exact sync, GRPO on policy, ZeRO-3) are in tests/test_vllm.py and tests/test_zero3.py. No network."""

import pytest
import torch

import genui_grpo.trainer as trainer_module
from genui_grpo.trainer import capped_counts, check_trl_hooks, gradient_checkpointing_kwargs


class TestTrlHooks:
    def test_installed_trl_has_every_hook(self):
        check_trl_hooks()  # also runs at import of genui_grpo.trainer

    @pytest.mark.parametrize("method", ["_iter_named_params", "sync_weights", "_init_vllm"])
    def test_a_renamed_vllm_generation_method_fails_loudly(self, monkeypatch, method):
        # Otherwise our override would simply stop being called: TRL's whole-model gather would come back silently
        from trl.generation.vllm_generation import VLLMGeneration

        monkeypatch.delattr(VLLMGeneration, method)
        with pytest.raises(ImportError, match=rf"VLLMGeneration\.{method} is gone.*trl==1\.16"):
            check_trl_hooks()

    def test_sync_that_no_longer_streams_through_our_iterator_fails_loudly(self, monkeypatch):
        from trl.generation.vllm_generation import VLLMGeneration

        monkeypatch.setattr(VLLMGeneration, "sync_weights", lambda self: None)
        with pytest.raises(ImportError, match="no longer reads _iter_named_params"):
            check_trl_hooks()

    def test_a_renamed_trainer_method_fails_loudly(self, monkeypatch):
        from trl import GRPOTrainer

        monkeypatch.delattr(GRPOTrainer, "_generate_and_score_completions")
        with pytest.raises(ImportError, match="_generate_and_score_completions is gone"):
            check_trl_hooks()


class TestReloadApi:
    """Colocated sync goes through vLLM's layer-wise reload on every platform (finding: a per-tensor load_weights
    never re-runs the TRTLLM MoE permutation on Blackwell)."""

    def test_every_model_runner_has_the_layer_wise_reload(self):
        from vllm.v1.worker.cpu_model_runner import CPUModelRunner
        from vllm.v1.worker.gpu.model_runner import GPUModelRunner as RunnerV2  # CUDA default in vLLM 0.31
        from vllm.v1.worker.gpu_model_runner import GPUModelRunner

        from genui_grpo.vllm_sync import check_reload_api

        for runner in (GPUModelRunner, RunnerV2, CPUModelRunner):
            check_reload_api(runner)

    @pytest.mark.parametrize("runner", [object(), type("Old", (), {"reload_weights": lambda self, weights: None})()])
    def test_a_runner_without_it_is_refused(self, runner):
        from genui_grpo.vllm_sync import check_reload_api

        with pytest.raises(RuntimeError, match=r"reload_weights\(weights_iterator=.*vllm==0\.31\.0"):
            check_reload_api(runner)

    def test_vllm_reruns_the_kernel_conversion_on_an_update(self):
        # What the sync relies on in vLLM 0.31 (read in its sources): reload_weights wraps the load in the
        # layer-wise reload, which calls each layer's process_weights_after_loading; for unquantized MoE that
        # re-converts the experts to the kernel's layout (the TRTLLM permutation) and skips only the experts
        # kernel's own step, which finish_moe_reload runs. If a vLLM upgrade changes this, this test says so.
        from vllm.model_executor.layers.fused_moe.unquantized_fused_moe_method import UnquantizedFusedMoEMethod
        from vllm.v1.worker.gpu_model_runner import GPUModelRunner

        def names(fn):
            return set(fn.__code__.co_names)

        assert {"initialize_layerwise_reload", "finalize_layerwise_reload"} <= names(GPUModelRunner.reload_weights)
        assert "_setup_kernel" in names(UnquantizedFusedMoEMethod.process_weights_after_loading)
        assert "convert_to_unquantized_kernel_format" in names(UnquantizedFusedMoEMethod._setup_kernel)

    def test_a_quantized_moe_layer_is_refused(self):
        # Its post-processing is not idempotent (scales folded into weights): re-running it after an update would
        # corrupt the experts, so the sync refuses instead of guessing
        from vllm.model_executor.layers.fused_moe import FusedMoEMethodBase

        from genui_grpo.vllm_sync import finish_moe_reload

        class QuantizedMoE(FusedMoEMethodBase):
            pass

        QuantizedMoE.__abstractmethods__ = frozenset()  # never used, only its type is looked at
        layer = torch.nn.Module()
        layer.quant_method = object.__new__(QuantizedMoE)
        with pytest.raises(RuntimeError, match="QuantizedMoE.*only supports unquantized MoE"):
            finish_moe_reload(torch.nn.Sequential(layer))
        assert finish_moe_reload(torch.nn.Sequential(torch.nn.Linear(2, 2))) == 0  # no MoE layer: nothing to finish


class TestCheckpointing:
    """TRL forces reentrant checkpointing for PEFT + ZeRO-3, which detaches the router logits of the aux loss."""

    def test_installed_deepspeed_recomputes_frozen_params(self):
        assert trainer_module.deepspeed_recomputes_frozen_params()  # deepspeed>=0.19.8 (pyproject)

    def test_trl_forced_reentrant_is_undone_where_deepspeed_allows(self, monkeypatch):
        monkeypatch.setattr(trainer_module, "deepspeed_recomputes_frozen_params", lambda: True)
        assert gradient_checkpointing_kwargs({"use_reentrant": True}, forced_by_trl=True, aux_loss=True) == {
            "use_reentrant": False
        }

    def test_a_choice_of_the_recipe_is_kept(self):
        # Not forced by TRL (no ZeRO-3, or the recipe asked for reentrant itself): untouched
        kwargs = {"use_reentrant": True}
        assert gradient_checkpointing_kwargs(kwargs, forced_by_trl=False, aux_loss=True) is kwargs

    def test_old_deepspeed_with_the_aux_loss_is_refused(self, monkeypatch):
        monkeypatch.setattr(trainer_module, "deepspeed_recomputes_frozen_params", lambda: False)
        with pytest.raises(RuntimeError, match="router_aux_loss_coef would have no effect.*deepspeed>=0.19.8"):
            gradient_checkpointing_kwargs({"use_reentrant": True}, forced_by_trl=True, aux_loss=True)
        # Without the aux loss, TRL's workaround stands
        assert gradient_checkpointing_kwargs({"use_reentrant": True}, forced_by_trl=True, aux_loss=False) == {
            "use_reentrant": True
        }


class TestCappedShare:
    # Two completions of 4 tokens; the second has 1 padding position (mask 0), whose ratio TRL leaves at exp(0) = 1
    MASK = torch.tensor([[1, 1, 1, 1], [1, 1, 1, 0]])

    def test_token_truncate_counts_tokens_clamped_to_either_bound(self):
        ratio = torch.tensor([[2.0, 1.1, 0.5, 0.9], [1.0, 2.0, 0.7, 2.0]])  # bounds [0.5, 2]; last one is padding
        capped, total = capped_counts(ratio, self.MASK, "token_truncate", 0.5, 2.0)
        assert (capped.item(), total.item()) == (3, 7)

    def test_token_truncate_without_a_lower_bound(self):
        ratio = torch.tensor([[2.0, 0.01, 1.0, 1.0], [1.0, 1.0, 1.0, 1.0]])
        assert capped_counts(ratio, self.MASK, "token_truncate", None, 2.0)[0].item() == 1

    def test_token_mask_counts_tokens_set_to_zero(self):
        ratio = torch.tensor([[0.0, 1.0, 1.0, 0.0], [1.0, 1.0, 1.0, 0.0]])  # the padding zero does not count
        capped, total = capped_counts(ratio, self.MASK, "token_mask", None, 3.0)
        assert (capped.item(), total.item()) == (2, 7)

    @pytest.mark.parametrize(("mode", "ratio", "expected"), [
        ("sequence_mask", [[0.0], [1.3]], 1),  # one whole completion masked
        ("sequence_truncate", [[3.0], [1.3]], 1),  # one completion's weight clamped to the cap
    ])  # fmt: skip
    def test_sequence_modes_count_completions(self, mode, ratio, expected):
        capped, total = capped_counts(torch.tensor(ratio), self.MASK, mode, None, 3.0)
        assert (capped.item(), total.item()) == (expected, 2)

    def test_recipes_choose_token_level_truncation(self):
        # The 16k-token recipes pick the mode deliberately (see the recipes' comments and the README)
        from genui_grpo.launch import read_recipe
        from tests.conftest import ROOT

        for recipe in ("8xA100.yaml", "multinode.yaml"):
            _, _, training, _ = read_recipe(str(ROOT / "recipes/qwen3-30b-a3b" / recipe), 16, [])
            assert training.vllm_importance_sampling_correction
            assert training.vllm_importance_sampling_mode == "token_truncate"
            assert training.vllm_importance_sampling_clip_max == 2.0
