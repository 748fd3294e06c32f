/**
 * The facade's core: `createCustomers({ providers: { align: align({ apiKey }) } })`, `update`,
 * `updateEverywhere`, `plan`, `capabilities`. Providers come in as bindings from their own entries
 * (`@custkit/customers/<p>`), so a bundle holds only the providers it configures. The main entry
 * (`@custkit/customers`) is a thin layer over this one.
 *
 * A patch is mapped (and refused, if it must be) before any request; each vendor request goes
 * through the generated client, whose failures are `CustkitError`s from @custkit/runtime.
 */
import { CustkitError, type FieldError, ValidationError } from "@custkit/runtime";
import { translateClientValidation } from "./client-errors.js";
import { type AppliedRequest, PartialUpdateError } from "./errors.js";
import {
  type ProviderCapabilities,
  planRequests,
  type UnsupportedPolicy,
  type VendorRequest,
} from "./mapping.js";
import type { CustomerPatch } from "./model.js";
import type { ProviderName } from "./names.js";
import {
  type ClientTypes,
  capabilitiesOf,
  compiledOf,
  type PassthroughFor,
  type ProviderBinding,
} from "./provider.js";
import type {
  EverywhereResult,
  ProviderOutcome,
  RawExchange,
  UpdatePlan,
  UpdateResult,
} from "./results.js";
import type { PatchFor } from "./types.js";

/** Configured providers, each from its entry: `{ align: align({ apiKey }) }`. */
export type ProviderBindings = { [P in ProviderName]?: ProviderBinding<P> };

