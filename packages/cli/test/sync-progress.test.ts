/**
 * The live progress bar `custkit sync` draws when stderr is a terminal: run in-process with a
 * log stream that says it is a TTY (the built binary's stderr is a pipe in tests).
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { barLine, etaSeconds, formatEta } from "../src/sync/bar-line.js";
import { runSync } from "../src/sync/index.js";
import { ALIGN_ID, startServer, tempDir } from "./helpers.js";

const KEY = "planted-align-key-progress";
let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

/** A terminal-like stream that keeps what is drawn on it. */
function terminal(columns = 160) {
  let text = "";
  const stream = Object.assign(
    new Writable({
      write(chunk, _encoding, done) {
        text += String(chunk);
        done();
      },
    }),
    { isTTY: true, columns },
  );
  return { stream, text: () => text };
}

describe("sync progress bar", () => {
  it("draws the bar with counts on a terminal, prints problems above it, and shows no secret", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "patches.ndjson");
    const good = Array.from({ length: 40 }, (_, i) =>
      JSON.stringify({
        key: `c${i}`,
        ids: { align: ALIGN_ID },
        patch: { name: { given: `Jane${i}`, family: "Doe" } },
      }),
    );
    // The bad line comes last: its problem is logged after the bar's last timed frame.
    await writeFile(file, `${[...good, '{"key": "broken'].join("\n")}\n`);
    const log = terminal();
    const summary = await runSync({
      file,
      out: path.join(dir, "results.ndjson"),
      providers: ["align"],
      configs: { align: { apiKey: KEY, baseUrl: server.url } },
      concurrency: 4,
      progress: "bar",
      progressEveryMs: 0,
      log: log.stream,
    });
    expect(summary).toMatchObject({ lines: 41, badLines: 1, ok: 40, failed: 0 });
    const drawn = log.text();
    // The last frame: every line handled (the bad one too), with the run's counts.
    expect(drawn).toMatch(/sync █+ 100% 41\/41 ok 40 failed 0 resumed 0 bad 1 \d+\/s ETA 0s/);
    expect(drawn).toContain("line 41");
    expect(drawn).not.toContain(KEY);
  });
});

describe("the bar's count", () => {
  it("counts the updates there are: blank lines left out, lines split as they are read (\\r\\n, a lone \\r)", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "patches.ndjson");
    const line = (i: number) =>
      JSON.stringify({
        key: `c${i}`,
        ids: { align: ALIGN_ID },
        patch: { name: { given: `Jane${i}`, family: "Doe" } },
      });
    // Five updates; line ends of every kind, blank lines between and after them.
    await writeFile(
      file,
      `${line(1)}\n${line(2)}\r\n${line(3)}\r${line(4)}\n\n   \n\t\n${line(5)}\n\n`,
    );
    const log = terminal();
    const summary = await runSync({
      file,
      out: path.join(dir, "results.ndjson"),
      providers: ["align"],
      configs: { align: { apiKey: KEY, baseUrl: server.url } },
      concurrency: 2,
      progress: "bar",
      progressEveryMs: 0,
      log: log.stream,
    });
    expect(summary).toMatchObject({ lines: 5, attempted: 5, ok: 5, badLines: 0 });
    expect(log.text()).toMatch(/ 100% 5\/5 ok 5 /);
    expect(log.text()).not.toMatch(/ \d+\/[^5]\d* ok /);
  });
});

describe("the bar at 80 columns", () => {
  // What a terminal shows: each line without its escape sequences (cursor moves, clears).
  // A move to a column (CSI n G, what cli-progress writes before each frame) starts the line over,
  // like a carriage return; every other sequence is dropped.
  const shownLines = (drawn: string) =>
    drawn
      // biome-ignore lint/suspicious/noControlCharactersInRegex: escape sequences are the point
      .replace(/\u001b\[\d*G/g, "\r")
      // biome-ignore lint/suspicious/noControlCharactersInRegex: escape sequences are the point
      .replace(/\u001b\[[0-9;?]*[A-Za-z]/g, "")
      .split(/\r|\n/)
      .filter((l) => l !== "");

  it("its line and the problems above it fit; no word is cut", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "patches.ndjson");
    const long = "x".repeat(30);
    const lines = Array.from({ length: 20 }, (_, i) =>
      JSON.stringify({
        key: `c${i}`,
        // Every fifth id is refused, with a problem line longer than the terminal.
        ids: { align: i % 5 === 0 ? `not a uuid ${long}` : ALIGN_ID },
        patch: { occupation: "Pilot" },
      }),
    );
    await writeFile(file, `${lines.join("\n")}\n`);
    const log = terminal(80);
    await runSync({
      file,
      out: path.join(dir, "results.ndjson"),
      providers: ["align"],
      configs: { align: { apiKey: KEY, baseUrl: server.url } },
      concurrency: 4,
      progress: "bar",
      progressEveryMs: 0,
      log: log.stream,
    });
    const shown = shownLines(log.text());
    expect(shown.some((l) => l.startsWith("sync "))).toBe(true);
    expect(shown.some((l) => l.includes(long))).toBe(true);
    for (const line of shown) expect(line.length, line).toBeLessThanOrEqual(80);
    // Wrapped at spaces: the long word is whole on one line.
    expect(shown.filter((l) => l.includes("x".repeat(31))).length).toBe(0);
  });

  it("fits with seven-digit counts by dropping the bar, then zero counts", () => {
    const counts = {
      value: 1_234_567,
      total: 2_000_000,
      ok: 1_234_000,
      failed: 567,
      resumed: 0,
      bad: 0,
      rate: 1306,
    };
    const line = barLine(counts, 80);
    expect(line.length).toBeLessThan(80);
    expect(line).toContain("ok 1234000 failed 567");
    expect(line).not.toContain("resumed 0");
  });

  it("the ETA counts only pairs sent this run, not the ones skipped on resume", () => {
    // 900 of 1,000 pairs were done by an earlier run; this run sends 10 a second.
    const counts = { value: 950, total: 1000, ok: 50, failed: 0, resumed: 900, bad: 0, rate: 10 };
    expect(etaSeconds(counts)).toBe(5);
    expect(barLine(counts, 120)).toContain("ETA 5s");
    expect(formatEta(150)).toBe("2m30s");
    expect(formatEta(undefined)).toBe("?");
  });
});
