"""Pictures of the statement graph (networkx layout and drawing, matplotlib SVG: static, no script, small).

Statements are circles coloured by side, removed ones hollow with a red cross; AGREES edges green, CONFLICTS
red dashed; the witness path of each removal (articles, LINKED edges) in purple, joined to the two statements
by grey STATES edges. Nodes carry short keys (S1, A1); the key table beside the picture holds the texts.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import networkx as nx  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402

from ..store import GraphStore, run_named  # noqa: E402

SIDE_COLOURS = {1: "#2b6cb0", -1: "#dd6b20", None: "#a0aec0"}
EDGE_STYLE = {"agrees": ("#38a169", "solid", 1.6), "conflicts": ("#e53e3e", "dashed", 2.2),
              "states": ("#a0aec0", "solid", 1.0), "linked": ("#805ad5", "solid", 3.0)}
TEXT_CHARS = 220


def cut(text: str | None, n: int = TEXT_CHARS) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


@dataclass
class Picture:
    title: str
    statements: list[dict[str, Any]] = field(default_factory=list)  # id, text, side, status, round, focus
    articles: list[dict[str, Any]] = field(default_factory=list)    # id, title
    edges: list[tuple[str, str, str]] = field(default_factory=list)  # (u, v, agrees|conflicts|states|linked)
    note: str = ""

    def keys(self) -> dict[str, str]:
        k = {s["id"]: f"S{i + 1}" for i, s in enumerate(self.statements)}
        k.update({a["id"]: f"A{i + 1}" for i, a in enumerate(self.articles)})
        return k

    def key_rows(self) -> list[dict[str, Any]]:
        k = self.keys()
        rows = [{"key": k[s["id"]], "id": s["id"], "side": {1: "+1", -1: "−1"}.get(s.get("side"), "?"),
                 "status": s["status"] + (f" (round {s['round']})" if s.get("round") else ""),
                 "removed": s["status"] == "removed", "text": cut(s.get("text"))} for s in self.statements]
        rows += [{"key": k[a["id"]], "id": a["id"], "side": "", "status": "article (witness path)",
                  "removed": False, "text": cut(a.get("title") or a["id"])} for a in self.articles]
        return rows


def draw_svg(pic: Picture) -> bytes:
    """The picture as SVG bytes."""
    g = nx.Graph()
    keys = pic.keys()
    for s in pic.statements:
        g.add_node(s["id"])
    for a in pic.articles:
        g.add_node(a["id"])
    for u, v, kind in pic.edges:
        if u in g and v in g:
            g.add_edge(u, v, kind=kind, weight=0.3 if kind == "conflicts" else 1.0)
    # the two sides start apart (left / right) so the conflicts cross the middle; articles start between them
    init = {}
    for i, s in enumerate(pic.statements):
        init[s["id"]] = (-1.0 if s.get("side", 1) != -1 else 1.0, (i % 7) / 7.0)
    for i, a in enumerate(pic.articles):
        init[a["id"]] = (0.0, (i % 5) / 5.0 - 0.5)
    pos = nx.spring_layout(g, pos=init, seed=0, iterations=200, weight="weight",
                           k=1.6 / max(1, len(g)) ** 0.5) if len(g) > 1 else {n: (0, 0) for n in g}
    n = len(g)
    size = 760 if n <= 25 else 480
    with plt.rc_context({"svg.fonttype": "none", "font.family": ["DejaVu Sans"]}):
        fig, ax = plt.subplots(figsize=(7.2, 5.2) if n <= 25 else (9, 6.8))
        for kind, (colour, style, width) in EDGE_STYLE.items():
            edges = [(u, v) for u, v, d in g.edges(data=True) if d["kind"] == kind]
            if edges:
                nx.draw_networkx_edges(g, pos, edgelist=edges, edge_color=colour, style=style, width=width, ax=ax,
                                       alpha=0.9)
        for s in pic.statements:
            colour = SIDE_COLOURS.get(s.get("side"), SIDE_COLOURS[None])
            removed = s["status"] == "removed"
            big = size * (1.45 if s.get("focus") else 1.0)
            nx.draw_networkx_nodes(g, pos, nodelist=[s["id"]], node_size=big, ax=ax,
                                   node_color="white" if removed else colour, edgecolors=
                                   "black" if s.get("focus") else colour, linewidths=3.0 if s.get("focus") else 2.2)
            if removed:
                x, y = pos[s["id"]]
                ax.scatter([x], [y], marker="x", s=big * 0.55, c="#c53030", linewidths=2.6, alpha=0.8, zorder=3)
        if pic.articles:
            nx.draw_networkx_nodes(g, pos, nodelist=[a["id"] for a in pic.articles], node_shape="s",
                                   node_size=size * 0.55, node_color="#e9d8fd", edgecolors="#805ad5",
                                   linewidths=1.5, ax=ax)
        labels = {node: keys[node] for node in g}
        removed_ids = {s["id"] for s in pic.statements if s["status"] == "removed"}
        dark = {k: v for k, v in labels.items() if k in removed_ids or k in {a["id"] for a in pic.articles}}
        light = {k: v for k, v in labels.items() if k not in dark}
        nx.draw_networkx_labels(g, pos, labels=light, font_size=10, font_color="white", font_weight="bold", ax=ax)
        nx.draw_networkx_labels(g, pos, labels=dark, font_size=10, font_color="#1a202c", font_weight="bold", ax=ax)
        legend = [Line2D([], [], marker="o", ls="", ms=11, mfc=SIDE_COLOURS[1], mec=SIDE_COLOURS[1],
                         label="side +1"),
                  Line2D([], [], marker="o", ls="", ms=11, mfc=SIDE_COLOURS[-1], mec=SIDE_COLOURS[-1],
                         label="side −1"),
                  Line2D([], [], marker="X", ls="", ms=11, mfc="#c53030", mec="white", label="removed by CR"),
                  Line2D([], [], color=EDGE_STYLE["agrees"][0], lw=2, label="AGREES"),
                  Line2D([], [], color=EDGE_STYLE["conflicts"][0], lw=2, ls="--", label="CONFLICTS")]
        if pic.articles:
            legend += [Line2D([], [], marker="s", ls="", ms=10, mfc="#e9d8fd", mec="#805ad5", label="article"),
                       Line2D([], [], color=EDGE_STYLE["linked"][0], lw=3, label="witness path (LINKED)")]
        ax.legend(handles=legend, loc="upper center", bbox_to_anchor=(0.5, -0.01), ncols=4, fontsize=10,
                  frameon=False)
        ax.set_title(pic.title, fontsize=12)
        ax.margins(0.12)
        ax.axis("off")
        buf = io.BytesIO()
        fig.savefig(buf, format="svg", bbox_inches="tight")
        plt.close(fig)
    return buf.getvalue()


def _add_witnesses(pic: Picture, store: GraphStore, removals: list[dict[str, Any]]) -> None:
    """For each removal {id, partner, path}: the path's articles, LINKED between them, STATES to both ends."""
    have = {a["id"] for a in pic.articles}
    ids = {s["id"] for s in pic.statements}
    need = [aid for r in removals for aid in (r.get("path") or []) if aid not in have]
    titles = {a["id"]: a for a in run_named(store, "show/articles_by_id", {"ids": sorted(set(need))},
                                            write=False)} if need else {}
    for r in removals:
        path = r.get("path") or []
        if not path or r.get("partner") not in ids:
            continue
        for aid in path:
            if aid not in have:
                pic.articles.append({"id": aid, "title": (titles.get(aid) or {}).get("title")})
                have.add(aid)
        pic.edges += [(a, b, "linked") for a, b in zip(path, path[1:])]
        pic.edges += [(path[0], r["id"], "states"), (path[-1], r["partner"], "states")]


