/**
 * Every setting PaiiD reads from the environment, through one zod schema. Invalid values stop
 * the start with a message that names the variable; secrets are never printed.
 */
import { z } from "zod";

const optionalText = z.string().trim().min(1).optional();
const url = (what: string) =>
  z.string().trim().url(`${what} must be a URL`).refine(
    (u) => /^https?:\/\//.test(u),
    `${what} must start with http:// or https://`,
  );

const schema = z.object({
  /** Port of the HTTP server. */
  PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  /** Interface to listen on. */
  HOST: z.string().trim().min(1).default("0.0.0.0"),
  /** Milliseconds a new connection has to send its request headers (0: no limit). */
  HEADER_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  /** `production` makes missing secrets fatal instead of generated. */
  DENO_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** Runtime state: the embedded database, the local KV file, generated secrets. */
  DATA_DIR: z.string().trim().min(1).default("./data"),
  /** PostgreSQL server; unset uses embedded PGlite in `$DATA_DIR/pg`. */
  DATABASE_URL: z.string().trim().regex(
    /^postgres(ql)?:\/\//,
    "DATABASE_URL must start with postgres:// or postgresql://",
  ).optional(),
  /**
   * Keep statements prepared on each server connection (one round trip and no planning per
   * statement). `false` for a pooler in transaction mode that cannot carry them across clients.
   */
  DATABASE_PREPARE: z.enum(["true", "false"], "DATABASE_PREPARE must be true or false")
    .default("true").transform((v) => v === "true"),
  /** Deno KV location: a file path; unset uses `$DATA_DIR/kv.sqlite` (or Deno Deploy's KV). */
  DENO_KV_PATH: optionalText,
  /** Request logs and other output: `debug`, `info`, `warn`, `error` or `silent`. */
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  /** Tradier market data (replay of shipped history when unset). */
  TRADIER_TOKEN: optionalText,
  TRADIER_BASE_URL: url("TRADIER_BASE_URL").default("https://api.tradier.com/v1"),
  /** Tradier live streaming: the HTTP stream and the WebSocket (contract §1). */
  TRADIER_STREAM_URL: url("TRADIER_STREAM_URL").default(
    "https://stream.tradier.com/v1/markets/events",
  ),
  TRADIER_WS_URL: z.string().trim().regex(
    /^wss?:\/\/\S+$/,
    "TRADIER_WS_URL must start with ws:// or wss://",
  ).default("wss://ws.tradier.com/v1/markets/events"),
  /** Replay: the historical trading day (on or after this date) that replay day 0 shows. */
  REPLAY_START: z.string().trim().regex(/^\d{4}-\d{2}-\d{2}$/, "REPLAY_START must be YYYY-MM-DD")
    .default("2020-01-02"),
  /** Replay: historical trading days per real weekday (the session clock runs as fast). */
  REPLAY_SPEED: z.coerce.number().positive("REPLAY_SPEED must be above 0").max(100_000).default(1),
  /** Replay: real date whose first weekday shows REPLAY_START; unset = the replay default. */
  REPLAY_EPOCH: z.string().trim().regex(/^\d{4}-\d{2}-\d{2}$/, "REPLAY_EPOCH must be YYYY-MM-DD")
    .optional(),
  /** Replay: advance on real weekends too (otherwise the replay rests, closed, until Monday). */
  REPLAY_WEEKENDS: z.enum(["true", "false"], "REPLAY_WEEKENDS must be true or false")
    .default("false").transform((v) => v === "true"),
  /** Alpaca paper trading (the built-in paper broker when unset). */
  ALPACA_KEY_ID: optionalText,
  ALPACA_SECRET_KEY: optionalText,
  ALPACA_BASE_URL: url("ALPACA_BASE_URL").default("https://paper-api.alpaca.markets"),
  /** Alpaca's market-data host, where the News API lives (tests point it at a fake). */
  ALPACA_DATA_URL: url("ALPACA_DATA_URL").default("https://data.alpaca.markets"),
  /** Claude as the analyst (the offline analyst when unset). */
  ANTHROPIC_API_KEY: optionalText,
  ANTHROPIC_MODEL: z.string().trim().min(1).default("claude-sonnet-4-5"),
  /** The Anthropic API's address (tests point it at a fake server on 127.0.0.1). */
  ANTHROPIC_BASE_URL: url("ANTHROPIC_BASE_URL").default("https://api.anthropic.com"),
  /** Tokens (input, output and cache) one user's analyst calls may spend a day (UTC). */
  ANALYST_DAILY_TOKEN_BUDGET: z.coerce.number().int().min(0).default(200_000),
  /** HS256 key for access tokens; required in production, else generated into DATA_DIR. */
  JWT_SECRET: z.string().trim().min(32, "JWT_SECRET must be at least 32 characters").optional(),
  /** Origins (comma-separated) allowed to call the API cross-origin; unset = same origin only. */
  CORS_ORIGINS: z.string().trim().optional().transform((v, ctx) => {
    const list = (v ?? "").split(",").map((o) => o.trim()).filter(Boolean);
    for (const origin of list) {
      if (!/^https?:\/\/[^/\s]+$/.test(origin)) {
        ctx.addIssue({ code: "custom", message: `CORS_ORIGINS: ${origin} is not an origin` });
      }
    }
    return list;
  }),
  /** Operator token accepted as `Authorization: Bearer` for admin endpoints. */
  ADMIN_API_TOKEN: z.string().trim().min(32, "ADMIN_API_TOKEN must be at least 32 characters")
    .optional(),
  /** Trust `X-Forwarded-For`/`X-Forwarded-Proto` from a reverse proxy in front of the app. */
  TRUST_PROXY: z.enum(["true", "false", "1", "0"]).default("false").transform((v) =>
    v === "true" || v === "1"
  ),
  /** Requests per minute per user (per IP when anonymous). */
  // A walk through the hub, the ten stages and a symbol page costs about 95 requests (each
  // page's own API calls): 100 a minute refused a trader clicking through twice.
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  /** Sign-in and sign-up attempts per minute per IP. */
  RATE_LIMIT_AUTH_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  /**
   * bcrypt cost override for the test suite only (cost 12 takes ~0.3 s per hash); refused
   * unless DENO_ENV=test, so production always hashes at cost 12.
   */
  AUTH_TEST_BCRYPT_COST: z.coerce.number().int().min(4).max(31).optional(),
});

