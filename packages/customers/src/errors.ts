/** Errors of the facade itself (the vendor calls' errors are @custkit/runtime's `CustkitError`s). */
import { CustkitError, InternalError } from "@custkit/runtime";

/** A vendor request of an `update` that the vendor accepted. */
export interface AppliedRequest {
  /** The client method called. */
  operation: string;
  /** The vendor's HTTP status. */
  status: number;
  /** Model fields (and `passthrough.<key>`) this request wrote. */
  fields: string[];
}

/**
 * A patch that needs several vendor requests (Enfuce: PATCH, then DELETE_TEMPORARY_ADDRESS) failed
 * after at least one request went through: the vendor holds part of the change. `applied` and
 * `written` say what went through, `notWritten` what did not; `cause` is the failed request's error,
 * whose kind, status, vendor code, field errors, request id and retryability this error repeats.
 */
export class PartialUpdateError extends CustkitError {
  readonly partial = true as const;
  /** The requests the vendor accepted, in order. */
  readonly applied: AppliedRequest[];
  /** Model fields the vendor accepted. */
  readonly written: string[];
  /** Model fields of the failed request and of the requests not sent after it. */
  readonly notWritten: string[];
  /** The client method that failed. */
  readonly failedOperation: string;

  constructor(init: {
    provider: string;
    applied: AppliedRequest[];
    failedOperation: string;
    notWritten: string[];
    cause: CustkitError;
  }) {
    const { cause } = init;
    const written = init.applied.flatMap((a) => a.fields);
    const done = init.applied.map((a) => a.operation).join(", ");
    super({
      kind: cause.kind,
      provider: init.provider,
      operation: init.failedOperation,
      message: `${init.provider}: partial update: ${done} applied (${written.join(", ") || "no field"}), then ${init.failedOperation} failed (${init.notWritten.join(", ") || "no field"} not written): ${cause.message}`,
      status: cause.status,
      vendorCode: cause.vendorCode,
      vendorMessage: cause.vendorMessage,
      fieldErrors: cause.fieldErrors,
      requestId: cause.requestId,
      retryable: cause.retryable,
      cause,
    });
    this.applied = init.applied;
    this.written = written;
    this.notWritten = init.notWritten;
    this.failedOperation = init.failedOperation;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      partial: true,
      applied: this.applied,
      written: this.written,
      notWritten: this.notWritten,
      failedOperation: this.failedOperation,
    };
  }
}

/** A request of a patch that failed after earlier ones went through. */
export interface PartialFailure {
  provider: string;
  applied: AppliedRequest[];
  failedOperation: string;
  notWritten: string[];
  /** What the failed request threw. */
  error: unknown;
}

/**
 * The `PartialUpdateError` for a failure after earlier requests went through. Providers whose patch
 * may need several requests pass it to the facade (`ProviderDefinition.partialUpdate`), so other
 * providers' bundles do not carry it.
 */
export function partialUpdateError({ error, ...failure }: PartialFailure): PartialUpdateError {
  const cause =
    error instanceof CustkitError
      ? error
      : new InternalError({
          provider: failure.provider,
          operation: failure.failedOperation,
          message: `${failure.provider}: unexpected failure`,
          cause: error,
        });
  return new PartialUpdateError({ ...failure, cause });
}
