"""`navab-train ablation` on small with-CR / without-CR snapshots (two nations, two languages)."""
import json

import pandas as pd
from typer.testing import CliRunner

from train_snapshots import make_rows, write_snapshot
from navab_train.cli import app
from navab_train.table import VARIANTS


def test_ablation_writes_table_3(tmp_path, tiny_model):
    rows = {"US": make_rows("US", n=40, removed_every=3), "FR": make_rows("FR", n=20, lang="fr", removed_every=3)}
    for nation, rs in rows.items():
        write_snapshot(tmp_path / "without", rs, nation, with_cr=False)
        write_snapshot(tmp_path / "with", [r for r in rs if r["cr_status"] == "kept"], nation, with_cr=True)
    cfg = tmp_path / "dpo.yaml"
    cfg.write_text("per_device_train_batch_size: 4\ngradient_accumulation_steps: 1\nlearning_rate: 5.0e-3\n")
    out = tmp_path / "abl"
    res = CliRunner().invoke(app, ["ablation", "--data-with-cr", str(tmp_path / "with"), "--data-without-cr",
                                   str(tmp_path / "without"), "--model", str(tiny_model), "--out", str(out),
                                   "--config", str(cfg), "--max-steps", "5", "--aj", "--max-new-tokens", "8",
                                   "--seed", "0"])
    assert res.exit_code == 0, res.output
    assert "Quoted Statements" in res.output and "Official Statements" in res.output

    table = pd.read_csv(out / "ablation.csv")
    assert set(table["variant"]) == set(VARIANTS)
    assert set(table["method"]) == {"MC", "AJ"} and set(table["nation"]) == {"US", "FR"}
    assert table["correct_rate"].between(0, 1).all()
    # every variant x method x set x nation cell is present, scored on the test split
    assert len(table) == 3 * 2 * 2 * 2
    n = table.groupby("variant")["n"].sum()
    test_all = sum(1 for rs in rows.values() for r in rs if r["split"] == "test")
    test_kept = sum(1 for rs in rows.values() for r in rs if r["split"] == "test" and r["cr_status"] == "kept")
    assert n["NaVAB without CR"] == 2 * test_all and n["NaVAB with CR"] == n["NaVAB with CR + DPO"] == 2 * test_kept
    assert test_all > test_kept

    # the table agrees with the per-item results it was built from
    items = [json.loads(line) for line in (out / "items_navab_with_cr_dpo.jsonl").read_text().splitlines()]
    us_q_mc = [i for i in items if i["method"] == "mc" and i["nation"] == "US" and i["set"] == "quoted"]
    cell = table[(table.variant == "NaVAB with CR + DPO") & (table.method == "MC") & (table.nation == "US")
                 & (table.set == "quoted")]
    assert cell["correct_rate"].item() == sum(i["correct"] for i in us_q_mc) / len(us_q_mc)

    md = (out / "ablation.md").read_text()
    assert "| NaVAB with CR + DPO |" in md and "| Variant | FR AJ | FR MC | US AJ | US MC |" in md
    assert (out / "ablation.png").read_bytes()[:4] == b"\x89PNG"
    assert (out / "dpo" / "adapter" / "adapter_model.safetensors").is_file()
    assert (out / "dpo" / "train_log.jsonl").read_text().count('"loss"') == 5
