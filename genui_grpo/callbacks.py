"""Trainer callbacks.

SaveAndStopCallback: SLURM warns a job before its time limit (`#SBATCH --signal=B:USR1@900`) and sends TERM on
preemption. Either reaches the trainer in one of two ways:
- a signal (SIGUSR1/SIGTERM) delivered to the training processes themselves; or
- a stop file: `slurm/train.slurm` traps USR1 and TERM in the batch shell and touches `<output_dir>/SAVE_AND_STOP` on
  the shared filesystem. This is the reliable path across nodes, because torchrun's agent does not forward SIGUSR1
  to its workers (and answers SIGTERM by terminating them).
A signal handler can run mid-step, so it only sets a flag. At the next step boundary the ranks agree (all-reduce of
the flag, so no rank saves alone and deadlocks the others) and the Trainer saves a checkpoint and stops; the requeued
job resumes from it through train.py's automatic resume.
"""

import logging
import signal
from pathlib import Path

import torch
import torch.distributed as dist
from transformers import TrainerCallback

logger = logging.getLogger(__name__)

STOP_FILE = "SAVE_AND_STOP"


class SaveAndStopCallback(TrainerCallback):
    def __init__(self, signals: tuple[int, ...] = (signal.SIGUSR1, signal.SIGTERM)):
        self.received: str | None = None
        for sig in signals:
            try:
                signal.signal(sig, self._handle)
            except ValueError:  # not the main thread: no handler can be installed there
                logger.debug("cannot install a handler for %s outside the main thread", sig)

    def _handle(self, signum, frame):
        self.received = signal.Signals(signum).name
        logger.warning("received %s: saving a checkpoint and stopping after this step", self.received)

    def _stop_requested(self, output_dir: str) -> bool:
        stop_file = Path(output_dir, STOP_FILE)
        if self.received is None and stop_file.exists():
            self.received = f"stop file {stop_file}"
            logger.warning("found %s: saving a checkpoint and stopping after this step", stop_file)
        flag = torch.tensor([1.0 if self.received else 0.0])
        if dist.is_available() and dist.is_initialized():
            if "nccl" in str(dist.get_backend()):  # also matches combined backends like "cpu:gloo,cuda:nccl"
                flag = flag.cuda()
            dist.all_reduce(flag, op=dist.ReduceOp.MAX)
        return bool(flag.item())

    def on_step_end(self, args, state, control, **kwargs):
        if self._stop_requested(args.output_dir):
            control.should_save = True
            control.should_training_stop = True
        return control

    def on_train_end(self, args, state, control, **kwargs):
        # The checkpoint is written; remove the stop file so the requeued job trains on instead of stopping at once.
        stop_file = Path(args.output_dir, STOP_FILE)
        if self.received and state.is_world_process_zero and stop_file.exists():
            stop_file.unlink()
