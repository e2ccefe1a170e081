"""benchmarks/mc.py and mc_gpu.py share their CPU-side logic; run it on the tiny model so it cannot rot."""
import ast
import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"


def test_benchmark_logic_on_tiny_model(tiny):
    spec = importlib.util.spec_from_file_location("bench_mc", BENCH / "mc.py")
    mc = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mc)
    model, tok = tiny
    items = mc.encode_items(tok, 8, chat_template=False)
    assert len(items) == 8 and all(c[0] == tok.bos_token_id for c, _, _ in items)
    best, diff, _ = mc.time_scorers(model, items, 4, 512, tok.pad_token_id, repeats=1)
    assert best["naive"] > 0 and best["shared"] > 0 and diff < 1e-4
    tree = ast.parse((BENCH / "mc_gpu.py").read_text())
    imported = {n.names[0].name for n in ast.walk(tree) if isinstance(n, ast.Import)}
    assert "mc" in imported  # the GPU script reuses these functions rather than copies
