/**
 * `createApiClient(definition, options, validation)`: a client that can send every body media
 * type the runtime knows (JSON, form, XML) and reads every vendor error shape. Generated clients
 * call `createApiClientCore` instead, with only the serializers and error shapes their spec needs
 * (see `core.ts`); this entry is for hand-written definitions.
 */
import { buildClient } from "./core.js";
import { serializeQuery } from "./params.js";
import { serializeForm, serializeXml } from "./serializers.js";
import type { ApiClient, ApiClientOptions, ApiDefinition } from "./types.js";
import type { ValidationTable } from "./validate.js";
import { parseVendorError } from "./vendor-error.js";

export { resolveAuthHeaders } from "./auth.js";
export { type ClientParts, createApiClientCore, type ExtraSerializers } from "./core.js";
export { serializeQuery } from "./params.js";
export { createRawClient } from "./raw.js";
export { PlainRequest } from "./request.js";
export { errorFromResponse } from "./response.js";
export { resolveBaseUrl } from "./servers.js";
export type * from "./types.js";

export function createApiClient(
  definition: ApiDefinition,
  options: ApiClientOptions,
  validation: ValidationTable = {},
): ApiClient {
  return buildClient(definition, options, {
    validation,
    parseError: parseVendorError,
    form: serializeForm,
    xml: serializeXml,
    query: serializeQuery,
  });
}
