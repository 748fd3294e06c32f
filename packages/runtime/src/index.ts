export * from "./errors.js";
export { redactHeaders, redactText, registerSecrets } from "./redact.js";
