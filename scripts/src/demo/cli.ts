/** `pnpm start` (after the build): run the demo; exit 1 when any provider failed. */
import { runDemo } from "./demo.js";
import { nextStepsText } from "./next-steps.js";

try {
  const { ok } = await runDemo();
  if (!ok) console.error("\nAt least one provider failed (see the tables above).");
  else console.log(`\n${nextStepsText()}`);
  process.exitCode = ok ? 0 : 1;
} catch (error) {
  console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
