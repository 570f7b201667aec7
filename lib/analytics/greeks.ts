/**
 * Black-Scholes prices, Greeks and implied volatility live in lib/shared/greeks.ts (pure, no
 * imports), so the browser can lazily load the same implementation for option positions.
 *
 * @module
 */
export * from "../shared/greeks.ts";
