"""Trainer-side code for genui-grpo: config dataclasses, data, model building and the tiny embedded model."""
