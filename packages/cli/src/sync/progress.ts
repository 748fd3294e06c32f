/**
 * What a person watches: a live bar on a terminal or plain periodic lines, per-line problems
 * (the first 50; all of them are in the results), `--verbose` attempt lines, and peak memory.
 */
import cliProgress from "cli-progress";
import { type BarCounts, barLine, wrapText } from "./bar-line.js";
import { countLines } from "./input.js";
import type { SyncSummary } from "./summary.js";

const MAX_SHOWN = 50;

export interface ProgressOptions {
  mode: "bar" | "lines" | "none";
  everyMs: number;
  log: NodeJS.WritableStream;
  file: string;
  providers: number;
  /** Where the problems not shown are recorded; `--check` without `--failed-out` keeps none. */
  out?: string;
}

export class Progress {
  /** Pairs finished, skipped or without an id: how far through the input the bar is. */
  pairsDone = 0;
  private shownProblems = 0;
  private readonly started = Date.now();
  private multibar: cliProgress.MultiBar | undefined;
  private bar: cliProgress.SingleBar | undefined;
  private ticker: NodeJS.Timeout | undefined;
  private readonly rssTimer: NodeJS.Timeout;

  private constructor(
    private readonly s: SyncSummary,
    private readonly options: ProgressOptions,
  ) {
    this.rssTimer = setInterval(() => this.sampleRss(), 250);
    this.rssTimer.unref();
  }

  static async start(s: SyncSummary, options: ProgressOptions): Promise<Progress> {
    const p = new Progress(s, options);
    if (options.mode === "bar") await p.startBar();
    else if (options.mode === "lines" && options.everyMs > 0)
      p.ticker = setInterval(() => options.log.write(`${p.line()}\n`), options.everyMs);
    return p;
  }

  private async startBar(): Promise<void> {
    const total = (await countLines(this.options.file)) * this.options.providers;
    this.multibar = new cliProgress.MultiBar({
      stream: this.options.log as NodeJS.WriteStream,
      format: (_options, params, payload) =>
        barLine(
          { ...(payload as BarCounts), value: params.value, total: params.total },
          params.maxWidth,
        ),
      hideCursor: true,
      clearOnComplete: false,
      fps: 10,
    });
    this.bar = this.multibar.create(total, 0, this.payload());
    this.ticker = setInterval(() => this.bar?.update(this.pairsDone, this.payload()), 100);
  }

  private columns(): number {
    return (this.options.log as NodeJS.WriteStream).columns || 80;
  }

  private rate(): number {
    const secs = (Date.now() - this.started) / 1000;
    return secs > 0 ? Math.round(this.s.attempted / secs) : 0;
  }

  private payload() {
    const { s } = this;
    return { ok: s.ok, failed: s.failed, resumed: s.resumed, bad: s.badLines, rate: this.rate() };
  }

  private line(): string {
    const { s } = this;
    return `progress: ${s.lines} lines, ${this.pairsDone} pairs done (ok ${s.ok}, failed ${s.failed}, resumed ${s.resumed}, bad lines ${s.badLines}), ${this.rate()}/s`;
  }

  private sampleRss(): void {
    const mib = Math.round(process.memoryUsage.rss() / 1048576);
    if (mib > this.s.peakRssMiB) this.s.peakRssMiB = mib;
  }

  /** A line above the bar (or on the log), whatever the cap; on a terminal, wrapped to fit. */
  log(text: string): void {
    if (this.multibar) this.multibar.log(`${wrapText(text, this.columns())}\n`);
    else this.options.log.write(`${text}\n`);
  }

  /** A failed line or pair: the first 50 are shown, the rest only in the results. */
  problem(text: string): void {
    if (this.shownProblems >= MAX_SHOWN) return;
    this.shownProblems++;
    this.log(
      this.shownProblems === MAX_SHOWN
        ? `${text}\n(further problems ${this.options.out ? `only in ${this.options.out}` : "not shown: --failed-out FILE collects the lines that failed"})`
        : text,
    );
  }

  stop(): void {
    if (this.ticker) clearInterval(this.ticker);
    clearInterval(this.rssTimer);
    this.sampleRss();
    if (this.bar && this.multibar) {
      this.bar.update(this.pairsDone, this.payload());
      // stop() draws the bars but not the problems logged since the last frame: draw them first.
      this.multibar.update();
      this.multibar.stop();
    }
  }
}