def issue_picture(store: GraphStore, issue: dict[str, Any], cap: int = 30) -> Picture:
    """One contested issue: its statements (at most `cap`: every removal and its partner first, then the
    heaviest), their stance edges and the witness path of each removal."""
    rows = run_named(store, "report/issue_statements", {"issue": issue["issue"]}, write=False)
    by_id = {r["id"]: r for r in rows}
    first = [r["id"] for r in rows if r["status"] == "removed"]
    first += [by_id[i]["removed_conflict"] for i in first if by_id[i]["removed_conflict"] in by_id]
    rest = sorted((r for r in rows if r["id"] not in first), key=lambda r: (-(r["weight"] or 0), r["id"]))
    chosen = list(dict.fromkeys(first + [r["id"] for r in rest]))[:cap]
    pic = Picture(title=f"{issue['nation']} · issue {issue['issue'].rsplit(':', 1)[-1][:8]}: "
                        f"{issue['statements']} statements, {issue['removed']} removed")
    if len(rows) > len(chosen):
        pic.note = f"showing {len(chosen)} of {len(rows)} statements (all removals and their partners first)"
    pic.statements = [{"id": i, "text": by_id[i]["text"], "side": by_id[i]["side"], "status": by_id[i]["status"],
                       "round": by_id[i]["removed_round"]} for i in chosen]
    edges = run_named(store, "report/stance_edges", {"ids": chosen}, write=False)
    pic.edges = [(e["source"], e["target"], e["relation"].lower()) for e in edges]
    _add_witnesses(pic, store, [{"id": i, "partner": by_id[i]["removed_conflict"], "path": by_id[i]["removed_path"]}
                                for i in chosen if by_id[i]["status"] == "removed"])
    return pic


