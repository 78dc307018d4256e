#!/usr/bin/env node
'use strict';
// Plain JavaScript that any Node parses: the version is checked before the compiled code, which may
// need APIs this Node lacks, is loaded. (The other package's bin holds the same check: each installs alone.)
const { engines } = require('../package.json');

/** One line naming what is needed, or undefined when `version` (e.g. '18.20.4') meets engines.node ('>=X.Y.Z'). */
function unsupportedNode(version, range = engines.node) {
  const need = /^>=(\d+)\.(\d+)\.(\d+)$/.exec(range).slice(1).map(Number);
  const have = version.split('.').map(Number);
  const diff = need.map((n, i) => (have[i] || 0) - n).find((d) => d !== 0) || 0;
  return diff < 0 ? `functions-host needs Node ${range.slice(2)} or newer; this is Node ${version}.` : undefined;
}

module.exports = { unsupportedNode };

if (require.main === module) {
  const problem = unsupportedNode(process.versions.node);
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
  require('../dist/cli.js').main();
}
