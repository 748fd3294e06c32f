/**
 * The facade: `createCustomers({ providers })`, `update`, `updateEverywhere`, `plan`, `capabilities`.
 * A patch is mapped (and refused, if it must be) before any request; each vendor request goes
 * through the generated client, whose failures are `CustkitError`s from @custkit/runtime.
 */
import {
  type UpdateCustomerBody as AlignBody,
  type AlignClient,
  type AlignClientOptions,
  createAlignClient,
} from "@custkit/align";
import {
  createEnfuceClient,
  type PatchCustomerBody as EnfuceBody,
  type EnfuceClient,
  type EnfuceClientOptions,
} from "@custkit/enfuce";
import {
  createLoanproClient,
  type UpdateCustomerBody as LoanproBody,
  type LoanproClient,
  type LoanproClientOptions,
} from "@custkit/loanpro";
import {
  createMaiaClient,
  type UpdateCustomerBody as MaiaBody,
  type MaiaClient,
  type MaiaClientOptions,
} from "@custkit/maia";
import {
  createNuwebClient,
  type UpdateCustomerBody as NuwebBody,
  type NuwebClient,
  type NuwebClientOptions,
} from "@custkit/nuweb";
import { CustkitError, ValidationError } from "@custkit/runtime";
import {
  type CompiledMapping,
  describeCapabilities,
  type ProviderCapabilities,
  planRequests,
  type UnsupportedPolicy,
} from "./mapping.js";
import type { CustomerPatch } from "./model.js";
import {
  COMPILED,
  type MapperConfigs,
  PROVIDER_NAMES,
  type ProviderName,
  READERS,
  type RuleTables,
} from "./providers/index.js";
import type {
  EverywhereResult,
  ProviderOutcome,
  RawExchange,
  UpdatePlan,
  UpdateResult,
} from "./results.js";
import type { PatchFor } from "./types.js";

export interface ClientTypes {
  enfuce: { client: EnfuceClient; options: EnfuceClientOptions; body: EnfuceBody; id: string };
  nuweb: { client: NuwebClient; options: NuwebClientOptions; body: NuwebBody; id: string | number };
  loanpro: {
    client: LoanproClient;
    options: LoanproClientOptions;
    body: LoanproBody;
    id: number | string;
  };
  align: { client: AlignClient; options: AlignClientOptions; body: AlignBody; id: string };
  maia: { client: MaiaClient; options: MaiaClientOptions; body: MaiaBody; id: string | number };
}

type Head<P extends string> = P extends `${infer H}.${string}` ? H : P;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** Vendor body keys written by a provider's table. */
export type MappedVendorKey<P extends ProviderName> =
  | Head<RuleTables[P][number]["to"][number]>
  | (P extends "nuweb" ? "id" : never);
/**
 * Vendor fields the model does not cover, typed from the generated request body. A field the
 * table maps is excluded: set it through the model (a collision is also refused at run time).
 */
export type PassthroughFor<P extends ProviderName> = Partial<
  DistributiveOmit<NonNullable<ClientTypes[P]["body"]>, MappedVendorKey<P>>
> & {
  [K in MappedVendorKey<P>]?: never;
};

/** One provider's configuration: client options (or a ready client) plus mapper options. */
export type ProviderConfig<P extends ProviderName> = (
  | ClientTypes[P]["options"]
  | { client: ClientTypes[P]["client"] }
) &
  MapperConfigs[P];

export interface CustomersOptions {
  providers: { [P in ProviderName]?: ProviderConfig<P> };
  /** What to do with a field a provider cannot take: refuse the call (default) or skip and report it. */
  unsupported?: UnsupportedPolicy;
}