/** Settings that only make sense together; checked apart so all problems are reported at once. */
function pairProblems(env: Record<string, string>): { variable: string; message: string }[] {
  const problems: { variable: string; message: string }[] = [];
  if (Boolean(env.ALPACA_KEY_ID) !== Boolean(env.ALPACA_SECRET_KEY)) {
    problems.push({
      variable: env.ALPACA_KEY_ID ? "ALPACA_SECRET_KEY" : "ALPACA_KEY_ID",
      message: "ALPACA_KEY_ID and ALPACA_SECRET_KEY must be set together",
    });
  }
  if (env.DENO_ENV === "production" && !env.JWT_SECRET) {
    problems.push({ variable: "JWT_SECRET", message: "JWT_SECRET is required in production" });
  }
  if (env.AUTH_TEST_BCRYPT_COST && env.DENO_ENV !== "test") {
    problems.push({
      variable: "AUTH_TEST_BCRYPT_COST",
      message: "AUTH_TEST_BCRYPT_COST is only allowed with DENO_ENV=test",
    });
  }
  return problems;
}

export type Config = z.infer<typeof schema>;

/** Names of settings that are secret: never logged, printed or sent. */
export const SECRET_KEYS = [
  "TRADIER_TOKEN",
  "ALPACA_SECRET_KEY",
  "ANTHROPIC_API_KEY",
  "JWT_SECRET",
  "ADMIN_API_TOKEN",
] as const;

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(
      "Invalid configuration:\n" +
        problems.map((p) => `  ${p.variable}: ${p.message}`).join("\n"),
    );
    this.name = "ConfigError";
  }
}

/** Parses settings from `env` (default: the process environment); throws ConfigError. */
export function loadConfig(env: Record<string, string | undefined> = Deno.env.toObject()): Config {
  // An empty variable means "unset", as shells and .env files often leave them.
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ""),
  );
  const result = schema.safeParse(cleaned);
  const problems = [
    ...(result.error?.issues ?? []).map((issue) => ({
      variable: String(issue.path[0] ?? "environment"),
      message: issue.message,
    })),
    ...pairProblems(cleaned as Record<string, string>),
  ];
  if (result.success && problems.length === 0) return result.data;
  throw new ConfigError(problems);
}

export type Seam = "database" | "kv" | "market_data" | "broker" | "analyst";

/** Which implementation each seam uses under this configuration. */
export function seamModes(config: Config): Record<Seam, string> {
  return {
    "database": config.DATABASE_URL ? "postgres" : "pglite",
    "kv": config.DENO_KV_PATH ? "file" : "local",
    "market_data": config.TRADIER_TOKEN ? "tradier" : "replay",
    "broker": config.ALPACA_KEY_ID ? "alpaca-paper" : "paper",
    "analyst": config.ANTHROPIC_API_KEY ? "claude" : "offline",
  };
}
