/**
 * Measurement worker, run in its own process (`tsx worker.ts <task> <json>`) so each measurement
 * has a fresh heap and one event loop. The workspace packages are their built `dist/`, what users
 * run (`pnpm bench` builds first): run from sources through tsx, esbuild's keep-names wrapper
 * redefines `name` on every closure created per call and cut the mapping figure by more than half.
 * Prints one JSON object on stdout.
 *
 * Every HTTP variant sends the same vendor request (Align's PUT /v0/customers/{id} with the same
 * body) through the same global fetch (undici's global dispatcher, keep-alive), to a loopback
 * server in another process.
 */

import { alignValidation, createAlignClient } from "@custkit/align";
import { createCustomers } from "@custkit/customers";
import { createMaiaClient, maiaValidation } from "@custkit/maia";
import { type Schema, validateRequest, validateValue } from "@custkit/runtime";
import createClient from "openapi-fetch";

const ALIGN_ID = "3fa85f64-5717-4562-b3fc-2c963f66afa6";
const API_KEY = "bench-key";
/** The patch the facade maps, and the vendor body a hand-written client sends for it. */
const PATCH = { name: { given: "Jane", family: "Doe" }, birthDate: "1990-01-31" } as const;
const BODY = { first_name: "Jane", last_name: "Doe", birth_date: "1990-01-31" };

type Variant = () => Promise<void>;
/** A variant's samples and raw fetch's, taken alternately. */
export type Pair = { variant: number[]; fetch: number[] };

