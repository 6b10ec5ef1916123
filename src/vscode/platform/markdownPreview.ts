// A read-only document of ours shown as rendered Markdown (falls back to the text when the built-in
// Markdown extension is disabled).
import * as vscode from 'vscode';

export async function showMarkdownPreview(uri: vscode.Uri): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(uri);
  try {
    await vscode.commands.executeCommand('markdown.showPreview', doc.uri);
  } catch {
    await vscode.window.showTextDocument(doc, { preview: true });
  }
}
