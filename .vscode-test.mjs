// @vscode/test-cli config for `npm run test:desktop`: the same mocha suites as `npm run test:vscode`,
// but in desktop VS Code downloaded by @vscode/test-electron (needs the VS Code update server, so it
// cannot run on the offline build machines; there use test:vscode, which runs them in code-server).
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@vscode/test-cli';

const require = createRequire(import.meta.url);

// Start the Identity Center emulator in this process (the CLI exits with process.exit when done,
// which also ends the emulator) and hand its endpoints to the extension host, like the harness does.
const env = {};
const emulatorJs = fileURLToPath(new URL('./out/test/emulator/server.js', import.meta.url));
if (existsSync(emulatorJs)) {
  const { Emulator } = require(emulatorJs);
  const emulator = await Emulator.start({ port: 0, accounts: 25, interval: 1 });
  Object.assign(env, emulator.env, { AWSIDC_EMULATOR_URL: emulator.url });
}

export default defineConfig({
  label: 'desktop',
  files: 'out/test/vscode/**/*.test.js',
  version: '1.100.0',
  extensionDevelopmentPath: '.',
  launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
  env,
  mocha: { ui: 'tdd', timeout: 60_000, color: true },
});