function variants(baseUrl: string): Record<string, Variant> {
  const customers = createCustomers({ providers: { align: { apiKey: API_KEY, baseUrl } } });
  const client = createAlignClient({ apiKey: API_KEY, baseUrl });
  const unchecked = createAlignClient({ apiKey: API_KEY, baseUrl, validate: false });
  const plain = createClient<Record<string, never>>({ baseUrl, headers: { "Api-Key": API_KEY } });
  const url = `${baseUrl}/v0/customers/${ALIGN_ID}`;
  return {
    facade: async () => {
      await customers.update("align", ALIGN_ID, PATCH);
    },
    client: async () => {
      await client.updateCustomer({ params: { path: { customer_id: ALIGN_ID } }, body: BODY });
    },
    clientUnchecked: async () => {
      await unchecked.updateCustomer({ params: { path: { customer_id: ALIGN_ID } }, body: BODY });
    },
    openapiFetch: async () => {
      // biome-ignore lint/suspicious/noExplicitAny: an untyped plain openapi-fetch client
      const { response } = await (plain as any).PUT("/v0/customers/{customer_id}", {
        params: { path: { customer_id: ALIGN_ID } },
        body: BODY,
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
    },
    fetch: async () => {
      // A hand-written client: build the request, send it, parse the answer.
      const res = await fetch(url, {
        method: "PUT",
        headers: { "content-type": "application/json", "Api-Key": API_KEY },
        body: JSON.stringify(BODY),
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      await res.json();
    },
    fetchTimeout: () => timed(),
    fetchTimeoutValidated: async () => {
      // The two features every update pays for, hand-written and nothing else: the spec's checks
      // before sending, a timeout that can cancel.
      const init = { params: { path: { customer_id: ALIGN_ID } }, body: BODY };
      if (validateRequest(alignValidation.updateCustomer, init).length > 0)
        throw new Error("invalid");
      await timed();
    },
  };

  /** Raw fetch with what any client needs to cancel a stalled request: a signal and a timer. */
  async function timed(): Promise<void> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 60_000);
    try {
      const res = await fetch(url, {
        method: "PUT",
        headers: { "content-type": "application/json", "Api-Key": API_KEY },
        body: JSON.stringify(BODY),
        signal: controller.signal,
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      await res.json();
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * Sequential, interleaved A/B: each variant against raw fetch, one pair at a time, alternating
 * which goes first. A rotation of every variant in one loop reads lower overheads (the heavier
 * variants' garbage and cache misses land on the others, raw fetch included), so each figure is
 * taken against raw fetch alone, as the goal states it. The round trip keeps shrinking as the
 * process runs, so the pairs run in two passes, the second in reverse order.
 */
async function latency(args: { url: string; iterations: number; warmup: number }) {
  const v = variants(args.url);
  const send = v.fetch as Variant;
  for (let i = 0; i < args.warmup; i++) for (const fn of Object.values(v)) await fn();
  const names = [
    "facade",
    "client",
    "clientUnchecked",
    "openapiFetch",
    "fetchTimeout",
    "fetchTimeoutValidated",
  ];
  const pairs: Record<string, Pair> = Object.fromEntries(
    names.map((n) => [n, { variant: [], fetch: [] }]),
  );
  for (const order of [names, [...names].reverse()]) {
    for (const name of order) {
      const fn = v[name] as Variant;
      const pair = pairs[name] as Pair;
      for (let i = 0; i < Math.ceil(args.iterations / 2); i++) {
        for (const first of i % 2 ? [false, true] : [true, false]) {
          const t = performance.now();
          await (first ? fn : send)();
          (first ? pair.variant : pair.fetch).push((performance.now() - t) * 1000);
        }
      }
    }
  }
  return { pairs };
}

/**
 * What the client's pre-send validation of Align's body costs where it runs: as the first work
 * after a response (caches cold from undici's work), repeated at once, and in a hot loop.
 */
async function validationInSitu(args: { url: string; iterations: number }) {
  const { fetch: send } = variants(args.url);
  const init = { params: { path: { customer_id: ALIGN_ID } }, body: BODY };
  const check = () => validateRequest(alignValidation.updateCustomer, init);
  const first: number[] = [];
  const again: number[] = [];
  for (let i = 0; i < args.iterations; i++) {
    await (send as Variant)();
    const t0 = performance.now();
    check();
    const t1 = performance.now();
    check();
    again.push((performance.now() - t1) * 1000);
    first.push((t1 - t0) * 1000);
  }
  const n = args.iterations * 20;
  const t = performance.now();
  for (let i = 0; i < n; i++) check();
  return { first, again, hot: ((performance.now() - t) * 1000) / n };
}

/**
 * `total` updates with `concurrency` in flight, each variant's run paired with a raw fetch run
 * right before or after it (alternating): the machine's drift between runs is larger than the
 * differences measured, so each ratio is taken within its pair.
 */
async function throughput(args: {
  url: string;
  total: number;
  concurrency: number;
  rounds: number;
  warmup: number;
}) {
  const v = variants(args.url);
  const names = ["facade", "client", "openapiFetch", "fetchTimeout"];
  const run = async (fn: Variant, total: number) => {
    let next = 0;
    const t = performance.now();
    await Promise.all(
      Array.from({ length: args.concurrency }, async () => {
        while (next++ < total) await fn();
      }),
    );
    return total / ((performance.now() - t) / 1000);
  };
  for (const n of ["fetch", ...names]) await run(v[n] as Variant, args.warmup);
  const pairs: Record<string, Pair> = Object.fromEntries(
    names.map((n) => [n, { variant: [], fetch: [] }]),
  );
  for (let r = 0; r < args.rounds; r++) {
    for (const n of r % 2 === 0 ? names : [...names].reverse()) {
      const pair = pairs[n] as Pair;
      const variantFirst = (r + names.indexOf(n)) % 2 === 0;
      if (!variantFirst) pair.fetch.push(await run(v.fetch as Variant, args.total));
      pair.variant.push(await run(v[n] as Variant, args.total));
      if (variantFirst) pair.fetch.push(await run(v.fetch as Variant, args.total));
    }
  }
  return { pairs };
}

/**
 * What `validateResponses` costs: Maia's update (its answer is a 13-property Customer, the
 * richest 2xx schema of the five) with the check ("error") and without, as sequential A/B pairs;
 * then the check of that answer alone in a hot loop.
 */
async function responses(args: { url: string; iterations: number; warmup: number }) {
  const init = { params: { path: { id: "42" } }, body: { referenceId: "ref-1" } };
  const checked = createMaiaClient({
    token: API_KEY,
    baseUrl: args.url,
    validateResponses: "error",
  });
  const plain = createMaiaClient({ token: API_KEY, baseUrl: args.url });
  const withCheck = async () => {
    await checked.updateCustomer(init);
  };
  const without = async () => {
    await plain.updateCustomer(init);
  };
  for (let i = 0; i < args.warmup; i++) {
    await withCheck();
    await without();
  }
  const pair: Pair = { variant: [], fetch: [] };
  for (let i = 0; i < args.iterations; i++) {
    for (const first of i % 2 ? [false, true] : [true, false]) {
      const t = performance.now();
      await (first ? withCheck : without)();
      (first ? pair.variant : pair.fetch).push((performance.now() - t) * 1000);
    }
  }
  const { data } = await plain.updateCustomer(init);
  const schema = maiaValidation.updateCustomer?.response?.["200"]?.["application/json"] as Schema;
  if (validateValue(schema, data, "").length > 0) throw new Error("the bench answer drifted");
  const n = args.iterations * 20;
  const t = performance.now();
  for (let i = 0; i < n; i++) validateValue(schema, data, "");
  return { pair, hot: ((performance.now() - t) * 1000) / n };
}

/** Patches mapped per second through the facade's `plan` (no I/O), on this one thread. */
async function mapping(args: { n: number; rounds: number }) {
  const customers = createCustomers({ providers: { enfuce: { token: "t", auditUser: "bench" } } });
  // Varied patches without a phone number, built before timing.
  const cities = ["Helsinki", "Espoo", "Tampere", "Turku", "Oulu"];
  const patches = Array.from({ length: 1000 }, (_, i) => ({
    kind: "individual" as const,
    name: { given: `Jane${i}`, family: "Doe" },
    email: `jane${i}@example.com`,
    birthDate: `19${50 + (i % 50)}-0${1 + (i % 9)}-1${i % 10}`,
    nationality: i % 2 ? "FI" : "SE",
    address: {
      lines: [`Katu ${i}`],
      city: cities[i % 5] as string,
      postalCode: "00100",
      country: "FI",
    },
  }));
  const planMany = (n: number) => {
    for (let done = 0; done < n; )
      for (const patch of patches) {
        if (done++ === n) return;
        customers.plan("enfuce", "123", patch);
      }
  };
  planMany(Math.min(args.n, 20_000));
  const perSecond: number[] = [];
  for (let r = 0; r < args.rounds; r++) {
    const t = performance.now();
    planMany(args.n);
    perSecond.push(args.n / ((performance.now() - t) / 1000));
  }
  return { perSecond };
}

const tasks: Record<string, (args: never) => Promise<unknown>> = {
  latency,
  validationInSitu,
  responses,
  throughput,
  mapping,
};
const [task, json] = process.argv.slice(2);
const fn = tasks[task ?? ""];
if (!fn) {
  console.error(`unknown task ${task}`);
  process.exit(2);
}
const result = await fn(JSON.parse(json ?? "{}") as never);
process.stdout.write(`${JSON.stringify(result)}\n`);
