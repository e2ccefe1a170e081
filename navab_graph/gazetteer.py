"""A small built-in gazetteer: the five NaVAB nations, their capitals and major cities, with coordinates.

Offline geocoding for Location nodes {name, lat, lon}. Names are given in English (the canonical node name, so
articles in different languages meet on one node) and in the local languages zh/fr/de. Hand-written because
no offline geocoder with multilingual names ships on PyPI at this size; extend PLACES for other nations.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Place:
    name: str  # canonical English name
    nation: str  # ISO code
    lat: float
    lon: float
    kind: str  # country | capital | city
    aliases: tuple[str, ...]


def _p(name, nation, lat, lon, kind, *aliases):
    return Place(name, nation, lat, lon, kind, (name, *aliases))


PLACES: tuple[Place, ...] = (
    _p("China", "CN", 35.86, 104.20, "country", "中国", "Chine", "中华人民共和国"),
    _p("Beijing", "CN", 39.9042, 116.4074, "capital", "北京", "Pékin"),
    _p("Shanghai", "CN", 31.2304, 121.4737, "city", "上海"),
    _p("Guangzhou", "CN", 23.1291, 113.2644, "city", "广州", "Canton"),
    _p("Shenzhen", "CN", 22.5431, 114.0579, "city", "深圳"),
    _p("Wuhan", "CN", 30.5928, 114.3055, "city", "武汉"),
    _p("Hong Kong", "CN", 22.3193, 114.1694, "city", "香港", "Hongkong"),
    _p("Chongqing", "CN", 29.5630, 106.5516, "city", "重庆"),
    _p("United States", "US", 39.83, -98.58, "country", "美国", "USA", "U.S.", "États-Unis", "Etats-Unis",
       "Vereinigte Staaten", "America"),
    _p("Washington", "US", 38.9072, -77.0369, "capital", "华盛顿", "Washington, D.C."),
    _p("New York", "US", 40.7128, -74.0060, "city", "纽约", "New York City"),
    _p("Los Angeles", "US", 34.0522, -118.2437, "city", "洛杉矶"),
    _p("Chicago", "US", 41.8781, -87.6298, "city", "芝加哥"),
    _p("San Francisco", "US", 37.7749, -122.4194, "city", "旧金山"),
    _p("United Kingdom", "GB", 54.0, -2.0, "country", "英国", "Britain", "UK", "U.K.", "Royaume-Uni",
       "Großbritannien", "Vereinigtes Königreich"),
    _p("London", "GB", 51.5074, -0.1278, "capital", "伦敦", "Londres"),
    _p("Manchester", "GB", 53.4808, -2.2426, "city", "曼彻斯特"),
    _p("Birmingham", "GB", 52.4862, -1.8904, "city", "伯明翰"),
    _p("Edinburgh", "GB", 55.9533, -3.1883, "city", "爱丁堡", "Édimbourg"),
    _p("Glasgow", "GB", 55.8642, -4.2518, "city", "格拉斯哥"),
    _p("France", "FR", 46.23, 2.21, "country", "法国", "Frankreich"),
    _p("Paris", "FR", 48.8566, 2.3522, "capital", "巴黎"),
    _p("Marseille", "FR", 43.2965, 5.3698, "city", "马赛", "Marseilles"),
    _p("Lyon", "FR", 45.7640, 4.8357, "city", "里昂", "Lyons"),
    _p("Toulouse", "FR", 43.6047, 1.4442, "city", "图卢兹"),
    _p("Nice", "FR", 43.7102, 7.2620, "city", "尼斯"),
    _p("Strasbourg", "FR", 48.5734, 7.7521, "city", "斯特拉斯堡", "Straßburg"),
    _p("Germany", "DE", 51.17, 10.45, "country", "德国", "Deutschland", "Allemagne"),
    _p("Berlin", "DE", 52.5200, 13.4050, "capital", "柏林"),
    _p("Hamburg", "DE", 53.5511, 9.9937, "city", "汉堡", "Hambourg"),
    _p("Munich", "DE", 48.1351, 11.5820, "city", "慕尼黑", "München", "Munich"),
    _p("Cologne", "DE", 50.9375, 6.9603, "city", "科隆", "Köln"),
    _p("Frankfurt", "DE", 50.1109, 8.6821, "city", "法兰克福", "Frankfurt am Main", "Francfort"),
    _p("Bonn", "DE", 50.7374, 7.0982, "city", "波恩"),
)


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, Place], re.Pattern, re.Pattern]:
    by_alias: dict[str, Place] = {}
    for p in PLACES:
        for a in p.aliases:
            by_alias.setdefault(a.lower(), p)
    latin = sorted((a for a in by_alias if a.isascii() or not re.search(r"[\u3400-\u9fff]", a)), key=len,
                   reverse=True)
    cjk = sorted((a for a in by_alias if re.search(r"[\u3400-\u9fff]", a)), key=len, reverse=True)
    # "US"/"UK"/"Nice" are words too: Latin aliases match case-sensitively on word boundaries.
    lat_pat = re.compile(r"(?<![\w.])(" + "|".join(re.escape(_orig(a)) for a in latin) + r")(?![\w])")
    cjk_pat = re.compile("|".join(re.escape(a) for a in cjk))
    return by_alias, lat_pat, cjk_pat


_ORIG = {a.lower(): a for p in PLACES for a in p.aliases}


def _orig(lower: str) -> str:
    return _ORIG[lower]


def lookup(name: str) -> Place | None:
    """The place for a name in any of its languages (case-insensitive), or None."""
    return _index()[0].get(name.strip().lower())


def find_places(text: str) -> list[Place]:
    """Places named in a text, in order of first mention, without duplicates."""
    by_alias, lat_pat, cjk_pat = _index()
    hits: list[tuple[int, Place]] = []
    for pat in (lat_pat, cjk_pat):
        for m in pat.finditer(text or ""):
            hits.append((m.start(), by_alias[m.group(0).lower()]))
    seen, out = set(), []
    for _, p in sorted(hits, key=lambda h: h[0]):
        if p.name not in seen:
            seen.add(p.name)
            out.append(p)
    return out
