/**
 * zod schemas of every Tradier response PaiiD reads (Tradier's documented responses, reproduced by
 * tests/fakes/tradier.ts): the one source of truth for their shapes. Tradier's quirks are
 * absorbed here, so the client only ever sees arrays and plain nulls:
 *
 * - a list with one element arrives as the bare element (Tradier one-element lists) → `list()`
 *   always yields an array;
 * - an empty result is JSON `null`, the string `"null"` or a missing key (Tradier empty results) →
 *   `orEmpty()`;
 * - numbers may be `null`, and a few clients saw the string `"NaN"` (Tradier missing numbers) →
 *   `num` maps any non-finite or non-numeric value to `null`;
 * - streaming payloads carry numbers as strings (Tradier stream payloads) → `streamNum`.
 *
 * @module
 */
import { z } from "zod";

/** "One value or an array of values" (Tradier one-element lists), normalised to an array. */
export function list<T extends z.ZodType>(item: T) {
  return z.union([z.array(item), item]).transform((v): z.output<T>[] => Array.isArray(v) ? v : [v]);
}

/** JSON null, the string "null" or an absent key: all mean "no data" (Tradier empty results). */
const emptyValue = z.union([z.null(), z.literal("null"), z.literal("")]).transform(() => null);

/** A payload that may be empty (Tradier empty results); empty or absent becomes `null`. */
export function orEmpty<T extends z.ZodType>(payload: T) {
  return z.union([emptyValue, payload]).optional().transform((v): z.output<T> | null => v ?? null);
}

/** A number that may be null, "null", "NaN" or a numeric string; anything non-finite → null. */
export const num = z.union([z.number(), z.string(), z.null()]).optional().transform(
  (v): number | null => {
    if (v === null || v === undefined || v === "") return null;
    const n = typeof v === "number" ? v : Number(v);
    return Number.isFinite(n) ? n : null;
  },
);

/** A required number; streaming sends it as a string (Tradier stream payloads). */
export const streamNum = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/)])
  .transform(Number);

const text = z.string().nullish().transform((v) => (v === "null" ? null : v ?? null));

// Tradier quotes — the greeks object of option quotes.
export const greeksSchema = z.object({
  delta: num,
  gamma: num,
  theta: num,
  vega: num,
  rho: num,
  phi: num,
  bid_iv: num,
  mid_iv: num,
  ask_iv: num,
  smv_vol: num,
  updated_at: text,
});
export type TradierGreeks = z.output<typeof greeksSchema>;

// Tradier quotes / Tradier option chains — one quote; option-only fields are optional.
export const quoteSchema = z.object({
  symbol: z.string().min(1),
  description: text,
  exch: text,
  type: text,
  last: num,
  change: num,
  volume: num,
  open: num,
  high: num,
  low: num,
  close: num,
  bid: num,
  ask: num,
  change_percentage: num,
  trade_date: num,
  prevclose: num,
  bidsize: num,
  asksize: num,
  bid_date: num,
  ask_date: num,
  underlying: text,
  strike: num,
  open_interest: num,
  expiration_date: text,
  option_type: z.enum(["call", "put"]).nullish(),
  root_symbol: text,
  greeks: orEmpty(greeksSchema),
});
export type TradierQuote = z.output<typeof quoteSchema>;

// Tradier quotes and Tradier unmatched symbols: unknown symbols are listed, never an error.
export const quotesResponse = z.object({
  quotes: orEmpty(z.object({
    quote: orEmpty(list(quoteSchema)),
    unmatched_symbols: orEmpty(z.object({ symbol: list(z.string()) })),
  })),
});

// Tradier option chains
export const chainResponse = z.object({
  options: orEmpty(z.object({ option: list(quoteSchema) })),
});

// Tradier option expirations — two shapes depending on the request flags.
export const expirationsResponse = z.object({
  expirations: orEmpty(z.union([
    z.object({ date: list(z.string()) }),
    z.object({
      expiration: list(z.object({
        date: z.string(),
        contract_size: num.optional(),
        expiration_type: text.optional(),
        strikes: orEmpty(z.object({ strike: list(z.number()) })),
      })),
    }),
  ])),
});

// Tradier historical bars — the inner key is `day` for every interval.
export const historyResponse = z.object({
  history: orEmpty(z.object({
    day: orEmpty(list(z.object({
      date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
      open: num,
      high: num,
      low: num,
      close: num,
      volume: num,
    }))),
  })),
});

// Tradier time & sales — bar rows carry OHLC; tick rows at least time/timestamp/price/volume.
export const timesalesResponse = z.object({
  series: orEmpty(z.object({
    data: orEmpty(list(z.object({
      time: z.string(),
      timestamp: num,
      price: num,
      open: num.optional(),
      high: num.optional(),
      low: num.optional(),
      close: num.optional(),
      volume: num,
      vwap: num.optional(),
    }))),
  })),
});

const marketState = z.enum(["premarket", "open", "postmarket", "closed"]);

// Tradier market clock
export const clockResponse = z.object({
  clock: z.object({
    date: z.string(),
    description: z.string(),
    state: marketState,
    timestamp: z.number(),
    next_change: text,
    next_state: marketState.nullish(),
  }),
});

const session = z.object({ start: z.string(), end: z.string() });

// Tradier market calendar — closed days have no session objects.
export const calendarResponse = z.object({
  calendar: z.object({
    month: z.coerce.number().int(),
    year: z.coerce.number().int(),
    days: orEmpty(z.object({
      day: orEmpty(list(z.object({
        date: z.string(),
        status: z.enum(["open", "closed"]),
        description: text,
        premarket: session.nullish(),
        open: session.nullish(),
        postmarket: session.nullish(),
      }))),
    })),
  }),
});

// Tradier symbol lookup / Tradier company search — same shape for lookup and search.
export const securitiesResponse = z.object({
  securities: orEmpty(z.object({
    security: orEmpty(list(z.object({
      symbol: z.string(),
      exchange: text,
      type: text,
      description: text,
    }))),
  })),
});

// Tradier streaming session
export const sessionResponse = z.object({
  stream: z.object({ url: z.string().optional(), sessionid: z.string().min(1) }),
});

// Tradier stream payloads, dispatched on `type`; numbers mostly arrive as strings.
export const streamPayload = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("quote"),
    symbol: z.string(),
    bid: num,
    ask: num,
    bidsz: num,
    asksz: num,
    biddate: num,
    askdate: num,
  }),
  z.object({
    type: z.enum(["trade", "tradex"]),
    symbol: z.string(),
    price: streamNum,
    size: streamNum,
    cvol: num,
    date: num,
    last: num,
  }),
  z.object({
    type: z.literal("summary"),
    symbol: z.string(),
    open: num,
    high: num,
    low: num,
    prevClose: num,
    close: num.optional(),
  }),
  z.object({
    type: z.literal("timesale"),
    symbol: z.string(),
    bid: num,
    ask: num,
    last: streamNum,
    size: streamNum,
    date: num,
    cancel: z.boolean().optional(),
    correction: z.boolean().optional(),
  }),
]);
export type StreamPayload = z.output<typeof streamPayload>;
