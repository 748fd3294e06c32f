/** Bounded concurrency: the reader waits for a free slot before it starts another update. */
export class Slots {
  private inFlight = 0;
  private wake: (() => void) | undefined;

  constructor(private readonly limit: number) {}

  /** Resolves when fewer than `limit` (default: the concurrency) are in flight. */
  async below(limit = this.limit): Promise<void> {
    while (this.inFlight >= limit) await new Promise<void>((r) => (this.wake = r));
  }

  take(): void {
    this.inFlight++;
  }

  release(): void {
    this.inFlight--;
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }
}
