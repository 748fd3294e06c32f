export { validateRequest } from "./call.js";
export * from "./client.js";
export * from "./errors.js";
export { credentialFingerprint } from "./fingerprint.js";
export { isIsoDate, isUuid } from "./formats.js";
export {
  createRateLimitGate,
  type FlexibleLimiter,
  limiterShape,
  type RateLimitGate,
  type RateLimitOptions,
  requestedPauseMs,
  spentQuotaMs,
} from "./rate-limit/index.js";
export { REDACTED, redactHeaders, redactText, redactUrl, registerSecrets } from "./redact.js";
export type {
  ResponseHooks,
  ResponseMismatchEvent,
  ResponseValidationMode,
} from "./response-check.js";
export * from "./serializers.js";
export { isInsecureHttpUrl } from "./servers.js";
export * from "./transport/index.js";
export {
  fieldAt,
  type OperationValidation,
  type Schema,
  sensitiveValues,
  type ValidationTable,
  validateValue,
} from "./validate.js";
export {
  type ErrorShapeReader,
  enfuceError,
  odataError,
  parseVendorError,
  strapiError,
  type VendorErrorInfo,
  type VendorErrorParser,
  vendorErrorParser,
} from "./vendor-error.js";