def neighbourhood_picture(store: GraphStore, info: dict[str, Any], cap: int = 30) -> Picture:
    """A statement (from verify.provenance.gather), its AGREES / CONFLICTS neighbours, the statements removed
    because of it and the witness paths involved."""
    me = {"id": info["id"], "text": info["triple"]["statement"], "side": info["decision"]["side"],
          "status": info["decision"]["status"], "round": info["decision"].get("round"), "focus": True}
    nbrs = sorted(info["stance"], key=lambda t: (t["relation"] != "CONFLICTS", t["id"]))[:cap]
    pic = Picture(title=f"{info['nation']} · statement {info['id']} and its neighbourhood")
    pic.statements = [me] + [{"id": t["id"], "text": t["text"], "side": t["side"], "status": t["status"],
                              "round": t["removed_round"]} for t in nbrs]
    if len(info["stance"]) > len(nbrs):
        pic.note = f"showing {len(nbrs)} of {len(info['stance'])} neighbours (conflicts first)"
    pic.edges = [(info["id"], t["id"], t["relation"].lower()) for t in nbrs]
    removals = [{"id": r["id"], "partner": info["id"], "path": [w["id"] for w in r["witness"]]}
                for r in info["removed_because"]]
    d = info["decision"]
    if d["status"] == "removed":
        removals.append({"id": info["id"], "partner": d["conflicting"]["id"], "path": [w["id"] for w in d["witness"]]})
    _add_witnesses(pic, store, removals)
    return pic


def contested_issues(store: GraphStore, nations: list[str], per_nation: int = 2) -> list[dict[str, Any]]:
    """The `per_nation` largest issues with a conflict, per nation, each drawn: [{nation, issue, statements,
    conflicts, removed, svg, keys, note, title}]."""
    rows = run_named(store, "report/contested_issues", {"nations": nations or None}, write=False)
    out = []
    for nation in nations:
        for issue in [r for r in rows if r["nation"] == nation][:per_nation]:
            issue = {**issue, **{k: int(issue[k] or 0) for k in ("statements", "conflicts", "removed")}}
            pic = issue_picture(store, issue)
            out.append({**issue, "title": pic.title, "svg": draw_svg(pic), "keys": pic.key_rows(), "note": pic.note})
    return out
