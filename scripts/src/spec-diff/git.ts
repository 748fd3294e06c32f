/** Thin git helpers (read-only): a file's text at a revision, changed paths, ref checks. */
import { execFileSync } from "node:child_process";

export class GitError extends Error {}

function git(root: string, args: string[]): string {
  try {
    return execFileSync("git", args, {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 256 * 1024 * 1024,
    });
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new GitError(`git ${args.join(" ")}: ${(e.stderr || e.message).trim()}`);
  }
}

/** Resolves `ref` to a commit id; throws GitError when it is not a commit. */
export function resolveCommit(root: string, ref: string): string {
  if (ref.startsWith("-")) throw new GitError(`not a git ref: ${ref}`);
  try {
    return git(root, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]).trim();
  } catch {
    throw new GitError(`unknown git ref: ${ref}`);
  }
}

/** Text of `relPath` at `commit`, or undefined when the file does not exist there. */
export function showFile(root: string, commit: string, relPath: string): string | undefined {
  const listed = git(root, ["ls-tree", "--name-only", commit, "--", relPath]).trim();
  if (listed === "") return undefined;
  return git(root, ["show", `${commit}:${relPath}`]);
}

/** Provider folder names under specs/ at a commit. */
export function providersAt(root: string, commit: string): string[] {
  const out = git(root, ["ls-tree", "--name-only", "-d", `${commit}:specs`].filter(Boolean));
  return out.split("\n").filter(Boolean);
}

/** Paths under specs/ that differ between `commit` and the working tree, untracked files included. */
export function changedSpecPaths(root: string, commit: string): string[] {
  const tracked = git(root, ["diff", "--name-only", commit, "--", "specs"]).split("\n");
  const untracked = git(root, ["ls-files", "--others", "--exclude-standard", "--", "specs"]).split(
    "\n",
  );
  return [...new Set([...tracked, ...untracked].filter(Boolean))].sort();
}

export function repoRoot(cwd: string): string {
  return git(cwd, ["rev-parse", "--show-toplevel"]).trim();
}
