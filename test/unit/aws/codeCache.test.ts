// Loading a CommonJS file compiled in a worker thread (the SDK bundle's path): it behaves like a
// require (exports, require.cache, relative requires, errors) and the real bundle loads this way.
import { strict as assert } from 'node:assert';
import { existsSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { describe, test } from 'node:test';
import { requireWithCodeCache } from '../../../src/core/aws/codeCache';
import { tempDirs } from '../../support/tempDirs';

const dirs = tempDirs('awsidc-codecache-');
const DIST = join(__dirname, '../../../../dist'); // out/test/unit/aws → repo root

describe('requireWithCodeCache', () => {
  test('exports, relative requires, __dirname and require.cache as with require', async () => {
    const dir = dirs();
    writeFileSync(join(dir, 'helper.js'), 'exports.twice = (n) => 2 * n;\n');
    const file = join(dir, 'main.js');
    writeFileSync(
      file,
      "const { twice } = require('./helper');\nexports.answer = twice(21);\nexports.dir = __dirname;\nexports.path = require('node:path').sep;\n",
    );
    const m = await requireWithCodeCache<{ answer: number; dir: string; path: string }>(file);
    assert.deepEqual(m, { answer: 42, dir, path: sep });
    assert.equal(require.cache[file]?.exports, m);
    assert.equal(await requireWithCodeCache(file), m, 'loaded once');
  });

  test('a module whose top level throws: the error, and nothing left in require.cache', async () => {
    const file = join(dirs(), 'broken.js');
    writeFileSync(file, "throw new Error('broken on load');\n");
    await assert.rejects(requireWithCodeCache(file), /broken on load/);
    assert.equal(require.cache[file], undefined);
  });

  const bundles: [string, string[], string[]][] = [
    ['awsSdk.js', ['SSOOIDCClient', 'SSOClient', 'STSClient', 'loadSharedConfigFiles', 'createRequestHandler'], ['IAMClient', 'CloudTrailClient']],
    ['awsSdkReview.js', ['IAMClient', 'GetAccessKeyLastUsedCommand', 'CloudTrailClient', 'LookupEventsCommand', 'createRequestHandler'], ['SSOClient']],
  ];
  for (const [name, has, hasNot] of bundles) {
    const file = join(DIST, name);
    test(`the AWS SDK bundle dist/${name} loads this way, with its clients only`, { skip: !existsSync(file) && 'no dist/: npm run build' }, async () => {
      const sdk = await requireWithCodeCache<Record<string, unknown>>(file);
      for (const n of has) assert.equal(typeof sdk[n], 'function', n);
      for (const n of hasNot) assert.equal(sdk[n], undefined, `${n} belongs to the other bundle`);
    });
  }
});
