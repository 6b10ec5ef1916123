// Windows with their own copy of the secrets (VS Code for the Web, code-server): the copy is loaded once
// and written back whole on every change, like the workbench's LocalStorageSecretStorageProvider. The
// real Session signs in against the emulator; WindowSecrets must keep a stale window from erasing it.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeEach, describe, test } from 'node:test';
import { Emitter } from '../../../src/core/common/events';
import { SECRET_KEYS } from '../../../src/core/common/storageKeys';
import type { SecretStore } from '../../../src/core/common/stores';
import { Session } from '../../../src/core/signIn/session';
import { WindowSecrets, readSignal } from '../../../src/core/signIn/windowSecrets';
import { fastClock } from '../../support/clocks';
import { REGION, START_URL, emulatorPerTest } from '../../support/emulator';
import { MemorySecrets } from '../../support/memorySecrets';
import { tempDirs } from '../../support/tempDirs';

const target = { startUrl: START_URL, region: REGION };

/** The browser's localStorage entry every window of the origin shares. */
class SharedBlob {
  value = '{}';
}

/** One window's secret storage in VS Code for the Web: read once at load, saved whole, no broadcast. */
class WebWindowCopy implements SecretStore {
  private readonly copy: Record<string, string>;
  private readonly changed = new Emitter<{ key: string }>();
  readonly onDidChange = this.changed.event;
  constructor(private readonly blob: SharedBlob) {
    this.copy = JSON.parse(blob.value);
  }
  async get(key: string): Promise<string | undefined> {
    return this.copy[key];
  }
  async store(key: string, value: string): Promise<void> {
    this.copy[key] = value;
    this.blob.value = JSON.stringify(this.copy);
    this.changed.fire({ key });
  }
  async delete(key: string): Promise<void> {
    delete this.copy[key];
    this.blob.value = JSON.stringify(this.copy);
    this.changed.fire({ key });
  }
}

const tick = (ms = 30) => new Promise((r) => setTimeout(r, ms));

const freshDir = tempDirs('awsidc-winsecrets-');

describe('WindowSecrets (one window never erases another window’s sign-in)', () => {
  let dir: string;
  let file: string;
  const { client } = emulatorPerTest({ interval: 1, autoApprove: true });
  beforeEach(() => {
    dir = freshDir();
    file = path.join(dir, 'globalStorage', 'secrets-changed.json');
  });

  const session = (store: SecretStore) => Session.create({ store, clock: fastClock(1), createClient: () => client() });
  const windowOn = (inner: SecretStore) => new WindowSecrets({ inner, file, pollMs: 10 });

  test('without the guard a stale window erases the sign-in (the reported bug, reproduced)', async () => {
    const blob = new SharedBlob();
    const a = session(new WebWindowCopy(blob));
    const b = new WebWindowCopy(blob); // opened before the sign-in
    await a.signIn(target, { onCode: () => undefined });
    assert.ok(JSON.parse(blob.value)[SECRET_KEYS.token]);
    await b.store(SECRET_KEYS.refreshLease, '{}'); // any write: a registration, a lease, a sign-out
    assert.equal(JSON.parse(blob.value)[SECRET_KEYS.token], undefined);
    a.dispose();
  });

  test('a stale window refuses to write, says so, and leaves the sign-in; after a reload it has it', async () => {
    const blob = new SharedBlob();
    const winA = windowOn(new WebWindowCopy(blob));
    const winB = windowOn(new WebWindowCopy(blob));
    const a = session(winA);
    const b = session(winB);
    await Promise.all([winA.ready, winB.ready, b.ready]);
    const staleSeen: number[] = [];
    winB.onDidChangeStale((s) => staleSeen.push(s.generation));
    await a.signIn(target, { onCode: () => undefined });
    const token = JSON.parse(blob.value)[SECRET_KEYS.token];
    assert.ok(token);
    await tick(100);
    assert.equal(b.state.kind, 'signedOut', 'the host did not tell window B');
    assert.ok(staleSeen.length >= 1 && winB.stale?.signIn?.startUrl === START_URL, 'window B knows its copy is stale and who signed in');
    // Window B signs in anyway: its first write (the client registration) is refused, nothing is overwritten.
    await assert.rejects(b.signIn(target, { onCode: () => undefined }), /Reload this window/);
    await b.signOut(); // a stale delete is skipped, not written
    assert.equal(JSON.parse(blob.value)[SECRET_KEYS.token], token);
    assert.equal(await a.accessToken(), JSON.parse(token).accessToken);
    // Reloading window B reloads its copy: signed in with A's token, and it may write again.
    b.dispose();
    winB.dispose();
    const winB2 = windowOn(new WebWindowCopy(blob));
    const b2 = session(winB2);
    await b2.ready;
    assert.equal(b2.state.kind, 'signedIn');
    assert.equal(winB2.stale, undefined);
    await winB2.store(SECRET_KEYS.refreshLease, '{"owner":"b"}');
    assert.equal(JSON.parse(blob.value)[SECRET_KEYS.token], token, 'a fresh copy keeps the sign-in when it writes');
    // ...and now window A's copy is the stale one.
    await tick(100);
    assert.ok(winA.stale);
    for (const d of [a, b2, winA, winB2]) d.dispose();
  });

  test('where the host shares secrets (desktop), nothing is refused and a change seen in the file is passed on', async () => {
    const shared = new MemorySecrets();
    const quiet: SecretStore = {
      get: (k) => shared.get(k),
      store: (k, v) => shared.store(k, v),
      delete: (k) => shared.delete(k),
      onDidChange: () => ({ dispose() {} }),
    };
    const winA = windowOn(shared);
    const winB = windowOn(quiet); // a host that shares but does not broadcast
    const a = session(winA);
    const b = session(winB);
    await Promise.all([winA.ready, winB.ready, b.ready]);
    await a.signIn(target, { onCode: () => undefined });
    await tick(150);
    assert.equal(b.state.kind, 'signedIn', 'window B followed through the signal file');
    assert.equal(winB.stale, undefined);
    await b.signOut();
    await tick(150);
    assert.equal(a.state.kind, 'signedOut');
    for (const d of [a, b, winA, winB]) d.dispose();
  });

  test('the signal file holds no secret', async () => {
    const blob = new SharedBlob();
    const win = windowOn(new WebWindowCopy(blob));
    const a = session(win);
    await a.signIn(target, { onCode: () => undefined });
    const text = fs.readFileSync(file, 'utf8');
    const token = JSON.parse(JSON.parse(blob.value)[SECRET_KEYS.token]);
    const registration = JSON.parse(JSON.parse(blob.value)[SECRET_KEYS.registration]);
    for (const secret of [token.accessToken, token.refreshToken, registration.clientSecret]) assert.ok(secret && !text.includes(secret));
    assert.deepEqual(Object.keys(readSignal(file)!).sort(), ['at', 'generation', 'key', 'signIn', 'signInKey', 'writer']);
    a.dispose();
    win.dispose();
  });
});
