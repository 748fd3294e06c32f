/**
 * The shapes of a provider's table: one rule per model field (or per group taken as a whole),
 * the mapper around it, and the requests it builds (types only).
 */
import type { ValidationTable } from "@custkit/runtime";
import type { CustomerKind, CustomerPatch } from "../model.js";
import type { PhoneNormalizer } from "../normalize.js";

export interface VendorRequest {
  /** A generated client method name. */
  operation: string;
  params: {
    path?: Record<string, string | number>;
    query?: Record<string, string>;
    header?: Record<string, string>;
  };
  body?: unknown;
  contentType?: string;
}

export type UnsupportedPolicy = "reject" | "warn";

export type ProblemCode =
  | "unsupported"
  | "cannot_clear"
  | "invalid"
  | "too_long"
  | "pattern"
  | "enum"
  | "unknown_country"
  | "required"
  | "collision"
  | "unknown_field";

export interface FieldProblem {
  /** Path in the caller's input: `address.country`, `passthrough.locale`, `id`. */
  field: string;
  reason: string;
  code: ProblemCode;
}

/** What a rule sees while it maps one field. */
export interface MapContext<C> {
  readonly provider: string;
  readonly config: C;
  /** The customer kind this request is for (from the patch, the config or inferred). */
  readonly kind: CustomerKind | undefined;
  readonly patch: CustomerPatch;
  /** Write a vendor body field (dotted path); the request is checked against the spec when built. */
  put(vendorPath: string, value: unknown): void;
  /** Refuse the current field. */
  fail(reason: string, code?: ProblemCode): void;
  /** Refuse one named field (e.g. a part of a group). */
  failField(field: string, reason: string, code?: ProblemCode): void;
  /** A note for the result (never containing values). */
  warn(message: string): void;
  /** Raise a flag the request builder reads (e.g. Enfuce's DELETE_TEMPORARY_ADDRESS). */
  flag(name: string): void;
  /** Whether the vendor field accepts null (from the spec). */
  nullable(vendorPath: string): boolean;
}

type Shallower = [never, 0, 1, 2, 3, 4, 5];
/**
 * The dotted paths into a vendor body type (`residential_address.city`), for every branch of a
 * union; an array or a scalar ends a path. A mapper's rules are checked against its generated
 * request body with it: a vendor field the spec does not declare is a compile error.
 */
export type VendorPath<T, Depth extends number = 6> = [Depth] extends [never]
  ? never
  : T extends readonly unknown[]
    ? never
    : T extends object
      ? {
          [K in keyof T & string]-?: K | `${K}.${VendorPath<NonNullable<T[K]>, Shallower[Depth]>}`;
        }[keyof T & string]
      : never;

// biome-ignore lint/suspicious/noExplicitAny: tables of every provider share one engine type
export interface Rule<C = any, Target extends string = string> {
  /** Model field path (`name.given`) or group path taken as a whole (`name`). */
  readonly field: string;
  /**
   * Vendor body fields written, as dotted paths (`VendorPath` of the body, in a mapper's table).
   * Empty when the field selects rather than writes.
   */
  readonly to: readonly Target[];
  /** Only for customers of these kinds. */
  readonly kinds?: readonly CustomerKind[];
  /** Write a value. Default: `put(to[0], value)`. */
  // biome-ignore lint/suspicious/noExplicitAny: tables of every provider share one engine type
  readonly set?: (value: any, ctx: MapContext<C>) => void;
  /**
   * Clear (`null`). Default: write null to every `to` field when the spec marks them all
   * nullable, else refuse with `cannot_clear`. `false` always refuses.
   */
  readonly clear?: false | ((ctx: MapContext<C>) => void);
  /** `clear`: a group rule that only handles `null`; values go to the children's rules. */
  readonly group?: "clear";
  /** For a group rule: children it refuses (shown as unsupported in the capability doc). */
  readonly except?: readonly string[];
  /** How the capability doc shows the target, when `to` is not enough. */
  readonly docs?: string;
  readonly note?: string;
}

type OperationNames<Client> = {
  [K in keyof Client]: Client[K] extends (...args: never[]) => Promise<unknown> ? K : never;
}[keyof Client] &
  string;
type InitOf<Method> = Method extends (init: infer I, ...rest: never[]) => unknown ? I : never;
type ParamsOf<Init> = Init extends { params?: infer P } ? NonNullable<P> : Record<never, never>;

/**
 * A request a mapper builds for a generated client: one of its operations, with that operation's
 * parameters as the spec types them (the body is the table's, checked by `VendorPath`).
 */
export type RequestOf<Client> = {
  [K in OperationNames<Client>]: Omit<VendorRequest, "operation" | "params"> & {
    operation: K;
    params: ParamsOf<NonNullable<InitOf<Client[K]>>>;
  };
}[OperationNames<Client>];

export interface ProviderMapping<
  // biome-ignore lint/suspicious/noExplicitAny: tables of every provider share one engine type
  C = any,
  N extends string = string,
  R extends VendorRequest = VendorRequest,
> {
  readonly provider: N;
  /** The client method that takes the mapped body. */
  readonly operation: R["operation"];
  /** Every client method the mapper may call. */
  readonly operations: readonly R["operation"][];
  readonly rules: readonly Rule<C>[];
  /** The generated package's constraint trees (`<p>Validation`), by operation. */
  readonly validation: ValidationTable;
  /** Check the id; return a reason when it is not valid for the vendor. */
  validateId(id: string | number): string | undefined;
  /** The customer kind, from the patch and configuration; may record problems. */
  resolveKind?(
    patch: CustomerPatch,
    config: C,
    fail: (field: string, reason: string) => void,
  ): CustomerKind | undefined;
  /** Turn the mapped body into requests. `body` is undefined when no body field was written. */
  buildRequests(
    id: string | number,
    body: Record<string, unknown> | undefined,
    state: {
      config: C;
      kind: CustomerKind | undefined;
      flags: ReadonlySet<string>;
      fail: (field: string, reason: string) => void;
    },
  ): R[];
  /**
   * The model fields (of `written`) one of the built requests writes, for a patch that needs
   * several requests (a partial failure names what went through). Default: all of them.
   */
  requestFields?(request: R, written: readonly string[]): string[];
  /** Phones in international form with punctuation → E.164 (`normalize.ts`), by a mapper that takes a phone. */
  readonly normalizePhone?: PhoneNormalizer;
  /** Vendor notes for the capability doc. */
  readonly notes?: readonly string[];
}
