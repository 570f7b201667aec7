/**
 * `/api/market-data`: intraday detail.
 *
 * - `GET /timesales/:symbol?interval=tick|1min|5min|15min&start=&end=` → TimeSales; `start`
 *   and `end` are `YYYY-MM-DD` or `YYYY-MM-DD HH:MM` (New York time), real dates and times,
 *   `end` not before `start`. A window spans at most `MAX_RANGE_DAYS[interval]` calendar days
 *   (tick: one trading day, i.e. start and end on the same date); with only one bound given the
 *   other is set to the widest window allowed. Bounds reach the source (and the cache key) as
 *   `YYYY-MM-DD HH:MM`.
 */
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../lib/state.ts";
import { BadRequestError, zodDetails } from "../../lib/http/errors.ts";
import { fromMarket, parseSymbol } from "../../lib/market/api.ts";
import { describeRoutes } from "../../lib/http/openapi/mod.ts";
import { symbolSchema } from "../../lib/market/symbols.ts";

const marketData = new Hono<AppEnv>();

type Interval = "tick" | "1min" | "5min" | "15min";

/** Calendar days a window may span (end date − start date), per interval. */
export const MAX_RANGE_DAYS: Record<Interval, number> = {
  tick: 0,
  "1min": 20,
  "5min": 40,
  "15min": 40,
};

const RANGE_RULE =
  "A window covers at most 1 trading day for tick (start and end on the same date), 20 days for 1min and 40 days for 5min or 15min.";

const DAY_MS = 86_400_000;

/** A parsed bound: days since the epoch and minutes into that (New York) day. */
interface Bound {
  day: number;
  minutes: number;
  hasTime: boolean;
}

const bound = z.string().trim().transform((v, ctx): Bound => {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}))?$/.exec(v);
  const [y, mo, d, h, mi] = (m ?? []).slice(1).map((x) => (x === undefined ? -1 : Number(x)));
  const ms = Date.UTC(y, mo - 1, d);
  const date = new Date(ms);
  const realDate = m !== null && date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 &&
    date.getUTCDate() === d;
  const realTime = h === -1 || (h <= 23 && mi <= 59);
  if (!realDate || !realTime) {
    ctx.addIssue({
      code: "custom",
      message: "Use a real YYYY-MM-DD or YYYY-MM-DD HH:MM (New York time, 00:00 to 23:59).",
    });
    return z.NEVER;
  }
  return { day: ms / DAY_MS, minutes: h === -1 ? -1 : h * 60 + mi, hasTime: h !== -1 };
});

const pad = (n: number) => String(n).padStart(2, "0");

/** `YYYY-MM-DD HH:MM` for `day` and `minutes`. */
function format(day: number, minutes: number): string {
  return `${new Date(day * DAY_MS).toISOString().slice(0, 10)} ${pad(Math.floor(minutes / 60))}:${
    pad(minutes % 60)
  }`;
}

const timeSalesQuery = z.object({
  interval: z.enum(["tick", "1min", "5min", "15min"]).default("1min"),
  start: bound.optional(),
  end: bound.optional(),
}).transform((q, ctx) => {
  const span = MAX_RANGE_DAYS[q.interval];
  if (!q.start && !q.end) return { interval: q.interval };
  // A bare start date opens at midnight, a bare end date closes at 23:59.
  const start = q.start
    ? { day: q.start.day, minutes: q.start.hasTime ? q.start.minutes : 0 }
    : { day: q.end!.day - span, minutes: 0 };
  const end = q.end
    ? { day: q.end.day, minutes: q.end.hasTime ? q.end.minutes : 23 * 60 + 59 }
    : { day: start.day + span, minutes: 23 * 60 + 59 };
  if (end.day * 1440 + end.minutes < start.day * 1440 + start.minutes) {
    ctx.addIssue({ code: "custom", message: "end must not be before start.", path: ["end"] });
    return z.NEVER;
  }
  if (end.day - start.day > span) {
    ctx.addIssue({
      code: "custom",
      message: `The window is too long for interval=${q.interval}. ${RANGE_RULE}`,
      path: ["end"],
    });
    return z.NEVER;
  }
  return {
    interval: q.interval,
    start: format(start.day, start.minutes),
    end: format(end.day, end.minutes),
  };
});

describeRoutes(marketData, "Market data", {
  "GET /timesales/:symbol": {
    summary: "Time and sales (ticks or 1/5/15-minute bars) over a window",
    description: RANGE_RULE,
    params: { symbol: symbolSchema },
    query: timeSalesQuery,
    queryExample: { interval: "5min", start: "2021-04-01", end: "2021-04-09" },
    responses: {
      200: "TimeSales, naming its `source`",
      400: "`invalid_symbol`, `validation_failed`",
    },
  },
});

marketData.get("/timesales/:symbol", async (c) => {
  const symbol = parseSymbol(c.req.param("symbol"));
  const parsed = timeSalesQuery.safeParse(c.req.query());
  // The issue's own words (a bad time, a reversed or too long window) make the message.
  if (!parsed.success) {
    throw new BadRequestError(
      parsed.error.issues[0].message,
      zodDetails(parsed.error),
      "validation_failed",
    );
  }
  const query = parsed.data;
  return c.json(await fromMarket(() => c.get("services").market.timeSales(symbol, query)));
});

export default marketData;