export interface UpdateOptions<P extends ProviderName> {
  unsupported?: UnsupportedPolicy;
  passthrough?: PassthroughFor<P>;
  /** Include the vendor's raw answers in the result. */
  raw?: boolean;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface EverywhereOptions {
  unsupported?: UnsupportedPolicy;
  passthrough?: { [P in ProviderName]?: PassthroughFor<P> };
  raw?: boolean;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface Customers {
  /** Update one customer at one provider. Throws a `CustkitError` (nothing sent if the patch is refused). */
  update<P extends ProviderName>(
    provider: P,
    id: ClientTypes[P]["id"],
    patch: PatchFor<P>,
    options?: UpdateOptions<P>,
  ): Promise<UpdateResult<P>>;
  /** Fan one change out to several providers; one provider's failure never hides another's success. */
  updateEverywhere(
    ids: { [P in ProviderName]?: ClientTypes[P]["id"] },
    patch: CustomerPatch,
    options?: EverywhereOptions,
  ): Promise<EverywhereResult>;
  /** The requests `update` would send, without sending them. */
  plan<P extends ProviderName>(
    provider: P,
    id: ClientTypes[P]["id"],
    patch: PatchFor<P>,
    options?: Omit<UpdateOptions<P>, "raw" | "signal" | "timeoutMs">,
  ): UpdatePlan<P>;
  capabilities(provider: ProviderName): ProviderCapabilities;
  /** The providers configured. */
  readonly providers: readonly ProviderName[];
}

const MAPPER_KEYS: { [P in ProviderName]: readonly string[] } = {
  enfuce: ["auditUser", "role"],
  nuweb: [],
  loanpro: [],
  align: [],
  maia: ["contentType"],
};

const FACTORIES: {
  [P in ProviderName]: (options: ClientTypes[P]["options"]) => ClientTypes[P]["client"];
} = {
  enfuce: createEnfuceClient,
  nuweb: createNuwebClient,
  loanpro: createLoanproClient,
  align: createAlignClient,
  maia: createMaiaClient,
};

type AnyOperation = (
  init: unknown,
  options?: unknown,
) => Promise<{ data: unknown; response: Response }>;

/** Capabilities of a provider, from its table (no configuration needed). */
export function capabilities(provider: ProviderName): ProviderCapabilities {
  const compiled = COMPILED[provider] as CompiledMapping | undefined;
  if (!compiled)
    throw new ValidationError({
      provider: String(provider),
      message: `unknown provider ${String(provider)}`,
    });
  return describeCapabilities(compiled);
}

export function createCustomers(options: CustomersOptions): Customers {
  const configured = Object.keys(options.providers ?? {}).filter((p): p is ProviderName =>
    (PROVIDER_NAMES as readonly string[]).includes(p),
  );
  for (const p of Object.keys(options.providers ?? {})) {
    if (!configured.includes(p as ProviderName)) {
      throw new ValidationError({
        provider: p,
        message: `unknown provider ${p}; known: ${PROVIDER_NAMES.join(", ")}`,
      });
    }
  }
  const enfuceConfig = options.providers.enfuce;
  if (
    enfuceConfig !== undefined &&
    (typeof enfuceConfig.auditUser !== "string" || enfuceConfig.auditUser === "")
  ) {
    throw new ValidationError({
      provider: "enfuce",
      message: "enfuce: auditUser is required in the provider configuration",
    });
  }
  const clients = new Map<ProviderName, Record<string, unknown>>();

  function configOf<P extends ProviderName>(provider: P): ProviderConfig<P> {
    const config = options.providers[provider] as ProviderConfig<P> | undefined;
    if (config === undefined) {
      throw new ValidationError({
        provider,
        message: `${provider} is not configured in createCustomers({ providers })`,
      });
    }
    return config;
  }

  function clientOf<P extends ProviderName>(provider: P): Record<string, unknown> {
    let client = clients.get(provider);
    if (client === undefined) {
      const config = configOf(provider) as unknown as Record<string, unknown>;
      if (config.client !== undefined) {
        client = config.client as Record<string, unknown>;
      } else {
        const clientOptions: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(config))
          if (!MAPPER_KEYS[provider].includes(k)) clientOptions[k] = v;
        client = (FACTORIES[provider] as (o: unknown) => unknown)(clientOptions) as Record<
          string,
          unknown
        >;
      }
      clients.set(provider, client);
    }
    return client;
  }

  function plan<P extends ProviderName>(
    provider: P,
    id: ClientTypes[P]["id"],
    patch: CustomerPatch,
    opts: { unsupported?: UnsupportedPolicy; passthrough?: unknown } = {},
  ): UpdatePlan<P> {
    const config = configOf(provider);
    const result = planRequests(COMPILED[provider] as CompiledMapping, id, patch, config, {
      unsupported: opts.unsupported ?? options.unsupported,
      passthrough: opts.passthrough as Record<string, unknown> | undefined,
    });
    return { ...result, provider };
  }

  async function update<P extends ProviderName>(
    provider: P,
    id: ClientTypes[P]["id"],
    patch: CustomerPatch,
    opts: UpdateOptions<P> = {},
  ): Promise<UpdateResult<P>> {
    const planned = plan(provider, id, patch, opts);
    const result: UpdateResult<P> = {
      provider,
      id: String(id),
      written: planned.written,
      skipped: planned.skipped,
      warnings: planned.warnings,
      requests: planned.requests.length,
    };
    if (planned.requests.length === 0) {
      result.warnings.push(`${provider}: nothing to send for this patch`);
      return result;
    }
    const client = clientOf(provider);
    const raw: RawExchange[] = [];
    for (const request of planned.requests) {
      const method = client[request.operation] as AnyOperation | undefined;
      if (typeof method !== "function") {
        throw new CustkitError({
          provider,
          operation: request.operation,
          message: `${provider}: the client has no operation ${request.operation}`,
        });
      }
      const callOptions: Record<string, unknown> = {};
      if (request.contentType !== undefined) callOptions.contentType = request.contentType;
      if (opts.signal !== undefined) callOptions.signal = opts.signal;
      if (opts.timeoutMs !== undefined) callOptions.timeoutMs = opts.timeoutMs;
      const { data, response } = await method.call(
        client,
        { params: request.params, body: request.body },
        callOptions,
      );
      raw.push({ operation: request.operation, status: response.status, data });
      if (result.customer === undefined) {
        const customer = READERS[provider](data);
        if (customer !== undefined) result.customer = customer;
      }
    }
    if (opts.raw) result.raw = raw;
    return result;
  }

  async function updateEverywhere(
    ids: { [P in ProviderName]?: ClientTypes[P]["id"] },
    patch: CustomerPatch,
    opts: EverywhereOptions = {},
  ): Promise<EverywhereResult> {
    const providers = (Object.keys(ids) as ProviderName[]).filter((p) => ids[p] !== undefined);
    const outcomes = await Promise.all(
      providers.map(async (provider): Promise<[ProviderName, ProviderOutcome]> => {
        try {
          const result = await update(
            provider,
            ids[provider] as ClientTypes[typeof provider]["id"],
            patch,
            {
              unsupported: opts.unsupported,
              passthrough: opts.passthrough?.[provider] as never,
              raw: opts.raw,
              signal: opts.signal,
              timeoutMs: opts.timeoutMs,
            },
          );
          return [provider, { ok: true, result }];
        } catch (error) {
          const e =
            error instanceof CustkitError
              ? error
              : new CustkitError({
                  provider,
                  message: `${provider}: unexpected failure`,
                  cause: error,
                });
          return [provider, { ok: false, error: e }];
        }
      }),
    );
    const results: EverywhereResult["results"] = {};
    for (const [provider, outcome] of outcomes)
      (results as Record<string, ProviderOutcome>)[provider] = outcome;
    return { ok: outcomes.every(([, o]) => o.ok), results };
  }

  return {
    update: update as Customers["update"],
    updateEverywhere,
    plan: plan as Customers["plan"],
    capabilities,
    providers: configured,
  };
}
