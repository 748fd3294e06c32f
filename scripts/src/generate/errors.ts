/** A generation failure that names the file, the JSON pointer inside it and the reason. */
export class GenerateError extends Error {
  constructor(
    readonly file: string,
    readonly pointer: string,
    readonly reason: string,
  ) {
    super(`${file}${pointer ? `#${pointer}` : ""}: ${reason}`);
    this.name = "GenerateError";
  }
}

/** Several failures at once (every broken spec is reported, not just the first). */
export class GenerateErrors extends Error {
  constructor(readonly errors: GenerateError[]) {
    super(errors.map((e) => e.message).join("\n"));
    this.name = "GenerateErrors";
  }
}

export function escapePointer(segment: string | number): string {
  return String(segment).replace(/~/g, "~0").replace(/\//g, "~1");
}

export function pointer(...segments: (string | number)[]): string {
  return segments.map((s) => `/${escapePointer(s)}`).join("");
}
