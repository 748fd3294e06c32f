export * from "./client.js";
export * from "./errors.js";
export { redactHeaders, redactText, registerSecrets } from "./redact.js";
export * from "./serializers.js";
export { parseVendorError, type VendorErrorInfo } from "./vendor-error.js";
