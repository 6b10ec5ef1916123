// Session activity as a read-only Markdown table (a virtual document shown in the preview), so the
// user can review which credentials went where. The record itself holds no secrets.
import * as vscode from 'vscode';
import { showMarkdownPreview } from '../platform/markdownPreview';
import { DisposableStore } from '../../core/common/events';
import type { ActivityLog } from '../../core/activity/activityLog';
import { renderActivityMarkdown } from '../../core/activity/activityTable';

export const ACTIVITY_URI = vscode.Uri.from({ scheme: 'awsidc-activity', path: '/Session activity.md' });

export class ActivityView implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly disposables = new DisposableStore(this.changed);

  constructor(private readonly activity: ActivityLog) {
    this.disposables.add(vscode.workspace.registerTextDocumentContentProvider(ACTIVITY_URI.scheme, this), {
      dispose: activity.onDidChange(() => this.changed.fire(ACTIVITY_URI)).dispose,
    });
  }

  async provideTextDocumentContent(): Promise<string> {
    return renderActivityMarkdown(await this.activity.entries(), { now: Date.now() });
  }

  /** Opens the table in the Markdown preview (falls back to the text when there is no preview). */
  async show(): Promise<void> {
    await showMarkdownPreview(ACTIVITY_URI);
  }

  dispose(): void {
    this.disposables.dispose();
  }
}
