/**
 * The normalised customer model. `CustomerPatch` is what callers send; `Customer` is what a
 * vendor's answer is read back into.
 *
 * Patch semantics (design principle 3): a field that is omitted (or `undefined`) is left
 * unchanged and never sent; `null` clears the field where the vendor can clear it; a value sets it.
 *
 * Canonical encodings: countries are ISO 3166-1 alpha-2 ("GB"), dates ISO 8601 ("1990-01-31"),
 * phones E.164 ("+447911123456"). Vendor encodings live only in the vendor's mapper.
 */

export type CustomerKind = "individual" | "business";
export type Gender = "female" | "male" | "unknown";
export type MaritalStatus = "single" | "married" | "separated" | "widowed";
export type EmploymentStatus =
  | "employed"
  | "homemaker"
  | "retired"
  | "self_employed"
  | "student"
  | "unemployed";
export type GovernmentIdType =
  | "passport"
  | "driver_license"
  | "residence_permit"
  | "national_id"
  | "state_or_provincial_id";
/** `ssn` (US), `sin` (CA), `ein` (US employer number), or any other scheme name (`tin`, `vat`…). */
export type TaxNumberType = "ssn" | "sin" | "ein" | (string & {});

/** A value to set, `null` to clear, or omitted to leave unchanged. */
export type Patchable<T> = T | null;

export interface NamePatch {
  given?: Patchable<string>;
  middle?: Patchable<string>;
  family?: Patchable<string>;
  /** The whole name as displayed ("Jane Q. Doe"). */
  full?: Patchable<string>;
}

export interface AddressPatch {
  /** Street lines, first line first (1 to 4 lines). */
  lines?: Patchable<string[]>;
  neighbourhood?: Patchable<string>;
  city?: Patchable<string>;
  /** State, province, county. */
  region?: Patchable<string>;
  postalCode?: Patchable<string>;
  /** ISO 3166-1 alpha-2. */
  country?: Patchable<string>;
}

export interface GovernmentId {
  type: GovernmentIdType;
  number: string;
  /** ISO 3166-1 alpha-2. */
  issuingCountry?: string;
}

export interface TaxNumber {
  type?: TaxNumberType;
  number: string;
  /** ISO 3166-1 alpha-2. */
  issuingCountry?: string;
}

export interface PortalCredentialsPatch {
  username?: Patchable<string>;
  /** Secret: never shown in errors, warnings or results. */
  password?: Patchable<string>;
}

export interface BusinessPatch {
  legalName?: Patchable<string>;
  registrationNumber?: Patchable<string>;
  taxNumber?: Patchable<string>;
  website?: Patchable<string>;
  /** ISO date. */
  formationDate?: Patchable<string>;
  description?: Patchable<string>;
  address?: Patchable<AddressPatch>;
}

export interface CustomerPatch {
  /** Individual or business. Selects Enfuce's role and Align's body; LoanPro stores it. */
  kind?: CustomerKind;
  name?: NamePatch;
  email?: Patchable<string>;
  /** E.164, e.g. "+447911123456". */
  phone?: Patchable<string>;
  /** ISO date, "YYYY-MM-DD". */
  birthDate?: Patchable<string>;
  gender?: Patchable<Gender>;
  maritalStatus?: Patchable<MaritalStatus>;
  /** ISO 3166-1 alpha-2. */
  nationality?: Patchable<string>;
  /** ISO 3166-1 alpha-2. */
  birthCountry?: Patchable<string>;
  /** Residential address. */
  address?: Patchable<AddressPatch>;
  /** Temporary (e.g. forwarding) address; `null` removes it where the vendor can. */
  temporaryAddress?: Patchable<AddressPatch>;
  /** Secret (its number): never shown in errors or warnings. */
  governmentId?: Patchable<GovernmentId>;
  /** Secret (its number): never shown in errors or warnings. */
  taxNumber?: Patchable<TaxNumber>;
  occupation?: Patchable<string>;
  employmentStatus?: Patchable<EmploymentStatus>;
  /** Lifecycle status as the vendor names it ("Active", "Lead"). */
  status?: Patchable<string>;
  /** The caller's own id for this customer. */
  externalReference?: Patchable<string>;
  /** Self-service portal login. */
  portal?: PortalCredentialsPatch;
  business?: BusinessPatch;
}

/** A customer as read back from a vendor's answer: only what the vendor returned. */
export interface Customer {
  id?: string;
  kind?: CustomerKind;
  name?: { given?: string; middle?: string; family?: string; full?: string };
  email?: string;
  phone?: string;
  birthDate?: string;
  gender?: Gender;
  maritalStatus?: MaritalStatus;
  nationality?: string;
  birthCountry?: string;
  address?: {
    lines?: string[];
    neighbourhood?: string;
    city?: string;
    region?: string;
    postalCode?: string;
    country?: string;
  };
  status?: string;
  externalReference?: string;
  portal?: { username?: string };
  business?: { legalName?: string };
  createdAt?: string;
  updatedAt?: string;
}

/**
 * Every field path of the model, for tables, docs and validation. A path names a leaf
 * (`name.given`) or a field taken as a whole (`governmentId`, `address.lines`).
 */
export const MODEL_FIELDS = [
  "kind",
  "name.given",
  "name.middle",
  "name.family",
  "name.full",
  "email",
  "phone",
  "birthDate",
  "gender",
  "maritalStatus",
  "nationality",
  "birthCountry",
  "address.lines",
  "address.neighbourhood",
  "address.city",
  "address.region",
  "address.postalCode",
  "address.country",
  "temporaryAddress.lines",
  "temporaryAddress.neighbourhood",
  "temporaryAddress.city",
  "temporaryAddress.region",
  "temporaryAddress.postalCode",
  "temporaryAddress.country",
  "governmentId",
  "taxNumber",
  "occupation",
  "employmentStatus",
  "status",
  "externalReference",
  "portal.username",
  "portal.password",
  "business.legalName",
  "business.registrationNumber",
  "business.taxNumber",
  "business.website",
  "business.formationDate",
  "business.description",
  "business.address.lines",
  "business.address.neighbourhood",
  "business.address.city",
  "business.address.region",
  "business.address.postalCode",
  "business.address.country",
] as const;

export type ModelField = (typeof MODEL_FIELDS)[number];

/**
 * Where a patch carries a secret (dotted paths to string values): never echoed in messages,
 * redacted by the CLI. The one list; `SECRET_FIELDS` is derived from it.
 */
export const SECRET_VALUE_PATHS = [
  "portal.password",
  "governmentId.number",
  "taxNumber.number",
  "business.taxNumber",
] as const;

/** Model fields whose values are (or hold) secrets. */
export const SECRET_FIELDS: ReadonlySet<string> = new Set(
  SECRET_VALUE_PATHS.map(
    (path) => MODEL_FIELDS.find((field) => path === field || path.startsWith(`${field}.`)) ?? path,
  ),
);

/** Whether a field is secret or part of a secret group (`governmentId.number`). */
export function isSecretField(field: string): boolean {
  for (const secret of SECRET_FIELDS)
    if (field === secret || field.startsWith(`${secret}.`)) return true;
  return false;
}
