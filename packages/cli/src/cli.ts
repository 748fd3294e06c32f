/**
 * `custkit`: the command line over @custkit/customers.
 *   custkit providers [provider]     what each provider can take
 *   custkit update --provider P --id ID (--set path=value … | --patch file.json | stdin) [--dry-run]
 *   custkit sync --file patches.ndjson --providers a,b --concurrency N [--queue redis://…]
 *   custkit worker --redis redis://… --providers a,b --concurrency N
 */
import {
  capabilities,
  PROVIDER_NAMES,
  type ProviderName,
  type UnsupportedPolicy,
} from "@custkit/customers";
import { redactText } from "@custkit/runtime";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { environmentHelp, isProvider, parseProviders, resolveConfigs } from "./config.js";
import { EXIT, errorJson, exitCodeFor, UsageError } from "./errors.js";
import { formatDryRun, formatError, formatProvider, formatResult } from "./format.js";
import { buildPatch } from "./patch.js";
import { checkRedisUrl } from "./queue/redis.js";
import { createQueueSender, type QueueSender } from "./queue/sender.js";
import { runWorker } from "./queue/worker.js";
import { formatSummary, runSync, syncExitCode } from "./sync.js";
import { dryRun, runUpdate } from "./update.js";

const VERSION = "0.0.0";

const EXIT_HELP = `Exit codes:
  0  success
  1  vendor or network failure (HTTP error, timeout, unreachable)
  2  usage: bad arguments, missing configuration, unreadable input
  3  refused before sending: validation error or a field the provider cannot take`;

const CONFIG_HELP = `Configuration (per provider; flags > --credentials-file > environment):
  --credentials-file FILE   JSON { "<provider>": { "<option>": "value", … } }, e.g.
                            { "align": { "apiKey": "…" }, "enfuce": { "username": "…", "password": "…", "auditUser": "ops" } }
  --config P.OPTION=VALUE   non-secret options only, e.g. --config align.baseUrl=http://127.0.0.1:4010
${environmentHelp()}`;

const out = (text: string) => process.stdout.write(`${text}\n`);
const err = (text: string) => process.stderr.write(`${text}\n`);

function positiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1)
      throw new InvalidArgumentError(`${name} must be a positive integer`);
    return n;
  };
}
const collect = (value: string, previous: string[] = []) => [...previous, value];

/** `--rate align=50` (repeatable): updates per second per provider. */
function parseRates(
  values: string[],
  providers: ProviderName[],
): Partial<Record<ProviderName, { perSecond: number }>> {
  const rates: Partial<Record<ProviderName, { perSecond: number }>> = {};
  for (const value of values) {
    const [provider = "", n = ""] = value.split("=");
    if (!isProvider(provider) || !providers.includes(provider))
      throw new UsageError(
        `--rate ${value}: name one of the providers being synced (${providers.join(", ")})`,
      );
    const perSecond = Number(n);
    if (!(perSecond > 0) || !Number.isFinite(perSecond))
      throw new UsageError(
        `--rate ${value}: the rate must be a positive number of updates per second`,
      );
    rates[provider] = { perSecond };
  }
  return rates;
}

const unsupportedOption = () =>
  new Option(
    "--unsupported <policy>",
    "a field the provider cannot take: reject (exit 3) or warn (skip it, listed in the result)",
  )
    .choices(["reject", "warn"])
    .default("reject");
const configOptions = (cmd: Command) =>
  cmd
    .option("--credentials-file <file>", "JSON file of provider options, secrets included")
    .option(
      "--config <provider.option=value>",
      "a non-secret provider option (repeatable)",
      collect,
      [],
    );

/** Report an error in the chosen output mode and exit with its code. */
function fail(error: unknown, json: boolean): never {
  const code = exitCodeFor(error);
  if (json) out(JSON.stringify({ ok: false, error: errorJson(error) }));
  else err(error instanceof UsageError ? `error: ${error.message}` : formatError(error));
  process.exit(code);
}

