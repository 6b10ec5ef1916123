// A minimal typed event emitter with VS Code's shape (`event(listener) → { dispose }`),
// so core stays free of the 'vscode' module and adapters can subscribe the same way.
export interface Disposable {
  dispose(): void;
}
export type Event<T> = (listener: (value: T) => void) => Disposable;

/**
 * Where a listener or disposable that throws is reported: one throwing member must never stop the
 * others (VS Code's own Emitter and DisposableStore behave so). The composition root points this at
 * the log; until then it goes to the console.
 */
let unexpectedError: (error: unknown, where: string) => void = (error, where) => console.error(`[events] ${where}:`, error);
export function setUnexpectedErrorHandler(handler: (error: unknown, where: string) => void): void {
  unexpectedError = handler;
}

export class Emitter<T> implements Disposable {
  private listeners = new Set<(value: T) => void>();

  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch (e) {
        unexpectedError(e, 'an event listener threw');
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
  }
}

/**
 * Owns disposables and frees them together, in the order they were added. Every adapter keeps its
 * listeners and items here instead of a hand-rolled array. Added after dispose(): freed at once.
 * `add` returns what it was given, so an item is built and registered in one expression.
 */
export class DisposableStore implements Disposable {
  private items: Disposable[] = [];
  private disposed = false;

  constructor(...items: Disposable[]) {
    this.items.push(...items);
  }

  add<T extends Disposable>(item: T, ...more: Disposable[]): T {
    if (this.disposed) {
      disposeAll([item, ...more]);
      return item;
    }
    this.items.push(item, ...more);
    return item;
  }

  dispose(): void {
    this.disposed = true;
    const items = this.items;
    this.items = [];
    disposeAll(items);
  }
}

/** Disposes each item in order; one that throws is reported and the rest are still freed. */
function disposeAll(items: readonly Disposable[]): void {
  for (const item of items) {
    try {
      item.dispose();
    } catch (e) {
      unexpectedError(e, 'a disposable threw');
    }
  }
}
