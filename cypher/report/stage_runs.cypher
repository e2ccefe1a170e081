// Report, honest labels: the pipeline's StageRun records (navab_graph/lineage.py): what made each stage's output
// (provider 'rules' | 'openai', model, prompt version, demo_quality), every run; the report keeps the latest
// per nation and stage ($nations: list of ISO codes, or null for all).
MATCH (r:StageRun)
WHERE $nations IS NULL OR r.nation IN $nations
RETURN r.nation AS nation, r.stage AS stage, r.state AS state, r.provider AS provider, r.model AS model,
       r.prompt_version AS prompt_version, r.demo_quality AS demo_quality, r.at AS at,
       r.finished_at AS finished_at, r.started_ns AS started_ns, r.id AS run_id
ORDER BY nation, stage
