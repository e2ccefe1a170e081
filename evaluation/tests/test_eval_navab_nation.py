"""Issue 17: a NaVAB release file whose folder is not a country name is evaluated with --nation."""
import json

from typer.testing import CliRunner

from navab_eval.cli import app

runner = CliRunner()


def test_navab_release_in_a_non_country_folder_takes_nation_from_the_cli(tiny_dir, tmp_path):
    d = tmp_path / "navab_US"
    d.mkdir()
    rows = [{"raw_news": f"news {i}", "statement": f"We keep our word {i}.", "source": "Spokesperson",
             "generated Q": f"Do they keep their word {i}?", "generated reverse statement": f"We break our word {i}."}
            for i in range(2)]
    (d / "human_statement_result.json").write_text(json.dumps(rows))
    args = ["mc", "--data", str(d / "human_statement_result.json"), "--model", str(tiny_dir), "--quiet",
            "--device", "cpu", "--cache-dir", str(tmp_path / "c"), "--out", str(tmp_path / "out")]
    res = runner.invoke(app, args)
    assert res.exit_code == 2 and "pass --nation" in res.output and "nation=" not in res.output
    res = runner.invoke(app, args + ["--nation", "US"])
    assert res.exit_code == 0, res.output
    items = [json.loads(x) for x in (tmp_path / "out" / "items.jsonl").read_text().splitlines()]
    assert len(items) == 2 and {it["nation"] for it in items} == {"US"}
