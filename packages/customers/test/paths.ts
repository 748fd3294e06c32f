import { fileURLToPath } from "node:url";
export const CONSTRAINTS_FILE_PATH = fileURLToPath(
  new URL("../src/generated/constraints.ts", import.meta.url),
);
export const CAPABILITIES_FILE_PATH = fileURLToPath(
  new URL("../../../docs/capabilities.md", import.meta.url),
);
