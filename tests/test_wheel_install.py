"""A built wheel, installed without the source tree, carries everything a user runs: the Cypher files, the
prompts and every subpackage (issue 17: a wheel once shipped 0 of 136 Cypher files and no navab_graph.topics).

The wheel is installed with --no-deps into a fresh venv whose only other path is this venv's site-packages (a
`.pth` line: the editable finders there are not activated by it), and run from a folder outside the repository,
so nothing can resolve to the checkout."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _sh(*args, cwd=None, env=None, timeout=300) -> subprocess.CompletedProcess:
    res = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert res.returncode == 0, f"{args}\nstdout:\n{res.stdout[-3000:]}\nstderr:\n{res.stderr[-3000:]}"
    return res


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # --no-build-isolation: build with this venv's setuptools (a test extra), no download at test time
    _sh(sys.executable, "-m", "pip", "wheel", REPO, "--no-deps", "--no-build-isolation", "-q", "-w", out)
    (whl,) = out.glob("navab_graph-*.whl")
    return whl


def test_wheel_carries_every_cypher_file_and_subpackage(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    tracked = subprocess.run(["git", "ls-files", "cypher", "navab_graph", "loaders"], cwd=REPO, capture_output=True,
                             text=True, check=True).stdout.split()
    missing = []
    for f in tracked:
        if f.startswith("cypher/"):
            want = "navab_graph/_cypher/" + f[len("cypher/"):]
        elif f.startswith("loaders/"):
            want = f[len("loaders/"):]
        else:
            want = f
        if want.endswith((".py", ".cypher", ".txt")) and want not in names:
            missing.append(want)
    assert not missing, f"{len(missing)} tracked files missing from the wheel, e.g. {missing[:5]}"


def test_installed_wheel_runs_named_query_and_export(wheel, tmp_path):
    venv = tmp_path / "venv"
    _sh(sys.executable, "-m", "venv", "--without-pip", venv)
    py = venv / "bin" / "python"
    site = Path(_sh(py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip())
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    _sh(sys.executable, "-m", "pip", "--python", py, "install", "--no-deps", "-q", wheel)

    work = tmp_path / "elsewhere"
    work.mkdir()
    where = _sh(py, "-c", "import navab_graph, navab_graph.cypher as c; print(navab_graph.__file__); "
                          "print(c.cypher_dir())", cwd=work).stdout.split()
    assert all(str(venv) in w for w in where), f"resolved outside the installed wheel: {where}"

    data = work / "news.jsonl"
    rows = [{"id": f"w{i}", "title": f"Title {i}", "text": f"Article {i} über Werte — déjà vu, 价值观 {i}.",
             "statements": [{"text": f"Wir müssen die Freiheit {i} schützen.",
                             "question": f"Sollten wir die Freiheit {i} schützen?",
                             "reverse": f"Wir müssen die Freiheit {i} nicht schützen.", "kind": "official"}]}
            for i in range(12)]
    data.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    env = {**os.environ, "NAVAB_DATA_DIR": str(work / ".navab"), "HF_HUB_OFFLINE": "1"}
    env.pop("NAVAB_GRAPH_URL", None)
    env.pop("NAVAB_CYPHER_DIR", None)
    cli = venv / "bin" / "navab-graph"
    try:
        _sh(cli, "--quiet", "db", "start", cwd=work, env=env)
        _sh(cli, "--quiet", "load", data, "--nation", "DE", cwd=work, env=env)
        q = _sh(cli, "--quiet", "query", "stance_holders", "-p", "nation=DE", "--json", cwd=work, env=env)
        json.loads(q.stdout)  # a named query found in the wheel and run
        _sh(cli, "--quiet", "export", "--nation", "DE", "--without-cr", "--out", work / "snap", cwd=work, env=env)
    finally:
        subprocess.run([cli, "--quiet", "db", "stop", "--force"], cwd=work, env=env, capture_output=True)
        subprocess.run([cli, "--quiet", "db", "stop"], cwd=work, env=env, capture_output=True)
    manifest = json.loads((work / "snap" / "DE" / "manifest.json").read_text())
    assert sum(c["total"] for c in manifest["counts"].values()) == 12
