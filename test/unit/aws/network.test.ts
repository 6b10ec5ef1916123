// Which proxy a request takes, as a table: VS Code's settings first, then the environment; loopback never.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { DEFAULT_NETWORK_SETTINGS, decideProxy, matchesNoProxy, parseProxyUrl, proxyLabel, type NetworkSettings } from '../../../src/core/aws/network';

const OIDC = 'https://oidc.us-east-1.amazonaws.com';
type Row = [name: string, target: string, settings: Partial<NetworkSettings>, env: NodeJS.ProcessEnv, expected: string];

const rows: Row[] = [
  ['nothing set: direct', OIDC, {}, {}, 'direct'],
  ['http.proxy', OIDC, { proxy: 'http://proxy.corp:3128' }, {}, 'http://proxy.corp:3128 (http.proxy)'],
  ['http.proxy without a scheme means http', OIDC, { proxy: 'proxy.corp:8080' }, {}, 'http://proxy.corp:8080 (http.proxy)'],
  ['http.proxy wins over HTTPS_PROXY', OIDC, { proxy: 'http://a:1' }, { HTTPS_PROXY: 'http://b:2' }, 'http://a:1 (http.proxy)'],
  ['http.noProxy by domain suffix', OIDC, { proxy: 'http://a:1', noProxy: ['amazonaws.com'] }, {}, 'direct'],
  ['http.noProxy by wildcard', OIDC, { proxy: 'http://a:1', noProxy: ['*.us-east-1.amazonaws.com'] }, {}, 'direct'],
  ['http.noProxy of another host', OIDC, { proxy: 'http://a:1', noProxy: ['example.com'] }, {}, 'http://a:1 (http.proxy)'],
  ['http.noProxy does not read NO_PROXY', OIDC, { proxy: 'http://a:1' }, { NO_PROXY: '*' }, 'http://a:1 (http.proxy)'],
  ['HTTPS_PROXY for https targets', OIDC, {}, { HTTPS_PROXY: 'http://b:2' }, 'http://b:2 (HTTPS_PROXY)'],
  ['https_proxy (lower case) wins over HTTPS_PROXY', OIDC, {}, { https_proxy: 'http://low:1', HTTPS_PROXY: 'http://up:2' }, 'http://low:1 (HTTPS_PROXY)'],
  ['HTTP_PROXY is not used for https targets', OIDC, {}, { HTTP_PROXY: 'http://b:2' }, 'direct'],
  ['HTTP_PROXY for http targets', 'http://sts.example.com', {}, { HTTP_PROXY: 'http://b:2' }, 'http://b:2 (HTTP_PROXY)'],
  ['ALL_PROXY as the fallback', OIDC, {}, { ALL_PROXY: 'http://all:3' }, 'http://all:3 (ALL_PROXY)'],
  ['NO_PROXY with a leading dot', OIDC, {}, { HTTPS_PROXY: 'http://b:2', NO_PROXY: 'localhost,.amazonaws.com' }, 'direct'],
  ['no_proxy (lower case)', OIDC, {}, { HTTPS_PROXY: 'http://b:2', no_proxy: 'oidc.us-east-1.amazonaws.com' }, 'direct'],
  ['NO_PROXY=*', OIDC, {}, { HTTPS_PROXY: 'http://b:2', NO_PROXY: '*' }, 'direct'],
  ['NO_PROXY with the wrong port', OIDC, {}, { HTTPS_PROXY: 'http://b:2', NO_PROXY: 'oidc.us-east-1.amazonaws.com:8443' }, 'http://b:2 (HTTPS_PROXY)'],
  ['NO_PROXY with the right port', OIDC, {}, { HTTPS_PROXY: 'http://b:2', NO_PROXY: 'oidc.us-east-1.amazonaws.com:443' }, 'direct'],
  ['a suffix is not a domain match', OIDC, {}, { HTTPS_PROXY: 'http://b:2', NO_PROXY: 'zonaws.com' }, 'http://b:2 (HTTPS_PROXY)'],
  ['loopback never goes through http.proxy', 'http://127.0.0.1:40123', { proxy: 'http://a:1' }, {}, 'direct'],
  ['localhost never goes through HTTPS_PROXY', 'https://localhost:8443', {}, { HTTPS_PROXY: 'http://b:2' }, 'direct'],
  ['[::1] is loopback', 'http://[::1]:9', { proxy: 'http://a:1' }, {}, 'direct'],
  ['an unusable proxy value is ignored', OIDC, { proxy: 'socks5://a:1' }, {}, 'direct'],
];

for (const [name, target, settings, env, expected] of rows) {
  test(`decideProxy: ${name}`, () => {
    const d = decideProxy(new URL(target), { ...DEFAULT_NETWORK_SETTINGS, ...settings }, env);
    assert.equal(d.kind === 'direct' ? 'direct' : `${proxyLabel(d.proxy)} (${d.source})`, expected);
  });
}

test('matchesNoProxy: IP addresses and blanks', () => {
  assert.equal(matchesNoProxy('10.0.0.5', '443', ['', ' 10.0.0.5 ']), true);
  assert.equal(matchesNoProxy('10.0.0.50', '443', ['10.0.0.5']), false);
});

test('a proxy label never shows credentials', () => {
  assert.equal(proxyLabel(parseProxyUrl('http://user:p%40ss@proxy.corp:3128')!), 'http://proxy.corp:3128');
});
