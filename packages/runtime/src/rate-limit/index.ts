export {
  createRateLimitGate,
  type FlexibleLimiter,
  limiterShape,
  type RateLimitGate,
  type RateLimitOptions,
  rateLimitProblem,
} from "./gate.js";
export { requestedPauseMs, spentQuotaMs } from "./quota.js";
