/** The errors for a bad argument (ValidationError) or option (ConfigurationError), named after the provider. */
import { ConfigurationError, ValidationError } from "./errors.js";

export function invalid(provider: string, message: string, operation?: string): ValidationError {
  return new ValidationError({ provider, operation, message: `${provider}: ${message}` });
}

export function misconfigured(provider: string, message: string): ConfigurationError {
  return new ConfigurationError({ provider, message: `${provider}: ${message}` });
}