export function buildProgram(): Command {
  const program = new Command("custkit")
    .description(
      "Update a customer at every vendor through one normalised model (@custkit/customers).",
    )
    .version(VERSION)
    .showHelpAfterError("(add --help for usage)")
    .addHelpText("after", `\n${EXIT_HELP}`)
    .exitOverride();

  program
    .command("providers")
    .description(
      "print each provider's capabilities: the fields it takes, where they go, what can be cleared",
    )
    .argument("[provider]", `one of ${PROVIDER_NAMES.join(", ")} (default: all)`)
    .option("--json", "machine-readable output")
    .addHelpText("after", `\n${EXIT_HELP}`)
    .action((provider: string | undefined, opts: { json?: boolean }) => {
      try {
        if (provider !== undefined && !isProvider(provider)) {
          throw new UsageError(
            `unknown provider "${provider}"; known: ${PROVIDER_NAMES.join(", ")}`,
          );
        }
        const list: ProviderName[] = provider ? [provider as ProviderName] : [...PROVIDER_NAMES];
        if (opts.json)
          out(
            JSON.stringify(
              list.map((p) => capabilities(p)),
              null,
              2,
            ),
          );
        else out(list.map(formatProvider).join("\n\n"));
      } catch (e) {
        fail(e, Boolean(opts.json));
      }
    });

  const update = program
    .command("update")
    .description("update one customer at one provider")
    .requiredOption("-p, --provider <provider>", `provider: ${PROVIDER_NAMES.join(", ")}`)
    .requiredOption("-i, --id <id>", "the customer's id at that provider")
    .option(
      "-s, --set <path=value>",
      "set a field by dotted path (repeatable): name.given=Jane, address.lines='[\"1 Main St\"]', email=null clears",
      collect,
      [],
    )
    .option(
      "--patch <file>",
      "a CustomerPatch JSON file (- for stdin; stdin is also read when piped and no --set is given)",
    )
    .option(
      "--dry-run",
      "print the exact vendor request(s), credentials redacted, and send nothing",
    )
    .option("--base-url <url>", "the provider's base URL (e.g. a mock server)")
    .option("--environment <name>", "the provider's named environment")
    .option("--timeout <ms>", "per-request timeout in milliseconds", positiveInt("--timeout"))
    .addOption(unsupportedOption())
    .option("--json", "machine-readable output on stdout (errors too)");
  configOptions(update)
    .addHelpText(
      "after",
      `\nExamples:
  $ CUSTKIT_ALIGN_API_KEY=… custkit update -p align -i 3fa85f64-5717-4562-b3fc-2c963f66afa6 \\
      --set kind=individual --set name.given=Jane --set address.city=Austin
  $ custkit update -p nuweb -i 123 --patch patch.json --dry-run
  $ echo '{"email":"jane@example.com"}' | custkit update -p loanpro -i 42 --json

${CONFIG_HELP}

${EXIT_HELP}`,
    )
    .action(async (opts) => {
      const json = Boolean(opts.json);
      try {
        const provider = opts.provider as string;
        if (!isProvider(provider))
          throw new UsageError(
            `unknown provider "${provider}"; known: ${PROVIDER_NAMES.join(", ")}`,
          );
        const overrides: Record<string, string> = {};
        if (opts.baseUrl) overrides.baseUrl = opts.baseUrl;
        if (opts.environment) overrides.environment = opts.environment;
        const resolved = resolveConfigs([provider], {
          env: process.env,
          credentialsFile: opts.credentialsFile,
          flags: opts.config,
          overrides: { [provider]: overrides },
        })[provider];
        const patch = await buildPatch({ patch: opts.patch, set: opts.set });
        const missing = opts.dryRun
          ? resolved.missing.filter((m) => !m.includes("missing credentials"))
          : resolved.missing;
        if (missing.length > 0) throw new UsageError(missing.join("\n"));
        const input = {
          provider,
          id: String(opts.id),
          patch,
          config: resolved.config,
          unsupported: opts.unsupported as UnsupportedPolicy,
          ...(opts.timeout ? { timeoutMs: opts.timeout as number } : {}),
        };
        if (opts.dryRun) {
          const result = await dryRun(input);
          out(json ? JSON.stringify(result, null, 2) : formatDryRun(result));
        } else {
          const result = await runUpdate(input);
          out(json ? JSON.stringify({ ok: true, result }, null, 2) : formatResult(result));
        }
      } catch (e) {
        fail(e, json);
      }
    });

  const sync = program
    .command("sync")
    .description(
      "fan many updates out from an NDJSON file; results appended as NDJSON; a rerun skips what succeeded",
    )
    .requiredOption(
      "-f, --file <patches.ndjson>",
      'input, one JSON object a line: { "key"?, "ids": { "<provider>": "<id>" }, "patch": { … } }',
    )
    .requiredOption(
      "--providers <a,b,c>",
      `providers to update (each line's ids for others are ignored): ${PROVIDER_NAMES.join(",")}`,
    )
    .option(
      "-o, --out <results.ndjson>",
      "results file, appended to (default: <file>.results.ndjson)",
    )
    .option("-c, --concurrency <n>", "updates in flight at once", positiveInt("--concurrency"), 16)
    .option("--timeout <ms>", "per-request timeout in milliseconds", positiveInt("--timeout"))
    .addOption(unsupportedOption())
    .addOption(
      new Option(
        "--progress <mode>",
        "bar (live, on a terminal), lines (plain periodic lines) or none; default: bar on a TTY, else lines",
      ).choices(["bar", "lines", "none"]),
    )
    .option(
      "--progress-every <seconds>",
      "interval of plain progress lines",
      (v) => {
        const n = Number(v);
        if (!(n > 0)) throw new InvalidArgumentError("--progress-every must be a positive number");
        return n;
      },
      5,
    )
    .option(
      "--rate <provider=perSecond>",
      "at most this many updates per second to a provider (repeatable), e.g. --rate align=50",
      collect,
      [],
    )
    .option(
      "--queue <redis-url>",
      "enqueue the updates in Redis for `custkit worker` processes (on any machine) instead of sending them from here",
    )
    .option("--json", "print the summary as JSON on stdout");
  configOptions(sync)
    .addHelpText(
      "after",
      `\nInput (NDJSON): one customer a line; "key" identifies it in results and resumes (default: the line number).
  {"key":"cust-1","ids":{"align":"3fa85f64-5717-4562-b3fc-2c963f66afa6","nuweb":"123"},"patch":{"email":"jane@example.com"}}

Results (NDJSON, appended): one line per (key, provider), and one per bad input line:
  {"key":"cust-1","provider":"align","id":"…","line":1,"ok":true,"requests":1}
  {"key":"cust-2","provider":"nuweb","id":"…","line":2,"ok":false,"error":{"kind":"not_found","message":"…","status":404}}
  {"line":3,"ok":false,"error":{"kind":"bad_line","message":"not valid JSON (…)"}}
Resume: rerun the same command; (key, provider) pairs already "ok":true in the results file are skipped.
A bad line is reported with its line number and does not stop the others.
Exit code: 0 all ok; 1 any vendor/network failure; 3 only refusals or bad lines; 2 usage; 130 interrupted.
Distributed (--queue redis://host:6379): one BullMQ queue per provider and credential; the updates are
sent by \`custkit worker\` processes holding the same credentials; this command shows progress and writes
the results as above. --concurrency is then the number of updates queued at once (default 1000).

${CONFIG_HELP}`,
    )
    .action(async (opts) => {
      const json = Boolean(opts.json);
      try {
        const providers = parseProviders(opts.providers as string);
        const resolved = resolveConfigs(providers, {
          env: process.env,
          credentialsFile: opts.credentialsFile,
          flags: opts.config,
        });
        const missing = providers.flatMap((p) => resolved[p].missing);
        if (missing.length > 0) throw new UsageError(missing.join("\n"));
        const configs = Object.fromEntries(providers.map((p) => [p, resolved[p].config]));
        const file = opts.file as string;
        if (file === "-")
          throw new UsageError("--file must be a file (it is read again on resume)");
        const rates = parseRates(opts.rate as string[], providers);
        const progress =
          (opts.progress as "bar" | "lines" | "none" | undefined) ??
          (process.stderr.isTTY ? "bar" : "lines");
        const queue: QueueSender | undefined = opts.queue
          ? await createQueueSender({
              redis: checkRedisUrl("--queue", opts.queue as string),
              providers,
              configs,
              rates,
            })
          : undefined;
        const queuedConcurrency =
          queue && sync.getOptionValueSource("concurrency") === "default" ? 1000 : undefined;
        const controller = new AbortController();
        const onSigint = () => {
          if (controller.signal.aborted) process.exit(130);
          err("\ninterrupted: finishing the updates in flight (Ctrl-C again to quit now)");
          controller.abort();
        };
        process.on("SIGINT", onSigint);
        const summary = await runSync({
          file,
          out: (opts.out as string | undefined) ?? `${file}.results.ndjson`,
          providers,
          configs,
          ...(queue ? { queue } : {}),
          concurrency: queuedConcurrency ?? (opts.concurrency as number),
          unsupported: opts.unsupported as UnsupportedPolicy,
          ...(opts.timeout ? { timeoutMs: opts.timeout as number } : {}),
          progress,
          progressEveryMs: Math.round((opts.progressEvery as number) * 1000),
          log: process.stderr,
          signal: controller.signal,
        }).finally(() => queue?.close());
        process.off("SIGINT", onSigint);
        out(json ? JSON.stringify(summary) : formatSummary(summary));
        process.exitCode = syncExitCode(summary);
      } catch (e) {
        fail(e, json);
      }
    });

  const worker = program
    .command("worker")
    .description(
      "send the updates that `sync --queue` put in Redis, for the providers whose credentials this process holds",
    )
    .requiredOption("--redis <redis-url>", "the Redis that `sync --queue` was given")
    .requiredOption("--providers <a,b,c>", `providers to work for: ${PROVIDER_NAMES.join(",")}`)
    .option(
      "-c, --concurrency <n>",
      "updates in flight at once, per provider",
      positiveInt("--concurrency"),
      16,
    )
    .option(
      "--lock-ms <ms>",
      "a job of a worker that stopped (killed, lost) is taken over after this long",
      positiveInt("--lock-ms"),
      30_000,
    );
  configOptions(worker)
    .addHelpText(
      "after",
      `\nRuns until SIGINT or SIGTERM, then finishes the jobs in progress. Credentials stay here: Redis holds
the patches and a fingerprint (hash) of each credential, never the credential itself.

${CONFIG_HELP}`,
    )
    .action(async (opts) => {
      try {
        const providers = parseProviders(opts.providers as string);
        const resolved = resolveConfigs(providers, {
          env: process.env,
          credentialsFile: opts.credentialsFile,
          flags: opts.config,
        });
        const missing = providers.flatMap((p) => resolved[p].missing);
        if (missing.length > 0) throw new UsageError(missing.join("\n"));
        const controller = new AbortController();
        const stop = () => controller.abort();
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
        await runWorker({
          redis: checkRedisUrl("--redis", opts.redis as string),
          providers,
          configs: Object.fromEntries(providers.map((p) => [p, resolved[p].config])),
          concurrency: opts.concurrency as number,
          lockMs: opts.lockMs as number,
          log: process.stderr,
          signal: controller.signal,
        });
      } catch (e) {
        fail(e, false);
      }
    });

  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version exit 0; every parse error is a usage error.
      process.exit(e.exitCode === 0 ? EXIT.ok : EXIT.usage);
    }
    err(redactText(`✗ internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));
    process.exit(EXIT.failure);
  }
}

await main(process.argv);
