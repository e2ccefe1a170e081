"""Benchmark: sample-corpus generation, loading all five nations, and `navab-graph report` on that graph.

Prints its figures; run: .venv/bin/python benchmarks/report.py
The topics / statements / reduction state is written by the report tests' fixture (tests/_report_graph.py) from
the corpus' ground truth, so the report has every graph section to draw.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
NATIONS = ["CN", "US", "GB", "FR", "DE"]


def main() -> None:
    from _report_graph import write_corpus_with_statements, write_topics_and_reduction

    from navab_graph.config import Settings
    from navab_graph.store import open_store
    from navab_graph.store.embedded import EmbeddedServer

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        t0 = time.perf_counter()
        subprocess.run([sys.executable, str(ROOT / "examples" / "generate.py"), "--out", str(tmp / "gen")],
                       check=True, capture_output=True)
        print(f"generate 5 nations: {time.perf_counter() - t0:.2f} s")
        env = {**os.environ, "NAVAB_DATA_DIR": str(tmp / "db"), "NAVAB_GRAPH_NAME": "bench"}
        srv = EmbeddedServer(tmp / "db")
        srv.ensure(persistent=True)
        try:
            navab = str(Path(sys.executable).parent / "navab-graph")
            t0 = time.perf_counter()
            for n in NATIONS:
                path = write_corpus_with_statements(n, tmp)
                subprocess.run([navab, "--quiet", "load", str(path), "--nation", n], check=True, env=env,
                               capture_output=True)
            print(f"load 5 nations with statements (CLI, incl. process start): {time.perf_counter() - t0:.2f} s")
            store = open_store(Settings(data_dir=tmp / "db", graph_name="bench"))
            for n in NATIONS:
                write_topics_and_reduction(store, n)
            from navab_graph.report import build_report

            t0 = time.perf_counter()
            build_report(store, tmp / "report_inproc")
            print(f"report, 5 nations, graph sections only (in process): {time.perf_counter() - t0:.2f} s")
            store.close()
            t0 = time.perf_counter()
            subprocess.run([navab, "--quiet", "report", "--out", str(tmp / "report")], check=True, env=env,
                           capture_output=True)
            dt = time.perf_counter() - t0
            size = sum(p.stat().st_size for p in (tmp / "report").iterdir())
            print(f"report, 5 nations, graph sections only (CLI, incl. process start): {dt:.2f} s, "
                  f"{size / 1e6:.2f} MB written")
        finally:
            srv.stop()


if __name__ == "__main__":
    main()
