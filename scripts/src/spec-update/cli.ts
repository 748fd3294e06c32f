/**
 * pnpm spec:update <provider> (--file <path> | --url <url>) [--no-generate] [--timeout-ms N] [--max-bytes N] [--root <dir>]
 * Exit codes: 0 = updated (diff printed), 1 = download/validation/generate failed (nothing overwritten), 2 = bad arguments.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { repoRoot } from "../spec-diff/git.js";
import { DownloadError } from "./fetch.js";
import { UpdateError, updateSpec } from "./update.js";

const USAGE =
  "usage: pnpm spec:update <provider> (--file <path> | --url <url>) [--no-generate] [--timeout-ms N] [--max-bytes N] [--root <dir>]";

export async function main(
  argv: string[],
  io = { out: console.log, err: console.error },
): Promise<number> {
  let values: {
    file?: string;
    url?: string;
    root?: string;
    "no-generate"?: boolean;
    "timeout-ms"?: string;
    "max-bytes"?: string;
    help?: boolean;
  };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        file: { type: "string" },
        url: { type: "string" },
        root: { type: "string" },
        "no-generate": { type: "boolean" },
        "timeout-ms": { type: "string" },
        "max-bytes": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    io.err(`spec:update: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const provider = positionals[0];
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  const timeoutMs = num(values["timeout-ms"]);
  const maxBytes = num(values["max-bytes"]);
  if (
    positionals.length !== 1 ||
    !provider ||
    !/^[a-z0-9][a-z0-9_-]*$/i.test(provider) ||
    (values.file === undefined) === (values.url === undefined) ||
    (timeoutMs !== undefined && !(timeoutMs > 0)) ||
    (maxBytes !== undefined && !(maxBytes > 0))
  ) {
    io.err(`spec:update: expected one provider and exactly one of --file / --url\n${USAGE}`);
    return 2;
  }
  const cwd = process.env.INIT_CWD ?? process.cwd();
  let root: string;
  try {
    root = values.root ? resolve(values.root) : repoRoot(process.cwd());
  } catch (error) {
    io.err(`spec:update: not inside a git repository: ${(error as Error).message}`);
    return 2;
  }
  try {
    const result = await updateSpec({
      root,
      provider,
      ...(values.file !== undefined ? { file: resolve(cwd, values.file) } : {}),
      ...(values.url !== undefined ? { url: values.url } : {}),
      generate: !values["no-generate"],
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      ...(maxBytes !== undefined ? { maxBytes } : {}),
      log: (line) => io.out(line),
    });
    if (result.diff) io.out(result.diff);
    return 0;
  } catch (error) {
    if (error instanceof UpdateError || error instanceof DownloadError) {
      io.err(`spec:update: ${error.message}`);
      return error instanceof UpdateError && /exactly one|unknown provider/.test(error.message)
        ? 2
        : 1;
    }
    io.err(`spec:update: ${(error as Error).stack ?? error}`);
    return 1;
  }
}

if (process.argv[1]?.endsWith("spec-update/cli.ts")) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
