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
   * `work`, or a rejection with the stop reason as soon as the scope stops; the scope settles
   * its race itself (no abort listener per race). One race at a time: an attempt awaits one step
   * (the answer, then its body) after the other. A safety net: a custom fetch may ignore the
   * signal, and undici can lose an abort that passed through a copied Request
   * (nodejs/undici#4068); a timeout must end the call regardless. A result that arrives after
   * the stop goes to `onLate` (to release a response body nobody will read).
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
  return new LinkedScope(parents, onParentAbort, timeoutMs, onTimeout);
}

/** A class, not a closure set: a scope per attempt is on every call's path. */
class LinkedScope implements Scope {
  stopped: StopReason | undefined;
  private readonly controller = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Removes the listeners on parents; undefined when there are none (the common attempt). */
  private detach: (() => void)[] | undefined;
  /** Rejects the pending race. */
  private lose: ((reason: unknown) => void) | undefined;

  constructor(
    parents: (AbortSignal | null | undefined)[],
    onParentAbort: StopReason,
    timeoutMs: number | undefined,
    onTimeout: StopReason,
  ) {
    for (const parent of parents) {
      if (!parent) continue;
      if (parent.aborted) {
        this.stop(onParentAbort, parent.reason);
        return;
      }
      const onAbort = () => this.stop(onParentAbort, parent.reason);
      parent.addEventListener("abort", onAbort, { once: true });
      this.detach ??= [];
      this.detach.push(() => parent.removeEventListener("abort", onAbort));
    }
    if (timeoutMs !== undefined && Number.isFinite(timeoutMs)) {
      this.timer = setTimeout(
        () =>
          this.stop(onTimeout, new DOMException(`timed out after ${timeoutMs} ms`, "TimeoutError")),
        timeoutMs,
      );
    }
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const { detach } = this;
    this.detach = undefined;
    if (detach) for (const off of detach) off();
  }

  private stop(why: StopReason, reason: unknown): void {
    if (this.stopped) return;
    this.stopped = why;
    this.dispose();
    this.controller.abort(reason);
    const { lose } = this;
    this.lose = undefined;
    lose?.(reason);
  }

  race<T>(work: Promise<T>, onLate?: (value: T) => unknown): Promise<T> {
    if (this.stopped) {
      work.then(onLate, ignore);
      return Promise.reject(this.controller.signal.reason);
    }
    return new Promise<T>((resolve, reject) => {
      const lose = (reason: unknown) => {
        reject(reason);
        work.then(onLate, ignore);
      };
      this.lose = lose;
      work.then(
        (value) => {
          this.lose = undefined;
          resolve(value);
        },
        (error: unknown) => {
          this.lose = undefined;
          reject(error);
        },
      );
    });
  }
}
