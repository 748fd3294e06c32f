/**
 * `custkit`: the command line over @custkit/customers.
 *   custkit providers [provider]     what each provider can take
 *   custkit update --provider P --id ID (--set path=value … | --patch file.json | stdin) [--dry-run]
 *   custkit sync --file patches.ndjson --providers a,b --concurrency N [--queue redis://…]
 *   custkit worker --redis redis://… --providers a,b --concurrency N
 */
import { setMaxListeners } from "node:events";
import {
  capabilities,
  PROVIDER_NAMES,
  type ProviderName,
  type UnsupportedPolicy,
} from "@custkit/customers";
import { redactText } from "@custkit/runtime";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import {
  checkClientConfig,
  environmentHelp,
  environmentsOf,
  parseProviders,
  providerNamed,
  resolveConfigs,
  unknownVariableWarnings,
  withPlaceholders,
} from "./config.js";
import { EXIT, errorJson, exitCodeFor, UsageError } from "./errors.js";
import { formatDryRun, formatError, formatOf, formatProvider, formatResult } from "./format.js";
import { buildPatch } from "./patch.js";
import { checkRedisUrl } from "./queue/redis.js";
import { createQueueSender, type QueueSender } from "./queue/sender.js";
import { runWorker } from "./queue/worker.js";
import { parseRates } from "./rates.js";
import { formatSummary, runSync, syncExitCode } from "./sync/index.js";
import { type Delivery, dryRun, observeDelivery, runUpdate } from "./update.js";

const VERSION = "0.0.0";

const EXIT_HELP = `Exit codes:
  0    success
  1    vendor or network failure (HTTP error, timeout, unreachable)
  2    usage: bad arguments, missing configuration, unreadable input
  3    refused before sending: validation error or a field the provider cannot take
  130  interrupted (Ctrl-C or SIGTERM)`;

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
function fail(error: unknown, json: boolean, delivery?: Delivery): never {
  const code = exitCodeFor(error);
  if (json)
    out(
      JSON.stringify({
        ok: false,
        error: errorJson(error),
        ...(delivery && delivery.attempts > 0 ? { delivery } : {}),
      }),
    );
  else err(error instanceof UsageError ? `error: ${error.message}` : formatError(error, delivery));
  process.exit(code);
}

