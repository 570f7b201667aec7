import type { MiddlewareHandler } from "../lib/fresh/types.ts";
import type { State } from "../lib/state.ts";
import { splitFromCookieHeader } from "../lib/split.ts";
import { appearanceFromCookieHeader } from "../lib/shared/appearance.ts";
import { isApiUrl } from "../lib/auth/gate.ts";
import { telemetryEnabled } from "../lib/telemetry/repo.ts";
import { recordPageView } from "../lib/telemetry/page_views.ts";

export const handler: MiddlewareHandler<State> = async (req, ctx) => {
  // Paper is the only mode PaiiD trades in today; live needs its own switch and checks first.
  ctx.state.tradingMode = "paper";
  const cookie = req.headers.get("cookie");
  ctx.state.splitPercent = splitFromCookieHeader(cookie);
  ctx.state.appearance = appearanceFromCookieHeader(cookie);
  // API answers render no page: no kill-switch banner to fill, no page view to count.
  if (isApiUrl(req.url)) return await ctx.next();
  // From memory (lib/broker/halt.ts): every page shows the kill switch's state.
  if (ctx.state.user) ctx.state.halt = await ctx.state.services.halts.activeFor(ctx.state.user.id);
  // Pages only: with the user's telemetry setting on, the page view is recorded here and the
  // page loads the sender for commands and errors (lib/telemetry/page_views.ts says why).
  if (ctx.state.user && ctx.destination === "route") {
    ctx.state.telemetry = await telemetryEnabled(ctx.state.services.db, ctx.state.user.id);
  }
  const res = await ctx.next();
  if (
    ctx.state.telemetry && req.method === "GET" && res.status === 200 &&
    res.headers.get("Content-Type")?.startsWith("text/html")
  ) {
    await recordPageView(ctx.state.services, ctx.url.pathname);
  }
  return res;
};
