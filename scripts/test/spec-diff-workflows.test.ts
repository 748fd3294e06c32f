/** The GitHub workflows parse, pin their actions and call only package scripts that exist. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const ROOT = join(import.meta.dirname, "../..");
const WORKFLOWS = join(ROOT, ".github/workflows");
const rootScripts = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts as Record<
  string,
  string
>;
/** `${{ env.NAME }}`, the workflow expression (spelt out so it is not read as a template). */
const envExpr = (name: string) => ["$", "{{ env.", name, " }}"].join("");
const PNPM_BUILTINS = new Set(["install", "exec", "dlx", "run"]);

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
  if?: string;
}
const load = (f: string) =>
  parse(readFileSync(join(WORKFLOWS, f), "utf8")) as {
    on: unknown;
    permissions?: Record<string, string>;
    jobs: Record<string, { steps: Step[] }>;
  };
const steps = (f: string) => Object.values(load(f).jobs).flatMap((j) => j.steps);

/** Every `pnpm <script>` in run: lines and in action inputs (changesets' version/publish). */
function pnpmScripts(f: string): string[] {
  const texts = steps(f).flatMap((s) => [s.run ?? "", ...Object.values(s.with ?? {}).map(String)]);
  return texts.flatMap((t) =>
    [...t.matchAll(/(?:^|[\s;&|(])pnpm\s+([a-z][\w:-]*)/g)].map((m) => m[1] as string),
  );
}

describe("GitHub workflows", () => {
  const files = readdirSync(WORKFLOWS).filter((f) => f.endsWith(".yml"));

  it("are ci, regenerate and release", () => {
    expect(files.sort()).toEqual(["ci.yml", "regenerate.yml", "release.yml"]);
  });

  it.each(files)("%s calls only scripts defined in package.json", (f) => {
    const called = pnpmScripts(f).filter((s) => !PNPM_BUILTINS.has(s));
    expect(called.length).toBeGreaterThan(0);
    for (const s of called) expect(rootScripts, `${f} calls pnpm ${s}`).toHaveProperty([s]);
  });

  it.each(files)("%s pins every action to a full version", (f) => {
    for (const s of steps(f))
      if (s.uses) expect(s.uses).toMatch(/^[\w.-]+\/[\w.-]+@(v\d+\.\d+\.\d+|[0-9a-f]{40})$/);
  });

  it("ci runs the full gate on Node 20 from the lockfile", () => {
    const runs = steps("ci.yml").map((s) => s.run ?? "");
    for (const cmd of [
      "pnpm install --frozen-lockfile",
      "pnpm generate --check",
      "pnpm build",
      "pnpm typecheck",
      "pnpm test",
    ]) {
      expect(runs).toContain(cmd);
    }
    expect(
      steps("ci.yml").find((s) => s.uses?.startsWith("actions/setup-node"))?.with?.["node-version"],
    ).toBe(20);
  });

  it("regenerate runs on specs/ pushes, weekly and by hand, and opens a PR with the changeset", () => {
    const on = load("regenerate.yml").on as Record<string, any>;
    expect(on.push.paths).toEqual(["specs/**"]);
    expect(on.schedule[0].cron).toMatch(/^\S+ \S+ \* \* \d$/);
    expect(on).toHaveProperty("workflow_dispatch");
    const all = steps("regenerate.yml");
    expect(all.some((s) => s.run === "pnpm generate")).toBe(true);
    expect(all.some((s) => s.run?.includes("pnpm spec:diff --write --base"))).toBe(true);
    expect(all.some((s) => s.uses?.startsWith("peter-evans/create-pull-request@"))).toBe(true);
  });

  it("regenerate lists masked vendor changes in the pull request and holds it as a labelled draft", () => {
    const all = steps("regenerate.yml");
    const classify = all.find((s) => s.run?.includes("pnpm spec:diff")) as Step;
    expect(classify.run).toMatch(/pnpm spec:diff --write --base "\$BASE" --masked masked\.md/);
    // Draft and label only when the masked list is not empty.
    expect(classify.run).toMatch(
      /if \[ -s masked\.md \]; then\s+echo 'PR_DRAFT=always-true'\s+echo 'PR_LABELS=\S+'\s+else\s+echo 'PR_DRAFT=false'/,
    );
    const pr = all.find((s) => s.uses?.startsWith("peter-evans/create-pull-request@")) as Step;
    expect(pr.with).toMatchObject({
      draft: envExpr("PR_DRAFT"),
      labels: envExpr("PR_LABELS"),
    });
    expect(String(pr.with?.body)).toContain(envExpr("SPEC_MASKED"));
    // With nothing to regenerate there is no pull request: then the run itself fails.
    const last = all[all.length - 1] as Step;
    expect(all.indexOf(pr)).toBe(all.length - 2);
    expect(last.if).toContain("env.PR_DRAFT == 'always-true'");
    expect(last.if).toContain("steps.pr.outputs.pull-request-operation != 'created'");
    expect(last.run).toMatch(/exit 1\s*$/);
  });

  it("release publishes with provenance through changesets/action and `pnpm release`", () => {
    const wf = load("release.yml");
    expect(wf.permissions?.["id-token"]).toBe("write");
    const action = steps("release.yml").find((s) => s.uses?.startsWith("changesets/action@"));
    expect(action?.with?.publish).toBe("pnpm release");
    expect(action?.env?.NPM_CONFIG_PROVENANCE).toBe("true");
    expect(rootScripts.release).toMatch(/changeset publish/);
  });
});
