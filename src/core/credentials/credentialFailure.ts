// A role's credentials could not be had for something the user started (a debug session): the
// failure in words that say what to do, through the one mapper (common/errors.ts). The server's own
// message never reaches the user: it may echo a token or carry instructions of a hostile server.
import * as l10n from '@vscode/l10n';
import { IdcError, toIdcError } from '../common/errors';

export function launchCredentialFailure(e: unknown): IdcError {
  return toIdcError(
    e,
    l10n.t({ message: 'Getting AWS credentials for the debug session', comment: ['The step that failed, at the start of an error message'] }),
  );
}
