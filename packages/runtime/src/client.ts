/**
 * `createApiClient(definition, options, validation)`: a client that can send every body media
 * type the runtime knows (JSON, form, XML). Generated clients call `createApiClientCore` instead,
 * with only the serializers their spec needs (see `core.ts`); this entry is for hand-written
 * definitions.
 */
import { createApiClientCore } from "./core.js";
import { serializeForm, serializeXml } from "./serializers.js";
import type { ApiClient, ApiClientOptions, ApiDefinition } from "./types.js";
import type { ValidationTable } from "./validate.js";

export { resolveAuthHeaders } from "./auth.js";
export { createApiClientCore, type ExtraSerializers } from "./core.js";
export { PlainRequest } from "./request.js";
export { errorFromResponse } from "./response.js";
export { resolveBaseUrl } from "./servers.js";
export type * from "./types.js";

const ALL_SERIALIZERS = { form: serializeForm, xml: serializeXml };

export function createApiClient<Paths extends object>(
  definition: ApiDefinition,
  options: ApiClientOptions,
  validation: ValidationTable = {},
): ApiClient<Paths> {
  return createApiClientCore<Paths>(definition, options, validation, ALL_SERIALIZERS);
}