/** Warn (stderr) about `CUSTKIT_*` variables custkit does not read, naming the nearest it does. */
function warnUnknownVariables(): void {
  for (const warning of unknownVariableWarnings(process.env)) err(warning);
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
        const list: ProviderName[] = provider ? [providerNamed(provider)] : [...PROVIDER_NAMES];
        if (opts.json)
          out(
            JSON.stringify(
              list.map((p) => {
                const caps = capabilities(p);
                const fields = caps.fields.map((f) => {
                  const format = formatOf(f.field);
                  return format === undefined ? f : { ...f, format };
                });
                return { ...caps, fields, environments: environmentsOf(p) };
              }),
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
    .option(
      "--allow-insecure-http",
      "allow a plain http:// base URL to a host other than loopback (credentials in clear text)",
    )
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
      let delivery: Delivery | undefined;
      try {
        warnUnknownVariables();
        const provider = providerNamed(opts.provider as string);
        const overrides: Record<string, string> = {};
        if (opts.baseUrl) overrides.baseUrl = opts.baseUrl;
        if (opts.environment) overrides.environment = opts.environment;
        if (opts.allowInsecureHttp) overrides.allowInsecureHttp = "true";
        const resolved = resolveConfigs([provider], {
          env: process.env,
          credentialsFile: opts.credentialsFile,
          flags: opts.config,
          overrides: { [provider]: overrides },
        })[provider];
        const patch = await buildPatch({ patch: opts.patch, set: opts.set });
        // A dry run fills what is missing with placeholders, marked as such in its output.
        if (!opts.dryRun && resolved.missing.length > 0)
          throw new UsageError(resolved.missing.join("\n"));
        // A wrong environment, base URL or credential: exit 2, not 3 (which is for refusals).
        checkClientConfig(
          provider,
          opts.dryRun ? withPlaceholders(provider, resolved.config).config : resolved.config,
        );
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
          const observed = observeDelivery(provider, resolved.config);
          delivery = observed.delivery;
          const result = await runUpdate(input, observed.onAttempt);
          out(
            json
              ? JSON.stringify({ ok: true, result, delivery }, null, 2)
              : formatResult(result, delivery),
          );
        }
      } catch (e) {
        fail(e, json, delivery);
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
    .option("--restart", "ignore the results of earlier runs (the results file is emptied)")
    .option(
      "--check",
      "validate every line (parse, plan per provider) and send nothing; no credentials needed",
    )
    .option(
      "--failed-out <file>",
      "write the input lines that failed (bad lines, refusals, vendor failures) here, to fix and feed back",
    )
    .option(
      "--rate <provider=perSecond[/burst]>",
      "requests per second to a provider, e.g. --rate align=50 (repeatable; burst default perSecond/5; a vendor's 429 or spent quota pauses that provider whatever is set)",
      collect,
      [],
    )
    .option(
      "--max-retry-after <seconds>",
      "longest wait a vendor may ask for (Retry-After, rate-limit reset) before the update fails instead (default 60)",
      (v) => {
        const n = Number(v);
        if (!(n >= 0)) throw new InvalidArgumentError("--max-retry-after must be a number ≥ 0");
        return n;
      },
    )
    .option("--verbose", "print every attempt: status, time, waits and what the vendor asked for")
    .option(
      "--queue <redis-url>",
      "enqueue the updates in Redis for `custkit worker` processes (on any machine) instead of sending them from here",
    )
    .option("--json", "print the summary as JSON on stdout");
  configOptions(sync)
    .addHelpText(
      "after",
      `\nInput (NDJSON): one customer a line; "key" labels it in results (default: its ids, e.g. "align:3fa8…,nuweb:123").
  {"key":"cust-1","ids":{"align":"3fa85f64-5717-4562-b3fc-2c963f66afa6","nuweb":"123"},"patch":{"email":"jane@example.com"}}

Results (NDJSON, appended, mode 0600): one line per (line, provider), and one per bad input line;
"digest" is a keyed hash (HMAC) of the line's ids and patch, its key kept in <out>.key (0600):
  {"key":"cust-1","provider":"align","id":"…","line":1,"digest":"…","ok":true,"requests":1}
  {"key":"cust-2","provider":"nuweb","id":"…","line":2,"digest":"…","ok":false,"error":{"kind":"not_found","message":"…","status":404},"attempts":3,"waitedMs":1500}
  {"line":3,"digest":"…","ok":false,"error":{"kind":"bad_line","message":"not valid JSON (…)"}}
Resume: rerun the same command; a pair is skipped only when the same content (ids and patch)
succeeded before, so an edited line is sent again. Unchanged bad lines and refusals are counted,
not appended again. --restart starts over. Ctrl-C or SIGTERM: stop reading, finish and record the
updates in flight (a second signal aborts them), exit 130.
Exit code: 0 all ok; 1 any vendor/network failure; 3 only refusals or bad lines; 2 usage or
configuration; 130 interrupted.
Distributed (--queue redis://host:6379): one BullMQ queue per provider and credential; the updates are
sent by \`custkit worker\` processes holding the same credentials, at most --rate per second per provider
across all of them; this command shows progress and writes the results as above. --concurrency is then
the number of updates queued at once (default 1000).

${CONFIG_HELP}`,
    )
    .action(async (opts) => {
      const json = Boolean(opts.json);
      try {
        warnUnknownVariables();
        const check = Boolean(opts.check);
        const providers = parseProviders(opts.providers as string);
        const resolved = resolveConfigs(providers, {
          env: process.env,
          credentialsFile: opts.credentialsFile,
          flags: opts.config,
        });
        const missing = providers
          .flatMap((p) => resolved[p].missing)
          .filter((m) => !check || !m.includes("missing credentials"));
        if (missing.length > 0) throw new UsageError(missing.join("\n"));
        const rates = parseRates(opts.rate as string[], providers);
        const maxRetryAfter = opts.maxRetryAfter as number | undefined;
        const configs = Object.fromEntries(
          providers.map((p) => {
            const config: Record<string, unknown> = { ...resolved[p].config };
            if (rates[p]) config.rateLimit = rates[p];
            if (maxRetryAfter !== undefined)
              config.retries = { maxRetryAfterMs: Math.round(maxRetryAfter * 1000) };
            // A wrong environment, base URL or credential: exit 2 before anything is sent.
            checkClientConfig(p, check ? withPlaceholders(p, config).config : config);
            return [p, config];
          }),
        );
        const file = opts.file as string;
        if (file === "-")
          throw new UsageError("--file must be a file (it is read again on resume)");
        const progress =
          (opts.progress as "bar" | "lines" | "none" | undefined) ??
          (process.stderr.isTTY ? "bar" : "lines");
        const queue: QueueSender | undefined =
          opts.queue && !check
            ? await createQueueSender({
                redis: checkRedisUrl("--queue", opts.queue as string),
                providers,
                configs,
                rates,
              })
            : undefined;
        const queuedConcurrency =
          queue && sync.getOptionValueSource("concurrency") === "default" ? 1000 : undefined;
        const { stop, cancel, detach } = onStopSignals();
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
          signal: stop,
          cancel,
          restart: Boolean(opts.restart),
          check,
          verbose: Boolean(opts.verbose),
          ...(opts.failedOut ? { failedOut: opts.failedOut as string } : {}),
        }).finally(() => queue?.close());
        detach();
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

/**
 * Ctrl-C and SIGTERM alike: the first stops reading (updates in flight finish and are recorded),
 * the second aborts those in flight (recorded as aborted), the third quits at once.
 */
function onStopSignals() {
  const stop = new AbortController();
  const cancel = new AbortController();
  // Every update in flight listens on `cancel` (up to --concurrency, default 16): without this,
  // Node warns of a listener leak past 10.
  setMaxListeners(0, cancel.signal);
  const onSignal = (signal: NodeJS.Signals) => {
    if (cancel.signal.aborted) process.exit(EXIT.interrupted);
    if (stop.signal.aborted) {
      err(`\n${signal}: aborting the updates in flight (once more to quit now)`);
      cancel.abort();
      return;
    }
    err(`\n${signal}: finishing the updates in flight (${signal} again to abort them)`);
    stop.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return {
    stop: stop.signal,
    cancel: cancel.signal,
    detach: () => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    },
  };
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
