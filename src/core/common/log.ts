// The logger core writes to. The VS Code adapter backs it with a LogOutputChannel.
// Callers pass identifiers (account ids, role names, error names), never token values.
export interface Logger {
  trace(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = { trace() {}, info() {}, warn() {}, error() {} };
