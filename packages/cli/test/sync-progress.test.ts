/**
 * The live progress bar `custkit sync` draws when stderr is a terminal: run in-process with a
 * log stream that says it is a TTY (the built binary's stderr is a pipe in tests).
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runSync } from "../src/sync/index.js";
import { ALIGN_ID, startServer, tempDir } from "./helpers.js";

const KEY = "planted-align-key-progress";
let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

/** A terminal-like stream that keeps what is drawn on it. */
function terminal() {
  let text = "";
  const stream = Object.assign(
    new Writable({
      write(chunk, _encoding, done) {
        text += String(chunk);
        done();
      },
    }),
    { isTTY: true, columns: 160 },
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
