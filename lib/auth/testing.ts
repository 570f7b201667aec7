/**
 * For the auth middleware tests: a small Hono app that sets the request state the way lib/app.ts
 * does, runs the middleware under test, and answers with what it left on the state.
 */
import { Hono, type MiddlewareHandler } from "hono";
import { type Config, loadConfig } from "../config.ts";
import { toErrorBody } from "../http/errors.ts";
import { createLogger } from "../log.ts";
import type { Services } from "../services.ts";
import type { AppEnv } from "../state.ts";
import { IdentityCache } from "./identity_cache.ts";
import { RateLimiter } from "./rate_limit.ts";

/** Header a test sets to pick the client address (the app takes it from the socket). */
export const TEST_IP_HEADER = "X-Test-Client-Ip";

/**
 * Services with configuration, a silent log and whichever real parts a test passes (KV,
 * database): what the auth middleware touches, without market data or a broker.
 */
export function authServices(
  env: Record<string, string>,
  parts: Partial<Pick<Services, "kv" | "db">> = {},
): Services {
  const config: Config = loadConfig({
    JWT_SECRET: "s".repeat(40),
    DENO_ENV: "test",
    AUTH_TEST_BCRYPT_COST: "4",
    ...env,
  });
  // With a KV, identify's identity cache and the rate limiter run as in the app (close them with
  // `services.identities` and `services.rateLimiter` before the KV).
  const identities = parts.kv
    ? { identities: new IdentityCache(parts.kv), rateLimiter: new RateLimiter(parts.kv) }
    : {};
  return { config, log: createLogger("silent"), ...parts, ...identities } as Services;
}

/** The app: state like lib/app.ts sets it, then `middleware`, then a route echoing the state. */
export function middlewareApp(
  services: Services,
  ...middleware: MiddlewareHandler<AppEnv>[]
): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use("*", async (c, next) => {
    c.set("state", {
      requestId: "test-request",
      services,
      clientIp: c.req.header(TEST_IP_HEADER) ?? "192.0.2.1",
      secure: c.req.header("X-Forwarded-Proto") === "https",
      userAgent: null,
      tradingMode: "paper",
      splitPercent: 38,
    });
    await next();
  });
  app.use("*", ...middleware);
  app.all("*", (c) => {
    const { user, auth, csrfToken } = c.get("state");
    return c.json({ user: user ?? null, auth: auth ?? null, csrfToken: csrfToken ?? null });
  });
  app.onError((err, c) => {
    const { status, body, headers } = toErrorBody(err, c.get("state")?.requestId);
    return c.json(body, status as 400, headers);
  });
  return app;
}
