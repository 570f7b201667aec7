import type { MiddlewareHandler } from "../lib/fresh/types.ts";
import type { State } from "../lib/state.ts";
import { splitFromCookieHeader } from "../lib/split.ts";
import { appearanceFromCookieHeader } from "../lib/shared/appearance.ts";
import { isApiPath } from "../lib/auth/gate.ts";
import { telemetryEnabled } from "../lib/telemetry/repo.ts";

export const handler: MiddlewareHandler<State> = async (req, ctx) => {
  // Paper is the only mode PaiiD trades in today; live needs its own switch and checks first.
  ctx.state.tradingMode = "paper";
  const cookie = req.headers.get("cookie");
  ctx.state.splitPercent = splitFromCookieHeader(cookie);
  ctx.state.appearance = appearanceFromCookieHeader(cookie);
  // From memory (lib/broker/halt.ts): every page shows the kill switch's state.
  if (ctx.state.user) ctx.state.halt = await ctx.state.services.halts.activeFor(ctx.state.user.id);
  // Pages only: whether the browser loads the telemetry sender (the API checks it again).
  if (ctx.state.user && ctx.destination === "route" && !isApiPath(ctx.url.pathname)) {
    ctx.state.telemetry = await telemetryEnabled(ctx.state.services.db, ctx.state.user.id);
  }
  return await ctx.next();
};
