// Lint Cypher statements with Neo4j's own front end (@neo4j-cypher/language-support: the parser and semantic
// analysis compiled from Neo4j). Input on stdin: JSON [{name, text}]. Output on stdout: JSON
// [{name, diagnostics: [{severity, message, line, character}]}]. Procedure and function signatures come from the
// package's testData.mockSchema (real GDS and APOC signatures); labels, types, properties and parameters are left
// out of the schema on purpose: our graph's names are not in it and parameters are bound at run time.
const ls = require('@neo4j-cypher/language-support');

const full = ls.testData.mockSchema;
const schema = { functions: full.functions, procedures: full.procedures };

let input = '';
process.stdin.on('data', (c) => { input += c; });
process.stdin.on('end', () => {
  const out = JSON.parse(input).map(({ name, text }) => ({
    name,
    diagnostics: ls.lintCypherQuery(text, schema).diagnostics.map((d) => ({
      severity: d.severity, message: d.message, param: !ls.isNotParamError(d),
      line: d.range.start.line + 1, character: d.range.start.character + 1,
    })),
  }));
  process.stdout.write(JSON.stringify(out));
});
