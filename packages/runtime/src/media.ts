/**
 * Request media types: which one a call sends, which serializer writes it, which constraint tree
 * checks it. JSON is built in; form and XML serializers are handed in by the generated clients
 * whose spec declares those media types, so other clients do not carry them.
 */
import { HEADER_VALUE } from "./headers.js";
import { invalid } from "./invalid.js";
import {
  type BodySerializer,
  baseMediaType,
  isFormMediaType,
  isJsonMediaType,
  isXmlMediaType,
  JSON_MEDIA_TYPE,
  serializeJson,
} from "./serializers.js";
import type { OperationDefinition } from "./types.js";
import type { OperationValidation, Schema } from "./validate.js";

/**
 * Serializers beyond JSON bodies and path parameters, handed in by the clients that need them:
 * form and XML bodies (`serializeForm`, `serializeXml`), query strings (`serializeQuery`).
 */
export interface ExtraSerializers {
  form?: (body: unknown, provider: string) => string;
  xml?: (body: unknown, root: string, provider: string) => string;
  query?: (query: Record<string, unknown>) => string;
}

export function pickContentType(
  provider: string,
  name: string,
  op: OperationDefinition,
  asked: string | undefined,
): string {
  if (asked === undefined) {
    return op.mediaTypes.find((m) => isJsonMediaType(m)) ?? op.mediaTypes[0] ?? JSON_MEDIA_TYPE;
  }
  if (typeof asked !== "string" || !HEADER_VALUE.test(asked))
    throw invalid(provider, `option "contentType" is not a valid media type`, name);
  if (
    op.mediaTypes.length > 0 &&
    !op.mediaTypes.some((m) => baseMediaType(m) === baseMediaType(asked))
  ) {
    throw invalid(
      provider,
      `operation ${name} does not take content type "${asked}"; it takes ${op.mediaTypes.map((m) => `"${m}"`).join(", ")}`,
      name,
    );
  }
  return asked;
}

export function serializerFor(
  provider: string,
  name: string,
  op: OperationDefinition,
  contentType: string,
  extra: ExtraSerializers,
): BodySerializer {
  const { form, xml } = extra;
  if (form && isFormMediaType(contentType)) return (body) => form(body, provider);
  if (xml && isXmlMediaType(contentType))
    return (body) => xml(body, op.xmlRoot ?? "item", provider);
  if (isJsonMediaType(contentType)) return serializeJson;
  throw invalid(provider, `no serializer for content type "${contentType}"`, name);
}

export function findBodySchema(
  validation: OperationValidation | undefined,
  contentType: string,
): Schema | undefined {
  const body = validation?.body;
  if (!body) return undefined;
  if (Object.hasOwn(body, contentType)) return body[contentType];
  const base = baseMediaType(contentType);
  for (const media in body) if (baseMediaType(media) === base) return body[media];
  return undefined;
}
