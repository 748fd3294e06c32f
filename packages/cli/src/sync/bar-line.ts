/**
 * The bar's line and the problems above it, fitted to the terminal: cli-progress cuts a line
 * at the terminal's width (mid-word), so the line is built to fit (a narrower bar, then no bar,
 * then no zero counts) and problem text is wrapped at spaces. The ETA comes from the pairs sent
 * this run: pairs skipped on resume finish at once and would make the bar's own ETA far too short.
 */

export interface BarCounts {
  value: number;
  total: number;
  ok: number;
  failed: number;
  resumed: number;
  bad: number;
  /** Pairs sent per second this run. */
  rate: number;
}

const MAX_BAR = 20;
const MIN_BAR = 5;

/** `1h5m`, `2m30s`, `45s`, as cli-progress writes an ETA; `?` before anything was sent. */
export function formatEta(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return "?";
  const s = Math.ceil(seconds);
  if (s >= 3600) return `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m${s % 60}s`;
  return `${s}s`;
}

/** Seconds left at this run's rate; undefined until something was sent. */
export function etaSeconds(counts: BarCounts): number | undefined {
  const left = counts.total - counts.value;
  if (left <= 0) return 0;
  return counts.rate > 0 ? left / counts.rate : undefined;
}

/** The bar's line within `width` columns. */
export function barLine(counts: BarCounts, width: number): string {
  const { value, total, ok, failed, resumed, bad, rate } = counts;
  const percent = total > 0 ? Math.floor((value / total) * 100) : 0;
  const eta = `ETA ${formatEta(etaSeconds(counts))}`;
  const all = [`ok ${ok}`, `failed ${failed}`, `resumed ${resumed}`, `bad ${bad}`];
  const nonZero = all.filter((c, i) => i === 0 || !c.endsWith(" 0"));
  const room = width - 1;
  const texts = [all, nonZero].map(
    (shown) => `${percent}% ${value}/${total} ${shown.join(" ")} ${rate}/s ${eta}`,
  );
  for (const text of texts) {
    const barWidth = Math.min(MAX_BAR, room - text.length - "sync  ".length);
    if (barWidth < MIN_BAR) continue;
    const full = Math.round((barWidth * percent) / 100);
    return `sync ${"█".repeat(full)}${"░".repeat(barWidth - full)} ${text}`;
  }
  for (const text of texts) if (`sync ${text}`.length <= room) return `sync ${text}`;
  return `sync ${percent}% ${value}/${total} ${eta}`.slice(0, room);
}

/** `text` wrapped at spaces to `width` columns; continuation lines indented by two. */
export function wrapText(text: string, width: number): string {
  const out: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    for (const word of paragraph.split(" ")) {
      const next = line === "" ? word : `${line} ${word}`;
      if (next.length < width || line === "" || line.trim() === "") line = next;
      else {
        out.push(line);
        line = `  ${word}`;
      }
    }
    out.push(line);
  }
  return out.join("\n");
}
