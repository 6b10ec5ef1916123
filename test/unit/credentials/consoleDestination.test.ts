// Console destinations: what a typed path becomes, what is refused (anything that could reach
// another host), the URL per partition, and the recently used list.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CONSOLE_SERVICES, checkConsolePath, consoleDestinationUrl, rememberPath } from '../../../src/core/credentials/consoleDestination';

describe('checkConsolePath', () => {
  const accepted: [string, string][] = [
    ['', '/console/home'],
    ['lambda', '/lambda/home'],
    ['  EC2 ', '/ec2/home'],
    ['/lambda/home', '/lambda/home'],
    ['/lambda/home#/functions', '/lambda/home#/functions'],
    ['/cloudwatch/home?x=1#logsV2:log-groups', '/cloudwatch/home?x=1#logsV2:log-groups'],
    ['/s3/buckets/my-bucket?tab=objects', '/s3/buckets/my-bucket?tab=objects'],
  ];
  for (const [input, path] of accepted) test(`accepts ${JSON.stringify(input)}`, () => assert.deepEqual(checkConsolePath(input), { ok: true, path }));

  const refused = [
    'https://evil.example/',
    '//evil.example/x',
    '/\\evil.example',
    '\\\\evil.example',
    'javascript:alert(1)',
    'lambda/home', // not rooted and not a bare service word
    '/a b',
    '/x@evil.example',
    '/..//evil.example',
    '/ok\n/evil',
    `/${'a'.repeat(2000)}`,
  ];
  for (const input of refused)
    test(`refuses ${JSON.stringify(input.slice(0, 40))}`, () => {
      const r = checkConsolePath(input);
      assert.equal(r.ok, false);
      assert.match((r as { error: string }).error, /console path/);
    });
});

describe('consoleDestinationUrl', () => {
  test('the region host and region= added, fragment kept after the query', () => {
    assert.equal(
      consoleDestinationUrl('eu-central-1', '/lambda/home#/functions'),
      'https://eu-central-1.console.aws.amazon.com/lambda/home?region=eu-central-1#/functions',
    );
    assert.equal(consoleDestinationUrl('eu-central-1'), 'https://eu-central-1.console.aws.amazon.com/console/home?region=eu-central-1');
    assert.equal(
      consoleDestinationUrl('eu-central-1', '/s3/home?bucket=a'),
      'https://eu-central-1.console.aws.amazon.com/s3/home?bucket=a&region=eu-central-1',
    );
  });
  test('a region the path chose is kept', () =>
    assert.equal(consoleDestinationUrl('eu-west-1', '/ec2/home?region=us-west-2'), 'https://eu-west-1.console.aws.amazon.com/ec2/home?region=us-west-2'));
  test('GovCloud and China console hosts', () => {
    assert.equal(consoleDestinationUrl('us-gov-west-1', 'ec2'), 'https://console.amazonaws-us-gov.com/ec2/home?region=us-gov-west-1');
    assert.equal(consoleDestinationUrl('cn-north-1', 'ec2'), 'https://console.amazonaws.cn/ec2/home?region=cn-north-1');
  });
  test('every common service is a valid path on the console host', () => {
    for (const s of CONSOLE_SERVICES) assert.ok(consoleDestinationUrl('us-east-1', s.path).startsWith('https://us-east-1.console.aws.amazon.com/'), s.label);
  });
  test('a refused path throws rather than leaving the host', () => assert.throws(() => consoleDestinationUrl('us-east-1', '//evil.example')));
});

describe('rememberPath', () => {
  test('newest first, no repeats, bounded, invalid entries dropped', () => {
    assert.deepEqual(rememberPath(['/a/home', '/b/home'], '/b/home'), ['/b/home', '/a/home']);
    assert.deepEqual(rememberPath(['//evil', '/a/home'], '/c/home'), ['/c/home', '/a/home']);
    assert.deepEqual(rememberPath(['/1/h', '/2/h', '/3/h', '/4/h', '/5/h'], '/6/h'), ['/6/h', '/1/h', '/2/h', '/3/h', '/4/h']);
  });
});
