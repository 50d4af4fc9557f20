// A promise bounded in time, for the main process's waits on a peer that may never answer (the
// session bus, the OS keychain). The timer does not keep the process alive.

/** `promise`, or the error `timedOut` makes once `ms` have passed without it settling. */
export function withTimeout<T>(promise: Promise<T>, ms: number, timedOut: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(timedOut()), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
