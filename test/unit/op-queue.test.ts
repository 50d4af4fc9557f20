// The queue that runs a call's hold and resume, the lines' actions and the window's saves of
// the settings one after another.
import { describe, expect, it } from 'vitest';
import { OpQueue } from '../../src-renderer/src/lib/op-queue';

/** A promise the test settles. */
function deferred<T>(): { promise: Promise<T>; resolve(v: T): void; reject(e: Error): void } {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('OpQueue', () => {
  it('starts an operation only once the one before it has settled, in call order', async () => {
    const queue = new OpQueue();
    const log: string[] = [];
    const first = deferred<string>();
    const a = queue.run(async () => {
      log.push('a starts');
      return first.promise;
    });
    const b = queue.run(async () => {
      log.push('b starts');
      return 'b';
    });
    await Promise.resolve();
    await Promise.resolve();
    expect(log).toEqual(['a starts']);
    first.resolve('a');
    expect(await a).toBe('a');
    expect(await b).toBe('b');
    expect(log).toEqual(['a starts', 'b starts']);
  });

  it('goes on after an operation that failed, which rejects its own promise only', async () => {
    const queue = new OpQueue();
    const failing = deferred<void>();
    const a = queue.run(() => failing.promise);
    const b = queue.run(async () => 'after');
    failing.reject(new Error('refused'));
    await expect(a).rejects.toThrow('refused');
    expect(await b).toBe('after');
  });
});
