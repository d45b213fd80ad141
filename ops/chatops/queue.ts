// One action at a time per stack: a second `up` of a stack waits for the first.
export class StackQueue {
  private tails = new Map<string, Promise<unknown>>();

  /** Runs `task` after every task queued before it for `key`. */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const before = this.tails.get(key) ?? Promise.resolve();
    const result = before.then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
