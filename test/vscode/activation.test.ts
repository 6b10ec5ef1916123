// Runs inside a real VS Code extension host (code-server harness or @vscode/test-electron).
import * as assert from 'assert';
import * as vscode from 'vscode';

const EXTENSION_ID = 'awsidc.aws-identity-center-sessions';

suite('Activation', () => {
  let ext: vscode.Extension<unknown>;

  suiteSetup(() => {
    const found = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(found, `extension ${EXTENSION_ID} not found`);
    ext = found;
  });

  test('the extension activates', async () => {
    await ext.activate();
    assert.strictEqual(ext.isActive, true);
  });

  test('every command in contributes.commands is registered', async () => {
    await ext.activate();
    const contributed: string[] = (ext.packageJSON.contributes?.commands ?? []).map((c: { command: string }) => c.command);
    assert.ok(contributed.length > 0, 'package.json contributes no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((c) => !registered.has(c));
    assert.ok(missing.length === 0, `commands contributed but not registered: ${missing.join(', ')}`);
  });

  test('the Accounts view can be focused', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.awsIdc');
    await vscode.commands.executeCommand('awsIdc.accounts.focus');
  });
});
