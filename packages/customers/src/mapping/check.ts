/**
 * The spec re-check: every request of a plan against the vendor's constraint trees (or the
 * client's own `validate`) before the first is sent, refusals named in the caller's fields.
 */
import { type FieldError, ValidationError, validateRequest } from "@custkit/runtime";
import { translateClientValidation } from "../client-errors.js";
import type { CompiledMapping } from "./compile.js";
import type { VendorRequest } from "./rules.js";

/**
 * Every request against the vendor's spec, before any is sent (`check`, default: the provider's
 * constraint trees): what is found is thrown as one ValidationError in the caller's fields.
 */
export function checkRequests(
  compiled: CompiledMapping,
  requests: readonly VendorRequest[],
  check: ((request: VendorRequest) => FieldError[]) | undefined,
  passthrough: Record<string, unknown> | undefined,
): void {
  const { provider, validation } = compiled.mapping;
  let refused: FieldError[] | undefined;
  let refusedOperation: string | undefined;
  for (const request of requests) {
    const found = check
      ? check(request)
      : validateRequest(
          Object.hasOwn(validation, request.operation) ? validation[request.operation] : undefined,
          { params: request.params, body: request.body },
          request.contentType,
        );
    if (found.length === 0) continue;
    refused ??= [];
    refusedOperation ??= request.operation;
    refused.push(...found);
  }
  if (refused !== undefined) {
    throw translateClientValidation(
      compiled,
      new ValidationError({
        provider,
        operation: refusedOperation,
        message: `${provider} ${refusedOperation}: invalid request`,
        fieldErrors: refused,
      }),
      passthrough ?? undefined,
    );
  }
}
