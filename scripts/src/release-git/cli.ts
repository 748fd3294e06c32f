/**
 * pnpm release:git --url <git url consumers use> [--push <remote url or path>]
 * Tags each public package's packed contents (release.ts); without --push nothing leaves the
 * machine. Prints one line per package: tag, what happened, and the dependency to write.
 * Exit codes: 0 = done, 1 = failed, 2 = bad arguments.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { releaseToGit } from "./release.js";

const USAGE = "usage: pnpm release:git --url <git url consumers use> [--push <remote url or path>]";
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

async function main(argv: string[]): Promise<number> {
  let values: { url?: string; push?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { url: { type: "string" }, push: { type: "string" }, help: { type: "boolean" } },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!values.url?.startsWith("git+")) {
    console.error(`--url must be a git+… URL\n${USAGE}`);
    return 2;
  }
  try {
    const released = await releaseToGit({ root, url: values.url, push: values.push });
    for (const r of released) {
      const done = r.commit ? (values.push ? "pushed" : "built (no --push)") : "exists, kept";
      console.log(`${r.tag}  ${done}  "${r.name}": "${r.spec}"`);
    }
    return 0;
  } catch (error) {
    console.error(`release:git failed: ${(error as Error).message}`);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
