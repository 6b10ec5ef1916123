// Registers a command's handler behind one failure path: a failure becomes a message that names the
// command as the user knows it ("Switch Role failed …"); the log keeps the id.
import * as vscode from 'vscode';
import { toIdcError } from '../../core/common/errors';
import type { Logger } from '../../core/common/log';
import { EXTENSION_ID } from './commandIds';

/** Registers `handler` as command `id`; what it throws is reported, never rethrown to the caller. */
export type RegisterCommand = (id: string, handler: (...args: never[]) => unknown) => vscode.Disposable;

export function commandRunner(log: Logger): RegisterCommand {
  const reportFailure = (e: unknown, id: string): void => {
    const err = toIdcError(e, commandTitle(id));
    log.warn(`[command] ${id.replace('awsIdc.', '')} failed (${err.causeName ?? err.kind})`);
    if (err.kind !== 'cancelled') void vscode.window.showErrorMessage(err.message);
  };
  return (id, handler) =>
    vscode.commands.registerCommand(id, async (...args: never[]) => {
      try {
        return await handler(...args);
      } catch (e) {
        reportFailure(e, id);
        return undefined;
      }
    });
}

/**
 * A command's title as the Command Palette shows it, in the user's language: VS Code replaces the
 * manifest's %key% placeholders from package.nls(.<lang>).json before the extension sees packageJSON.
 * Falls back to the id only if the command is not contributed.
 */
export function commandTitle(id: string): string {
  const commands = (
    vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as { contributes?: { commands?: { command: string; title?: unknown }[] } } | undefined
  )?.contributes?.commands;
  const title = commands?.find((c) => c.command === id)?.title;
  return typeof title === 'string' && title !== '' && !/^%.+%$/.test(title) ? title : id;
}