export interface CoreCustomersOptions<B extends ProviderBindings = ProviderBindings> {
  providers: B;
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

export interface EverywhereOptions<P extends ProviderName = ProviderName> {
  unsupported?: UnsupportedPolicy;
  passthrough?: { [Q in P]?: PassthroughFor<Q> };
  raw?: boolean;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** The facade over the providers `P` configured. */
export interface Customers<P extends ProviderName = ProviderName> {
  /**
   * Update one customer at one provider. Throws a `CustkitError` (nothing sent if the patch is
   * refused); a `PartialUpdateError` when a later request of the patch failed after an earlier one
   * went through (Enfuce: PATCH, then DELETE_TEMPORARY_ADDRESS).
   */
  update<Q extends P>(
    provider: Q,
    id: ClientTypes[Q]["id"],
    patch: PatchFor<Q>,
    options?: UpdateOptions<Q>,
  ): Promise<UpdateResult<Q>>;
  /** Fan one change out to several providers; one provider's failure never hides another's success. */
  updateEverywhere(
    ids: { [Q in P]?: ClientTypes[Q]["id"] },
    patch: CustomerPatch,
    options?: EverywhereOptions<P>,
  ): Promise<EverywhereResult>;
  /**
   * The requests `update` would send, without sending them: each checked as the client checks it
   * before sending (a refusal names the caller's fields).
   */
  plan<Q extends P>(
    provider: Q,
    id: ClientTypes[Q]["id"],
    patch: PatchFor<Q>,
    options?: Omit<UpdateOptions<Q>, "raw" | "signal" | "timeoutMs">,
  ): UpdatePlan<Q>;
  capabilities(provider: P): ProviderCapabilities;
  /** The providers configured. */
  readonly providers: readonly P[];
}

type AnyOperation = (
  init: unknown,
  options?: unknown,
) => Promise<{ data: unknown; response: Response }>;

type AnyValidate = (
  operation: string,
  init: unknown,
  options?: { contentType?: string },
) => FieldError[];

type AnyBinding = ProviderBinding<ProviderName>;

export function createCustomers<B extends ProviderBindings>(
  options: CoreCustomersOptions<B>,
): Customers<keyof B & ProviderName> {
  type P = keyof B & ProviderName;
  const bindings = new Map<ProviderName, AnyBinding>();
  for (const [key, binding] of Object.entries(options.providers ?? {})) {
    if (binding === undefined) continue;
    const name = (binding as Partial<AnyBinding> | null)?.definition?.name;
    if (name !== key) {
      throw new ValidationError({
        provider: key,
        message:
          name === undefined
            ? `providers.${key} must be configured with its provider function, e.g. ${key}({ … }) from @custkit/customers/${key}`
            : `providers.${key} holds the ${name} provider`,
      });
    }
    bindings.set(name, binding as AnyBinding);
  }
  const configured = [...bindings.keys()] as P[];
  const clients = new Map<ProviderName, Record<string, unknown>>();

  function bindingOf(provider: ProviderName): AnyBinding {
    const binding = bindings.get(provider);
    if (binding === undefined) {
      throw new ValidationError({
        provider,
        message: `${provider} is not configured in createCustomers({ providers })`,
      });
    }
    return binding;
  }

  function clientOf(binding: AnyBinding): Record<string, unknown> {
    const { definition } = binding;
    let client = clients.get(definition.name);
    if (client === undefined) {
      const config = binding.config as unknown as Record<string, unknown>;
      if (config.client !== undefined) {
        client = config.client as Record<string, unknown>;
      } else {
        const clientOptions: Record<string, unknown> = {};
        for (const k in config)
          if (!definition.mapperKeys.includes(k)) clientOptions[k] = config[k];
        client = (definition.createClient as (o: unknown) => unknown)(clientOptions) as Record<
          string,
          unknown
        >;
      }
      clients.set(definition.name, client);
    }
    return client;
  }

  function plan<Q extends P>(
    provider: Q,
    id: ClientTypes[Q]["id"],
    patch: CustomerPatch,
    opts: { unsupported?: UnsupportedPolicy; passthrough?: unknown } = {},
  ): UpdatePlan<Q> {
    const binding = bindingOf(provider);
    const client = clientOf(binding);
    const validate = client.validate as AnyValidate | undefined;
    const result = planRequests(compiledOf(binding.definition), id, patch, binding.config, {
      unsupported: opts.unsupported ?? options.unsupported,
      passthrough: opts.passthrough as Record<string, unknown> | undefined,
      // Every request is checked as the client will check it (nothing sent), before the first goes.
      ...(typeof validate === "function"
        ? {
            validate: (request: VendorRequest) =>
              validate.call(
                client,
                request.operation,
                { params: request.params, body: request.body },
                request.contentType === undefined ? {} : { contentType: request.contentType },
              ),
          }
        : {}),
    });
    return { ...result, provider };
  }

  async function update<Q extends P>(
    provider: Q,
    id: ClientTypes[Q]["id"],
    patch: CustomerPatch,
    opts: UpdateOptions<Q> = {},
  ): Promise<UpdateResult<Q>> {
    const planned = plan(provider, id, patch, opts);
    const result: UpdateResult<Q> = {
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
    const binding = bindingOf(provider);
    const client = clientOf(binding);
    const raw: RawExchange[] = [];
    const mapping = binding.definition.mapping;
    const fieldsOf = (request: VendorRequest): string[] =>
      mapping.requestFields
        ? mapping.requestFields(request, planned.written)
        : [...planned.written];
    const applied: AppliedRequest[] = [];
    for (const [index, request] of planned.requests.entries()) {
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
      let answer: { data: unknown; response: Response };
      try {
        answer = await method.call(
          client,
          { params: request.params, body: request.body },
          callOptions,
        );
      } catch (thrown) {
        // The client refused the request before sending it: name the caller's fields.
        const error =
          thrown instanceof ValidationError &&
          thrown.operation === request.operation &&
          thrown.fieldErrors.length > 0
            ? translateClientValidation(
                compiledOf(binding.definition),
                thrown,
                opts.passthrough as Record<string, unknown> | undefined,
              )
            : thrown;
        // A later request failed after earlier ones went through: say what the vendor now holds.
        if (applied.length === 0) throw error;
        const cause =
          error instanceof CustkitError
            ? error
            : new CustkitError({
                provider,
                operation: request.operation,
                message: `${provider}: unexpected failure`,
                cause: error,
              });
        throw new PartialUpdateError({
          provider,
          applied,
          failedOperation: request.operation,
          notWritten: planned.requests.slice(index).flatMap(fieldsOf),
          cause,
        });
      }
      const { data, response } = answer;
      applied.push({
        operation: request.operation,
        status: response.status,
        fields: fieldsOf(request),
      });
      raw.push({ operation: request.operation, status: response.status, data });
      if (result.customer === undefined) {
        const customer = binding.definition.read(data);
        if (customer !== undefined) result.customer = customer;
      }
    }
    if (opts.raw) result.raw = raw;
    return result;
  }

  async function updateEverywhere(
    ids: { [Q in P]?: ClientTypes[Q]["id"] },
    patch: CustomerPatch,
    opts: EverywhereOptions<P> = {},
  ): Promise<EverywhereResult> {
    const providers = (Object.keys(ids) as P[]).filter((p) => ids[p] !== undefined);
    const outcomes = await Promise.all(
      providers.map(async (provider): Promise<[ProviderName, ProviderOutcome]> => {
        try {
          const result = await update(provider, ids[provider] as ClientTypes[P]["id"], patch, {
            unsupported: opts.unsupported,
            passthrough: opts.passthrough?.[provider] as never,
            raw: opts.raw,
            signal: opts.signal,
            timeoutMs: opts.timeoutMs,
          });
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
    update: update as Customers<P>["update"],
    updateEverywhere,
    plan: plan as Customers<P>["plan"],
    capabilities: (provider: P) => capabilitiesOf(bindingOf(provider).definition),
    providers: configured,
  };
}

export { type AppliedRequest, PartialUpdateError } from "./errors.js";
export type {
  FieldCapability,
  FieldProblem,
  ProblemCode,
  ProviderCapabilities,
  UnsupportedPolicy,
  VendorRequest,
} from "./mapping.js";
export * from "./model.js";
export {
  type AlignMapperConfig,
  type EnfuceMapperConfig,
  type LoanproMapperConfig,
  type MaiaMapperConfig,
  type MapperConfigs,
  type NuwebMapperConfig,
  PROVIDER_NAMES,
  type ProviderName,
} from "./names.js";
export {
  bindProvider,
  type ClientTypes,
  capabilitiesOf,
  type MappedVendorKey,
  type PassthroughFor,
  type ProviderBinding,
  type ProviderConfig,
  type ProviderDefinition,
} from "./provider.js";
export type {
  EverywhereResult,
  ProviderOutcome,
  RawExchange,
  UpdatePlan,
  UpdateResult,
} from "./results.js";
export type { PatchFor, SupportedField } from "./types.js";
