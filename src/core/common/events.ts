// A minimal typed event emitter with VS Code's shape (`event(listener) → { dispose }`),
// so core stays free of the 'vscode' module and adapters can subscribe the same way.
export interface Disposable {
  dispose(): void;
}
export type Event<T> = (listener: (value: T) => void) => Disposable;

export class Emitter<T> implements Disposable {
  private listeners = new Set<(value: T) => void>();

  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  fire(value: T): void {
    for (const listener of [...this.listeners]) listener(value);
  }

  dispose(): void {
    this.listeners.clear();
  }
}

/**
 * Owns disposables and frees them together, in the order they were added. Every adapter keeps its
 * listeners and items here instead of a hand-rolled array. Added after dispose(): freed at once.
 */
export class DisposableStore implements Disposable {
  private items: Disposable[] = [];
  private disposed = false;

  constructor(...items: Disposable[]) {
    this.items.push(...items);
  }

  add(...items: Disposable[]): void {
    if (this.disposed) {
      for (const item of items) item.dispose();
      return;
    }
    this.items.push(...items);
  }

  dispose(): void {
    this.disposed = true;
    const items = this.items;
    this.items = [];
    for (const item of items) item.dispose();
  }
}
