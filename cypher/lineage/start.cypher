// Lineage: a stage run begins: (:StageRun {id: $id, state: 'started'}) with what it runs on (settings
// fingerprint) and what makes its output (provider / model / prompt version for the LLM-backed stages).
CREATE (r:StageRun {id: $id})
SET r.run_id = $id, r.nation = $nation, r.stage = $stage, r.state = 'started', r.started_at = $started_at,
    r.started_ns = $ns, r.pid = $pid, r.host = $host, r.settings_fp = $settings_fp, r.settings = $settings,
    r.provider = $provider, r.model = $model, r.prompt_version = $prompt_version,
    r.demo_quality = $demo_quality, r.code_version = $code_version
RETURN r.id AS id
