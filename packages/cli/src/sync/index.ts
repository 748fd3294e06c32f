export { lineDigest, textDigest } from "./digest.js";
export { keyFromIds, type ParsedLine, parseLine } from "./input.js";
export { doneKey, type EarlierResults, readEarlierResults } from "./results.js";
export { runSync, type SyncOptions } from "./run.js";
export { formatSummary, type SyncSummary, syncExitCode } from "./summary.js";
