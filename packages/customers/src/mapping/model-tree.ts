/** The customer model as a tree of fields, built once from MODEL_FIELDS, each with its own check. */
import { MODEL_FIELDS } from "../model.js";
import { MODEL_VALIDATORS } from "../validators.js";

export interface ModelNode {
  readonly key: string;
  readonly path: string;
  readonly children: Record<string, ModelNode> | undefined;
  readonly validate: ((value: unknown) => string | undefined) | undefined;
}

function buildModelTree(): Record<string, ModelNode> {
  type Mutable = { key: string; path: string; children?: Record<string, Mutable> };
  const root: Record<string, Mutable> = {};
  for (const field of MODEL_FIELDS) {
    const parts = field.split(".");
    let level = root;
    let path = "";
    for (let i = 0; i < parts.length; i++) {
      const key = parts[i] as string;
      path = path ? `${path}.${key}` : key;
      let node = level[key];
      if (!node) {
        node = { key, path };
        level[key] = node;
      }
      if (i < parts.length - 1) {
        node.children ??= {};
        level = node.children;
      }
    }
  }
  const freeze = (m: Record<string, Mutable>): Record<string, ModelNode> => {
    const out: Record<string, ModelNode> = Object.create(null);
    for (const [k, n] of Object.entries(m)) {
      out[k] = {
        key: n.key,
        path: n.path,
        children: n.children ? freeze(n.children) : undefined,
        validate: MODEL_VALIDATORS[n.path],
      };
    }
    return out;
  };
  return freeze(root);
}

export const MODEL_TREE = buildModelTree();
