/**
 * `createApiClientCore(definition, options, parts)`: the engine under every generated
 * `create<P>Client`. The generated package supplies a `definition` (environments, auth schemes,
 * client headers, operations), its `parts` (constraint trees, error-body reader, the serializers
 * its spec needs) and the precise types; this file resolves the options once (`resolve.ts`:
 * auth, base URL, client headers, transport) and builds one method per operation (`call.ts`).
 * The openapi-fetch client is a separate factory (`raw.ts`).
 *
 * Every HTTP request leaves through one transport per client (`./transport`): retries, per-attempt
 * and total timeouts, the caller's AbortSignal, bounded bodies and redacted hooks live there.
 */
import { operationMethod, operationValidator } from "./call.js";
import type { ExtraSerializers } from "./media.js";
import { resolveClient } from "./resolve.js";
import { responseChecker } from "./response-check.js";
import type {
  ApiClient,
  ApiClientOptions,
  ApiDefinition,
  GeneratedClient,
  GeneratedClientOptions,
  OmittedHeadersOf,
} from "./types.js";
import type { ValidationTable } from "./validate.js";
import type { VendorErrorParser } from "./vendor-error.js";

export type { ExtraSerializers } from "./media.js";

/**
 * What a generated package hands in beside its definition: each operation's constraints
 * (`validation`), the reader of its vendor's error bodies (`parseError`), the form / XML
 * writers its media types need (JSON is built in) and the query serializer when its operations
 * take query parameters, so a client bundles only what it uses.
 */
export interface ClientParts extends ExtraSerializers {
  validation: ValidationTable;
  parseError: VendorErrorParser;
}

/**
 * Build a generated package's client: one method per operation of `definition`, typed from the
 * spec's `paths` (the generated `<P>Client` interface must equal that type).
 */
export function createApiClientCore<
  Paths extends object,
  const D extends ApiDefinition,
  Omitted extends OmittedHeadersOf<D>,
>(
  definition: D,
  options: GeneratedClientOptions | ApiClientOptions,
  parts: ClientParts,
): GeneratedClient<Paths, D, Omitted> {
  // The methods are made by name at run time: this is where they meet their types.
  return buildClient(definition, options as ApiClientOptions, parts) as unknown as GeneratedClient<
    Paths,
    D,
    Omitted
  >;
}

/** One method per operation of `definition` (the untyped form, for hand-written definitions). */
export function buildClient(
  definition: ApiDefinition,
  options: ApiClientOptions,
  parts: ClientParts,
): ApiClient {
  const { validation, parseError } = parts;
  const { provider } = definition;
  const { baseUrl, headers, transport, secrets } = resolveClient(definition, options);
  const state = {
    provider,
    baseUrl,
    headers: lowerCased(headers),
    transport,
    secrets,
    validating: options.validate !== false,
    serializers: parts,
    parseError,
    checkResponse: responseChecker(provider, options.validateResponses, options.hooks),
    paths: new Map(),
  };
  const client: ApiClient = {
    definition,
    baseUrl,
    validate: operationValidator(state, definition.operations, validation),
  };
  for (const name in definition.operations) {
    const op = definition.operations[name];
    if (op && Object.hasOwn(definition.operations, name))
      client[name] = operationMethod(state, name, op, validation[name]);
  }
  return client;
}

/** Header names are case-insensitive: one spelling, so a later header replaces an earlier one. */
function lowerCased(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(headers)) out[name.toLowerCase()] = headers[name] as string;
  return out;
}
