// Two real windows (exploratory).
import * as assert from 'assert';
import { harness } from '../harness/bridgeClient';
import { api } from './support';

suite('Windows: two real windows', function () {
  this.timeout(240_000);
  suiteSetup(async function () {
    if (!harness.available) this.skip();
    await api();
  });

  test('a second window loads the extension', async () => {
    const w2 = await harness.openWindow();
    assert.ok(await harness.waitForText('AWS: signed out', 60_000, w2), 'window 2 status bar');
    await new Promise((r) => setTimeout(r, 3000));
    await harness.screenshot('windows-explore-w2', w2);
    const lines = await harness.windowLog(w2);
    console.log(lines.slice(0, 80).join('\n'));
    await harness.closeWindow(w2);
  });
});
