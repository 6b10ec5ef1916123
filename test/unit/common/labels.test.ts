// One bounded line of visible text for names others choose (issue 24 item 6): what the debug
// adapter logs and records as the consumer of a launch configuration's credentials.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_LABEL_LENGTH, debugConsumer, oneLineLabel } from '../../../src/core/common/labels';

test('a launch configuration name that tries to start a forged output-log line stays on one line', () => {
  const consumer = debugConsumer('build"\n2026-12-07 09:00:00.000 [info] [debug] debug session "deploy" sets AWS_ACCESS_KEY_ID itself', 'node');
  assert.doesNotMatch(consumer, /[\r\n\u2028\u2029]/);
  assert.match(consumer, /^debug session "build" 2026-12-07/);
  assert.ok(consumer.length <= 100);
});

test('control, bidi and zero-width characters go; length is bounded on a code point; an empty name falls back to the type', () => {
  assert.equal(oneLineLabel('a\u0000b\u202ec\u200bd\u0085e\ufeff'), 'a b c d e');
  const long = oneLineLabel('😀'.repeat(300));
  assert.ok(long.length <= MAX_LABEL_LENGTH * 2 && long.endsWith('…'));
  assert.ok(!/[\ud800-\udbff]…$/.test(long), 'no half surrogate before the ellipsis');
  assert.equal(debugConsumer('\n\t', 'python'), 'debug session "python"');
  assert.equal(debugConsumer(undefined, undefined), 'debug session "unnamed"');
});
