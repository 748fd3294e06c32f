/**
 * Cancellation scopes. A call has one scope (the caller's signal + the whole-call deadline),
 * each attempt a child scope (+ its own timeout). We link signals by hand instead of
 * AbortSignal.timeout/any so that every timer and listener is removed the moment a scope is
 * disposed: a settled call leaves nothing behind that keeps the process alive.
 */

/** Why a scope was cut short. Kept next to the signal so errors can say which limit hit. */
export type StopReason = "aborted" | "total_timeout" | "attempt_timeout";

export interface Scope {
  readonly signal: AbortSignal;
  /** Set once the scope is stopped; undefined while it runs or after a clean dispose. */
  readonly stopped: StopReason | undefined;
  /** Clears the timer and detaches from parents. Idempotent. */
  dispose(): void;
  /**
   * `work`, or a rejection with the stop reason as soon as the scope stops (see `raceAbort`),
   * without an abort listener: the scope settles its races itself when it stops.
   */
  race<T>(work: Promise<T>, onLate?: (value: T) => unknown): Promise<T>;
}

const ignore = () => {};

/**
 * A scope stopped when any parent aborts (reason `onParentAbort`) or when `timeoutMs`
 * passes (reason `onTimeout`).
 */
export function openScope(
  parents: (AbortSignal | null | undefined)[],
  onParentAbort: StopReason,
  timeoutMs: number | undefined,
  onTimeout: StopReason,
): Scope {
  const controller = new AbortController();
  let stopped: StopReason | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const detach: (() => void)[] = [];
  const racers = new Set<(reason: unknown) => void>();

  const dispose = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    for (const off of detach.splice(0)) off();
  };
  const stop = (why: StopReason, reason: unknown) => {
    if (stopped) return;
    stopped = why;
    dispose();
    controller.abort(reason);
    for (const lose of racers) lose(reason);
    racers.clear();
  };

  for (const parent of parents) {
    if (!parent) continue;
    if (parent.aborted) {
      stop(onParentAbort, parent.reason);
      break;
    }
    const onAbort = () => stop(onParentAbort, parent.reason);
    parent.addEventListener("abort", onAbort, { once: true });
    detach.push(() => parent.removeEventListener("abort", onAbort));
  }
  if (!stopped && timeoutMs !== undefined && Number.isFinite(timeoutMs)) {
    timer = setTimeout(
      () => stop(onTimeout, new DOMException(`timed out after ${timeoutMs} ms`, "TimeoutError")),
      timeoutMs,
    );
  }

  return {
    signal: controller.signal,
    get stopped() {
      return stopped;
    },
    dispose,
    race<T>(work: Promise<T>, onLate?: (value: T) => unknown): Promise<T> {
      if (stopped) {
        work.then(onLate, ignore);
        return Promise.reject(controller.signal.reason);
      }
      return new Promise<T>((resolve, reject) => {
        const lose = (reason: unknown) => {
          reject(reason);
          work.then(onLate, ignore);
        };
        racers.add(lose);
        work.then(
          (value) => {
            racers.delete(lose);
            resolve(value);
          },
          (error: unknown) => {
            racers.delete(lose);
            reject(error);
          },
        );
      });
    },
  };
}

/**
 * `work`, or a rejection with the signal's reason as soon as it aborts. A safety net: a custom
 * fetch may ignore the signal, and undici can lose an abort that passed through a copied
 * Request (nodejs/undici#4068); a timeout must end the call regardless. A result that arrives
 * after the abort goes to `onLate` (to release a response body nobody will read).
 */
export function raceAbort<T>(
  work: Promise<T>,
  signal: AbortSignal,
  onLate?: (value: T) => unknown,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      reject(signal.reason);
      work.then(onLate, () => {});
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
