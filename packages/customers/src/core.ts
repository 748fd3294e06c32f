/**
 * The facade's core: `createCustomers({ providers: { align: align({ apiKey }) } })`, `update`,
 * `updateEverywhere`, `plan`, `capabilities`. Providers come in as bindings from their own entries
 * (`@custkit/customers/<p>`), so a bundle holds only the providers it configures. The main entry
 * (`@custkit/customers`) is a thin layer over this one.
 *
 * A patch is mapped (and refused, if it must be) before any request; each vendor request goes
 * through the generated client, whose failures are `CustkitError`s from @custkit/runtime.
 */
import {
  type AttemptReport,
  type CallOptions,
  ConfigurationError,
  CustkitError,
  type FieldError,
  InternalError,
  ValidationError,
} from "@custkit/runtime";
import { translateClientValidation } from "./client-errors.js";
import type { AppliedRequest } from "./errors.js";
import {
  type CompiledMapping,
  checkRequests,
  mapPatch,
  type ProviderCapabilities,
  type UnsupportedPolicy,
  type VendorRequest,
} from "./mapping.js";
import type { CustomerPatch } from "./model.js";
import type { ProviderName } from "./names.js";
import { normalizePatch } from "./normalize.js";
import {
  type ClientTypes,
  capabilitiesOf,
  compiledOf,
  type PassthroughFor,
  type ProviderBinding,
} from "./provider.js";
import { explainRefusal } from "./refusal.js";
import type {
  EverywhereResult,
  ProviderOutcome,
  RawExchange,
  UpdatePlan,
  UpdateResult,
} from "./results.js";
import type { PatchArgument } from "./types.js";

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
  /** Called as each attempt of each vendor request ends: status, waits, the wait the vendor asked. */
  onAttempt?: (report: AttemptReport) => void;
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
   * went through (Enfuce: PATCH, then DELETE_TEMPORARY_ADDRESS). The patch is typed for the
   * provider when it is known statically, else any `CustomerPatch` (checked while mapping).
   */
  update<Q extends P>(
    provider: Q,
    id: ClientTypes[Q]["id"],
    patch: PatchArgument<Q>,
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
    patch: PatchArgument<Q>,
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
      throw new ConfigurationError({
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

  /** A configured provider ready to send: its client, compiled table and checker, made once. */
  interface Ready {
    readonly binding: AnyBinding;
    readonly client: Record<string, unknown>;
    readonly compiled: CompiledMapping;
    /** The client's own pre-send checks, run on a request without sending it. */
    readonly check: ((request: VendorRequest) => FieldError[]) | undefined;
  }
  const ready = new Map<ProviderName, Ready>();

  function bindingOf(provider: ProviderName): AnyBinding {
    const binding = bindings.get(provider);
    if (binding === undefined) {
      throw new ConfigurationError({
        provider,
        message: `${provider} is not configured in createCustomers({ providers })`,
      });
    }
    return binding;
  }

  function readyOf(provider: ProviderName): Ready {
    let r = ready.get(provider);
    if (r === undefined) {
      const binding = bindingOf(provider);
      const client = clientOf(binding);
      r = { binding, client, compiled: compiledOf(binding.definition), check: checkerOf(client) };
      ready.set(provider, r);
    }
    return r;
  }

  function plan<Q extends P>(
    provider: Q,
    id: ClientTypes[Q]["id"],
    patch: CustomerPatch,
    opts?: { unsupported?: UnsupportedPolicy; passthrough?: unknown },
  ): UpdatePlan<Q> {
    const { binding, compiled, check } = readyOf(provider);
    const passthrough = opts?.passthrough as Record<string, unknown> | undefined;
    const input = normalizePatch(patch, compiled.mapping.normalizePhone);
    try {
      const result = mapPatch(compiled, id, input.patch, binding.config, {
        unsupported: opts?.unsupported ?? options.unsupported,
        passthrough,
      });
      // Every request is checked as the client will check it (nothing sent).
      checkRequests(compiled, result.requests, check, passthrough);
      const planned: UpdatePlan<Q> = { ...result, provider };
      if (input.normalized.length > 0) planned.normalized = input.normalized;
      return planned;
    } catch (error) {
      throw explainRefusal(error, input.patch, id);
    }
  }

  async function update<Q extends P>(
    provider: Q,
    id: ClientTypes[Q]["id"],
    patch: CustomerPatch,
    opts?: UpdateOptions<Q>,
  ): Promise<UpdateResult<Q>> {
    const { binding, client, compiled, check } = readyOf(provider);
    const passthrough = opts?.passthrough as Record<string, unknown> | undefined;
    const input = normalizePatch(patch, compiled.mapping.normalizePhone);
    let mapped: ReturnType<typeof mapPatch>;
    try {
      mapped = mapPatch(compiled, id, input.patch, binding.config, {
        unsupported: opts?.unsupported ?? options.unsupported,
        passthrough,
      });
    } catch (error) {
      throw explainRefusal(error, input.patch, id);
    }
    const { requests, written, skipped, warnings } = mapped;
    const result: UpdateResult<Q> = {
      provider,
      id: String(id),
      written,
      skipped,
      warnings,
      requests: requests.length,
    };
    if (input.normalized.length > 0) result.normalized = input.normalized;
    if (requests.length === 0) {
      warnings.push(`${provider}: nothing to send for this patch`);
      return result;
    }
    // Only a provider that can report a partial update may need a second request.
    if (requests.length > 1 && binding.definition.partialUpdate === undefined) {
      throw new InternalError({
        provider,
        message: `${provider}: a patch of several requests needs the provider's partialUpdate`,
      });
    }
    // A generated client runs these checks itself before sending its one request; a patch of
    // several requests is checked whole first, so that none is sent unless all would be.
    try {
      if (requests.length > 1 || check === undefined)
        checkRequests(compiled, requests, check, passthrough);
    } catch (error) {
      throw explainRefusal(error, input.patch, id);
    }
    const raw: RawExchange[] | undefined = opts?.raw ? [] : undefined;
    // What went through, for a patch of several requests that fails after the first.
    const applied: AppliedRequest[] | undefined = requests.length > 1 ? [] : undefined;
    for (let index = 0; index < requests.length; index++) {
      const request = requests[index] as VendorRequest;
      let answer: { data: unknown; response: Response };
      try {
        answer = await send(provider, client, request, opts);
      } catch (thrown) {
        throw explainRefusal(
          failure(binding, requests, written, applied, index, thrown, passthrough),
          input.patch,
          id,
        );
      }
      const { data, response } = answer;
      applied?.push({
        operation: request.operation,
        status: response.status,
        fields: fieldsOf(binding, request, written),
      });
      raw?.push({ operation: request.operation, status: response.status, data });
      if (result.customer === undefined) {
        const customer = binding.definition.read(data);
        if (customer !== undefined) result.customer = customer;
      }
    }
    if (raw !== undefined) result.raw = raw;
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
              : new InternalError({
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

/** The binding's client: the one it was given, else one made from its client options. */
function clientOf(binding: AnyBinding): Record<string, unknown> {
  const { definition } = binding;
  const config = binding.config as unknown as Record<string, unknown>;
  if (config.client !== undefined) return config.client as Record<string, unknown>;
  const clientOptions: Record<string, unknown> = {};
  for (const k in config) if (!definition.mapperKeys.includes(k)) clientOptions[k] = config[k];
  return (definition.createClient as (o: unknown) => unknown)(clientOptions) as Record<
    string,
    unknown
  >;
}

/** The client's own pre-send checks, run on a request without sending it. */
function checkerOf(
  client: Record<string, unknown>,
): ((request: VendorRequest) => FieldError[]) | undefined {
  const validate = client.validate as AnyValidate | undefined;
  if (typeof validate !== "function") return undefined;
  return (request) =>
    validate.call(
      client,
      request.operation,
      { params: request.params, body: request.body },
      request.contentType === undefined ? {} : { contentType: request.contentType },
    );
}

/** One vendor request through the generated client. */
function send(
  provider: string,
  client: Record<string, unknown>,
  request: VendorRequest,
  opts: Pick<UpdateOptions<ProviderName>, "signal" | "timeoutMs" | "onAttempt"> | undefined,
): Promise<{ data: unknown; response: Response }> {
  const method = client[request.operation] as AnyOperation | undefined;
  if (typeof method !== "function") {
    throw new ConfigurationError({
      provider,
      operation: request.operation,
      message: `${provider}: the client has no operation ${request.operation}`,
    });
  }
  const callOptions: CallOptions = {};
  if (request.contentType !== undefined) callOptions.contentType = request.contentType;
  if (opts?.onAttempt !== undefined) callOptions.onAttempt = opts.onAttempt;
  if (opts?.signal !== undefined) callOptions.signal = opts.signal;
  if (opts?.timeoutMs !== undefined) callOptions.timeoutMs = opts.timeoutMs;
  return method.call(client, { params: request.params, body: request.body }, callOptions);
}

/** The model fields one request of a patch writes. */
function fieldsOf(binding: AnyBinding, request: VendorRequest, written: string[]): string[] {
  const { requestFields } = binding.definition.mapping;
  return requestFields ? requestFields(request, written) : [...written];
}

/** What to throw when request `index` of a patch failed. */
function failure(
  binding: AnyBinding,
  requests: readonly VendorRequest[],
  written: string[],
  applied: AppliedRequest[] | undefined,
  index: number,
  thrown: unknown,
  passthrough: Record<string, unknown> | undefined,
): unknown {
  const request = requests[index] as VendorRequest;
  const provider = binding.definition.name;
  // The client refused the request before sending it: name the caller's fields.
  const error =
    thrown instanceof ValidationError &&
    thrown.operation === request.operation &&
    thrown.fieldErrors.length > 0
      ? translateClientValidation(compiledOf(binding.definition), thrown, passthrough)
      : thrown;
  // A later request failed after earlier ones went through: say what the vendor now holds
  // (`update` sends a second request only to a provider with `partialUpdate`).
  const { partialUpdate } = binding.definition;
  if (applied === undefined || applied.length === 0 || partialUpdate === undefined) return error;
  return partialUpdate({
    provider,
    applied,
    failedOperation: request.operation,
    notWritten: requests.slice(index).flatMap((r) => fieldsOf(binding, r, written)),
    error,
  });
}

export {
  type AppliedRequest,
  type PartialFailure,
  PartialUpdateError,
  partialUpdateError,
} from "./errors.js";
export type {
  FieldCapability,
  FieldProblem,
  ProblemCode,
  ProviderCapabilities,
  UnsupportedPolicy,
  VendorRequest,
} from "./mapping.js";
export * from "./model.js";
export * from "./names.js";
export type { Normalization } from "./normalize.js";
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
export { describeRefused } from "./refusal.js";
export type {
  EverywhereResult,
  ProviderOutcome,
  RawExchange,
  UpdatePlan,
  UpdateResult,
} from "./results.js";
export { closestName } from "./suggest.js";
export type { PatchArgument, PatchFor, SupportedField } from "./types.js";
export { type ValueFormat, valueFormat } from "./validators.js";
