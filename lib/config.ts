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
  /** `production` makes missing secrets fatal instead of generated. */
  DENO_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** Runtime state: the embedded database, the local KV file, generated secrets. */
  DATA_DIR: z.string().trim().min(1).default("./data"),
  /** PostgreSQL server; unset uses embedded PGlite in `$DATA_DIR/pg`. */
  DATABASE_URL: z.string().trim().regex(
    /^postgres(ql)?:\/\//,
    "DATABASE_URL must start with postgres:// or postgresql://",
  ).optional(),
  /** Deno KV location: a file path; unset uses `$DATA_DIR/kv.sqlite` (or Deno Deploy's KV). */
  DENO_KV_PATH: optionalText,
  /** Request logs and other output: `debug`, `info`, `warn`, `error` or `silent`. */
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  /** Tradier market data (replay of shipped history when unset). */
  TRADIER_TOKEN: optionalText,
  TRADIER_BASE_URL: url("TRADIER_BASE_URL").default("https://api.tradier.com/v1"),
  /** Alpaca paper trading (the built-in paper broker when unset). */
  ALPACA_KEY_ID: optionalText,
  ALPACA_SECRET_KEY: optionalText,
  ALPACA_BASE_URL: url("ALPACA_BASE_URL").default("https://paper-api.alpaca.markets"),
  /** Claude as the analyst (the offline analyst when unset). */
  ANTHROPIC_API_KEY: optionalText,
  ANTHROPIC_MODEL: z.string().trim().min(1).default("claude-sonnet-4-5"),
});

/** Settings that only make sense together; checked apart so all problems are reported at once. */
function pairProblems(env: Record<string, string>): { variable: string; message: string }[] {
  if (Boolean(env.ALPACA_KEY_ID) === Boolean(env.ALPACA_SECRET_KEY)) return [];
  return [{
    variable: env.ALPACA_KEY_ID ? "ALPACA_SECRET_KEY" : "ALPACA_KEY_ID",
    message: "ALPACA_KEY_ID and ALPACA_SECRET_KEY must be set together",
  }];
}

export type Config = z.infer<typeof schema>;

/** Names of settings that are secret: never logged, printed or sent. */
export const SECRET_KEYS = ["TRADIER_TOKEN", "ALPACA_SECRET_KEY", "ANTHROPIC_API_KEY"] as const;

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
