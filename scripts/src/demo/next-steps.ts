/** What `pnpm start` suggests after the demo: two commands of the built CLI that work as shown. */
export const NEXT_STEPS: readonly (readonly string[])[] = [
  ["providers", "align"],
  ["update", "-p", "nuweb", "-i", "123", "--set", "phone=+44 7911 123456", "--dry-run"],
];

/** Shell quoting for display: arguments with spaces or shell characters in single quotes. */
const shown = (arg: string) => (/^[\w.,:/=@-]+$/.test(arg) ? arg : `'${arg}'`);

/** The two lines printed after the demo. */
export function nextStepsText(): string {
  const [first, second] = NEXT_STEPS.map(
    (args) => `node packages/cli/dist/cli.js ${args.map(shown).join(" ")}`,
  );
  return `Next: ${first}   (formats, environments, what a provider takes)\n      ${second}   (a dry run; the phone is normalised)`;
}
