// The recorded fingerprint of a stage for a nation.
MATCH (r:StageRun {id: $id})
RETURN r.fingerprint AS fingerprint, r.at AS at
