// After a failed VS Code run: prints a MOCHA_GREP that selects the top-level suites with a failed
// test, for npm test's one rerun of them in a fresh code-server (scripts/vscode-suites.sh). Exits 1,
// and nothing is rerun, when the run failed for another reason (the harness timed out or broke; a
// secret found on disk exits 3 and never gets here) or when more than MAX_SUITES suites failed: that
// is a broken change, not a busy machine. The first run's results are kept beside the rerun's as vscode-results.first-run.json.
import * as fs from 'fs';
import * as path from 'path';
import { resultsDir } from './teardown';
import { selectedVersion } from './vscodeVersions';

const MAX_SUITES = 2;

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function main(): number {
  const file = path.join(resultsDir(selectedVersion()), 'vscode-results.json');
  let results: { failures?: number; tests?: { state: string; suite?: string }[] };
  try {
    results = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    console.error(`[rerun] no results in ${file}: nothing to rerun`);
    return 1;
  }
  const suites = [...new Set((results.tests ?? []).filter((t) => t.state === 'failed').map((t) => t.suite ?? ''))];
  if (!results.failures || !suites.length || suites.includes('')) {
    console.error('[rerun] the run did not fail in a suite (timeout or harness): nothing to rerun');
    return 1;
  }
  if (suites.length > MAX_SUITES) {
    console.error(`[rerun] ${suites.length} suites failed (more than ${MAX_SUITES}): not rerun`);
    return 1;
  }
  fs.copyFileSync(file, file.replace(/\.json$/, '.first-run.json'));
  console.log(`^(?:${suites.map(escapeRegExp).join('|')})( |$)`);
  return 0;
}

process.exit(main());
