/** What a provider can write and clear, from its compiled table (the capability matrix's source). */
import type { CustomerKind } from "../model.js";
import { MODEL_FIELDS, SECRET_FIELDS } from "../model.js";
import type { CompiledMapping } from "./compile.js";
import type { Rule } from "./rules.js";

export interface FieldCapability {
  field: string;
  supported: boolean;
  /** Vendor target(s), as shown in the docs. */
  target?: string;
  clear: "yes" | "no";
  kinds?: readonly CustomerKind[];
  note?: string;
  secret?: boolean;
}

export interface ProviderCapabilities {
  provider: string;
  operations: readonly string[];
  fields: FieldCapability[];
  notes: readonly string[];
}

export function describeCapabilities(compiled: CompiledMapping): ProviderCapabilities {
  const { mapping, rulesByField } = compiled;
  const fields: FieldCapability[] = [];
  const clearable = (rule: Rule): boolean => {
    if (rule.clear === false) return false;
    if (rule.clear !== undefined) return true;
    return rule.to.length > 0 && rule.to.every((t) => compiled.nullable(t));
  };
  for (const field of MODEL_FIELDS) {
    let rule = rulesByField.get(field);
    let viaGroup: Rule | undefined;
    if (rule === undefined) {
      const parts = field.split(".");
      for (let i = parts.length - 1; i > 0 && !viaGroup; i--) {
        const g = rulesByField.get(parts.slice(0, i).join("."));
        if (g !== undefined && g.group !== "clear" && !g.except?.includes(parts.slice(i).join(".")))
          viaGroup = g;
        else if (g !== undefined && g.group !== "clear") break;
      }
    }
    rule ??= viaGroup;
    const secret = SECRET_FIELDS.has(field) || undefined;
    if (rule === undefined) {
      fields.push({ field, supported: false, clear: "no", ...(secret ? { secret } : {}) });
      continue;
    }
    const cap: FieldCapability = {
      field,
      supported: true,
      target: rule.docs ?? rule.to.join(", "),
      clear: clearable(rule) ? "yes" : "no",
    };
    if (rule.kinds) cap.kinds = rule.kinds;
    if (rule.note) cap.note = rule.note;
    if (secret) cap.secret = true;
    fields.push(cap);
  }
  // Group-level clears (e.g. Enfuce temporaryAddress: null).
  for (const rule of mapping.rules) {
    if (rule.group === "clear") {
      fields.push({
        field: `${rule.field} (whole, null)`,
        supported: true,
        target: rule.docs ?? "",
        clear: "yes",
        ...(rule.note ? { note: rule.note } : {}),
      });
    }
  }
  return {
    provider: mapping.provider,
    operations: mapping.operations,
    fields,
    notes: mapping.notes ?? [],
  };
}
