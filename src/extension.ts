// Composition root: each capability registers its part of the extension, in dependency order; each
// returns one disposable (and what the capabilities after it use).
import * as vscode from 'vscode';
import { registerAccounts } from './vscode/accounts';
import { registerActivity } from './vscode/activity';
import { registerCloudTrail } from './vscode/activity/cloudTrailCommands';
import { regionFor } from './vscode/platform/settings';
import { registerAwsFiles } from './vscode/awsFiles';
import { registerCredentials } from './vscode/credentials';
import { registerDebugging } from './vscode/debugging';
import { registerPlatform } from './vscode/platform';
import { registerSignIn } from './vscode/signIn';
import { registerTerminals } from './vscode/terminals';
import { testApi, type TestApi } from './vscode/testApi';

export function activate(context: vscode.ExtensionContext): TestApi | undefined {
  const started = performance.now();
  const platform = registerPlatform({ context });
  const signIn = registerSignIn({ platform });
  const accounts = registerAccounts({ platform, signIn });
  const activity = registerActivity({ platform, accounts });
  const credentials = registerCredentials({ platform, signIn, accounts, activity });
  const awsFiles = registerAwsFiles({ platform, signIn, accounts, credentials });
  const terminals = registerTerminals({ platform, accounts, activity, credentials, awsFiles });
  const debugging = registerDebugging({ platform, signIn, accounts, credentials, terminals });
  // What the handed-out keys did (issue 28): each key's role's own credentials, in the region its tools use.
  const cloudTrail = registerCloudTrail({
    activity: activity.log,
    catalog: accounts.catalog,
    broker: credentials.broker,
    chained: () => credentials.chained.roles,
    regions: () => [regionFor('tools', accounts.session) || regionFor('identityCenter', accounts.session)],
    storageDir: context.globalStorageUri.fsPath,
    log: platform.log,
  });
  context.subscriptions.push(platform, signIn, accounts, activity, credentials, awsFiles, terminals, debugging, cloudTrail);
  const activationMs = performance.now() - started;
  platform.log.info(`[activate] ${activationMs.toFixed(2)} ms`);
  // Internals are exposed to our own test suites only, never to other extensions in normal use.
  const capabilities = { platform, signIn, accounts, activity, credentials, awsFiles, terminals };
  return context.extensionMode === vscode.ExtensionMode.Test ? Object.assign(testApi(capabilities, activationMs), { cloudTrail: cloudTrail.view }) : undefined;
}

export function deactivate(): void {}
