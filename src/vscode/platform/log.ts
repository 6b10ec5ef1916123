import * as vscode from 'vscode';
import type { Logger } from '../../core/common/log';

/** The one LogOutputChannel, seen by core as a plain Logger. */
export function createLog(): { channel: vscode.LogOutputChannel; logger: Logger } {
  const channel = vscode.window.createOutputChannel('AWS Identity Center', { log: true });
  const logger: Logger = {
    trace: (m) => channel.trace(m),
    info: (m) => channel.info(m),
    warn: (m) => channel.warn(m),
    error: (m) => channel.error(m),
  };
  return { channel, logger };
}
