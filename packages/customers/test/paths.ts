import { fileURLToPath } from "node:url";
export const CAPABILITIES_FILE_PATH = fileURLToPath(
  new URL("../../../docs/capabilities.md", import.meta.url),
);
