// The CloudTrail review as a read-only Markdown preview, like the session activity view. Reopening
// shows the cached answers at once; Refresh asks CloudTrail again. Progress is cancellable.
import * as vscode from 'vscode';
import { showMarkdownPreview } from '../platform/markdownPreview';
import { ContextKeys, setContextKey } from '../platform/contextKeys';
import { renderCloudTrailMarkdown } from '../../core/activity/cloudTrailMarkdown';
import type { KeyReview } from '../../core/activity/cloudTrailReview';
import { DisposableStore } from '../../core/common/events';
import type { Selection } from './cloudTrailRoles';

export const CLOUDTRAIL_URI = vscode.Uri.from({ scheme: 'awsidc-cloudtrail', path: '/CloudTrail review.md' });

export class CloudTrailView implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly disposables = new DisposableStore(this.changed);
  private page: { scope: string; reviews: KeyReview[]; loading: boolean } | undefined;
  /** What the last review covered, for Refresh. */
  selection: Selection | undefined;

  constructor(
    private readonly review: (
      selection: Selection,
      refresh: boolean,
      signal: AbortSignal,
      progress: (done: number, total: number) => void,
    ) => Promise<KeyReview[]>,
  ) {
    this.disposables.add(vscode.workspace.registerTextDocumentContentProvider(CLOUDTRAIL_URI.scheme, this));
  }

  /** The Markdown shown now (tests read it). */
  get text(): string {
    return this.page ? renderCloudTrailMarkdown({ ...this.page, now: Date.now() }) : '';
  }

  provideTextDocumentContent(): string {
    return this.text;
  }

  async show(selection: Selection, refresh: boolean): Promise<KeyReview[]> {
    this.selection = selection;
    this.page = { scope: selection.scope, reviews: [], loading: true };
    this.changed.fire(CLOUDTRAIL_URI);
    // Shows Refresh on the preview's title (package.json editor/title).
    void setContextKey(ContextKeys.cloudTrailShown, true);
    await this.open();
    try {
      const reviews = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Asking CloudTrail what these credentials did…'), cancellable: true },
        (progress, token) => {
          const abort = new AbortController();
          token.onCancellationRequested(() => abort.abort());
          let last = 0;
          return this.review(selection, refresh, abort.signal, (done, total) => {
            progress.report({
              increment: ((done - last) / total) * 100,
              message: vscode.l10n.t({ message: '{0} of {1} keys', args: [done, total], comment: ['{0}, {1}: numbers'] }),
            });
            last = done;
          });
        },
      );
      this.page = { scope: selection.scope, reviews, loading: false };
      return reviews;
    } catch (e) {
      this.page = undefined;
      throw e;
    } finally {
      this.changed.fire(CLOUDTRAIL_URI);
    }
  }

  private async open(): Promise<void> {
    await showMarkdownPreview(CLOUDTRAIL_URI);
  }

  dispose(): void {
    this.disposables.dispose();
  }
}
