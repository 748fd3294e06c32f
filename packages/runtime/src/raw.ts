/**
 * `createRawClient(definition, options)`: the openapi-fetch client of a provider, with the same
 * auth, client headers and transport (retries, timeouts, bounded bodies, redacted hooks) as its
 * custkit client, for what the generated methods do not cover (middleware, other paths). A
 * separate factory (each generated package exports `create<P>RawClient`), so a client that does
 * not use it does not bundle openapi-fetch's `createClient`. Middleware sees a `PlainRequest`
 * (see request.ts).
 */
import createClient from "openapi-fetch";
import { PlainRequest } from "./request.js";
import { resolveClient } from "./resolve.js";
import type {
  ApiClientOptions,
  ApiDefinition,
  GeneratedClientOptions,
  RawClient,
} from "./types.js";

const IDEMPOTENT_METHODS = ["GET", "HEAD", "OPTIONS", "PUT", "DELETE"];

export function createRawClient<Paths extends object>(
  definition: ApiDefinition,
  options: GeneratedClientOptions | ApiClientOptions,
): RawClient<Paths> {
  const { provider } = definition;
  const { baseUrl, headers, transport } = resolveClient(definition, options as ApiClientOptions);
  return createClient<Paths>({
    baseUrl,
    headers,
    // Plain fields instead of a web Request: no body stream to read back (see request.ts).
    Request: PlainRequest as unknown as typeof Request,
    fetch: (request: Request) =>
      transport(request as unknown as PlainRequest, {
        provider,
        operation: "raw",
        idempotent: IDEMPOTENT_METHODS.includes(request.method),
      }),
  }) as RawClient<Paths>;
}
