// Session activity: a secret-free record of who got which credentials (issued by AWS, served to a
// consumer), and the command that shows it as a table.
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { credentialActivityRecorder, type CredentialActivityRecorder } from '../../core/activity/activityEntry';
import { ActivityLog } from '../../core/activity/activityLog';
import { DisposableStore } from '../../core/common/events';
import type { Accounts } from '../accounts';
import { Commands } from '../platform/commandIds';
import type { Platform } from '../platform';
import { ActivityView } from './activityView';

export interface ActivityOptions {
  platform: Platform;
  accounts: Accounts;
}

export interface Activity extends vscode.Disposable, CredentialActivityRecorder {
  log: ActivityLog;
}

export function registerActivity({ platform, accounts }: ActivityOptions): Activity {
  const { context, log, command } = platform;
  const store = new DisposableStore();
  const activity = store.add(
    new ActivityLog({
      file: path.join(context.globalStorageUri.fsPath, 'activity.jsonl'),
      onError: (e) => log.warn(`[activity] could not save (${(e as Error).name})`),
    }),
  );
  const view = store.add(new ActivityView(activity));
  store.add(command(Commands.showActivity, () => view.show()));
  const { issued, served } = credentialActivityRecorder(activity, (id) => accounts.catalog.account(id)?.accountName);
  return { log: activity, issued, served, dispose: () => store.dispose() };
}
