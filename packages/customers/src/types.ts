/**
 * Compile-time patch types, derived from the providers' rule tables: a field a provider cannot
 * take is a type error when the provider is known statically.
 */
import type { CustomerKind, CustomerPatch } from "./model.js";
import type { ProviderName, RuleTables } from "./names.js";

type Head<P extends string> = P extends `${infer H}.${string}` ? H : P;
type Rest<P extends string, K extends string> = P extends `${K}.${infer R}` ? R : never;

/** The part of T reachable by the dotted paths P (whole values) and C (null only). */
export type DeepPick<T, P extends string, C extends string = never> = {
  [K in keyof T & string as K extends Head<P> | Head<C> ? K : never]?: K extends P
    ? T[K]
    :
        | (K extends C ? null : never)
        | ([Rest<P, K>] extends [never]
            ? never
            : DeepPick<NonNullable<T[K]>, Rest<P, K>, Rest<C, K>>);
} & {
  /** Fields the provider cannot take: present only to make them a type error. */
  [K in Exclude<keyof T & string, Head<P> | Head<C>>]?: never;
};

type RulesOf<P extends ProviderName> = RuleTables[P][number];

/** Paths writable for a kind: rules without `kinds`, or whose kinds include K. */
type ValuePaths<R, K extends CustomerKind> = R extends { field: infer F extends string }
  ? R extends { group: "clear" }
    ? never
    : R extends { kinds: readonly (infer KK)[] }
      ? K extends KK
        ? F
        : never
      : F
  : never;
type ClearPaths<R> = R extends { field: infer F extends string; group: "clear" } ? F : never;

type PatchForKind<P extends ProviderName, K extends CustomerKind> = DeepPick<
  CustomerPatch,
  ValuePaths<RulesOf<P>, K>,
  ClearPaths<RulesOf<P>>
> &
  ("kind" extends ValuePaths<RulesOf<P>, K> ? { kind?: K } : unknown);

/** The patch a provider accepts: for kind-aware providers, one branch per kind. */
export type PatchFor<P extends ProviderName> = {
  [K in CustomerKind]: PatchForKind<P, K>;
}[CustomerKind];

type IsUnion<T, U = T> = T extends unknown ? ([U] extends [T] ? false : true) : never;

/**
 * The patch `update` and `plan` take: `PatchFor<P>` when the provider is known statically (one
 * name), any `CustomerPatch` when it is known only at run time (a `ProviderName` variable, e.g.
 * parsed input) — checked while mapping, as every patch is.
 */
export type PatchArgument<P extends ProviderName> =
  true extends IsUnion<P> ? CustomerPatch : PatchFor<P>;

/** The model fields (dotted paths) a provider maps. */
export type SupportedField<P extends ProviderName> = ValuePaths<RulesOf<P>, CustomerKind>;
