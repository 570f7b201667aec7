/**
 * Structured JSON logs, one object per line. Fields whose names look secret are redacted, so a
 * token passed by mistake never reaches the log.
 */
export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };
const SECRET_FIELD = /pass(word)?|secret|token|authorization|cookie|api[-_]?key|credential/i;

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

function redact(value: unknown, depth = 0): unknown {
  if (depth > 4 || value === null || typeof value !== "object") return value;
  if (value instanceof Error) {
    return { name: value.name, message: value.message, stack: value.stack };
  }
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map((
      [k, v],
    ) => [k, SECRET_FIELD.test(k) ? "[redacted]" : redact(v, depth + 1)]),
  );
}

export function createLogger(
  level: LogLevel = "info",
  write: (line: string) => void = (line) => console.log(line),
): Logger {
  const at =
    (lvl: Exclude<LogLevel, "silent">) => (msg: string, fields?: Record<string, unknown>) => {
      if (RANK[lvl] < RANK[level]) return;
      write(JSON.stringify({
        time: new Date().toISOString(),
        level: lvl,
        msg,
        ...(fields ? redact(fields) as Record<string, unknown> : {}),
      }));
    };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}
