"""navab-eval: Multiple-Choice (MC) and Answer-Judgment (AJ) evaluation of LLMs on NaVAB snapshots.

Stable API (used by navab-train; see evaluation/README.md):
  navab_eval.snapshot.load_snapshot / Record / SnapshotError
  navab_eval.mc.evaluate_mc, navab_eval.aj.evaluate_aj, navab_eval.summary.summarize
  navab_eval.prompts.answer_prefix / mc_context, navab_eval.models.load_model / smollm2_path
"""
__version__ = "0.1.0"
