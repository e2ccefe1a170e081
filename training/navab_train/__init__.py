"""navab-train: DPO (trl + peft LoRA) on NaVAB snapshots and the Conflict Reduction ablation."""

__version__ = "0.1.0"
