/** The ValidationError for a bad option or argument, named after the provider. */
import { ValidationError } from "./errors.js";

export function invalid(provider: string, message: string, operation?: string): ValidationError {
  return new ValidationError({ provider, operation, message: `${provider}: ${message}` });
}
