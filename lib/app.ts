/**
 * Builds the HTTP app: operations middleware (request id, logs, security headers, compression,
 * body limit), then the Fresh-style routes, then one error handler for everything.
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { secureHeaders } from "hono/secure-headers";
import { mountFresh } from "./fresh/app.ts";
import type { Bundle } from "./fresh/bundle.ts";
import type { StaticFile } from "./fresh/static.ts";
import type { Manifest } from "./fresh/types.ts";
import { authMiddleware } from "./auth/middleware.ts";
import { CLIENT_CLOSED_REQUEST, clientAborted } from "./http/client_abort.ts";
import { cameOverHttps, clientIp } from "./http/client.ts";
import { compress } from "./http/compress.ts";
import { errorBody, HttpError, toErrorBody } from "./http/errors.ts";
import { privateCache } from "./http/private_cache.ts";
import { httpMetrics } from "./metrics/http.ts";
import { SENTIMENT_MAX_BODY_BYTES } from "./ml/sentiment/request.ts";
import type { Services } from "./services.ts";
import type { AppEnv } from "./state.ts";

export interface AppOptions {
  services: Services;
  manifest: Manifest;
  bundle: Bundle;
  staticFiles: Map<string, StaticFile>;
  /** The clock of the rate-limit windows, in ms since the epoch (tests pin it). Default `Date.now`. */
  now?: () => number;
}

/** Largest request body accepted by the API, in bytes. */
export const MAX_BODY_BYTES = 1024 * 1024;
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

const CSP = {
  defaultSrc: ["'self'"],
  // Only our own script files: islands boot from a same-origin module, never inline code.
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  // Server-rendered `style` attributes carry CSS variables (the split width); no <style> blocks.
  styleSrcAttr: ["'unsafe-inline'"],
  imgSrc: ["'self'", "data:"],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/**
 * Browser features no page of ours uses, denied to us and to anything we might embed, so an
 * injected script could not reach them either. Fullscreen stays for our own charts.
 */
const PERMISSIONS_POLICY = {
  accelerometer: [],
  autoplay: [],
  camera: [],
  displayCapture: [],
  encryptedMedia: [],
  fullscreen: ["self"],
  geolocation: [],
  gyroscope: [],
  hid: [],
  idleDetection: [],
  magnetometer: [],
  microphone: [],
  midi: [],
  payment: [],
  publickeyCredentialsGet: [],
  screenWakeLock: [],
  serial: [],
  usb: [],
  xrSpatialTracking: [],
  browsingTopics: [],
  interestCohort: [],
};

const HSTS = "max-age=63072000; includeSubDomains";

export function createApp(opts: AppOptions): Hono<AppEnv> {
  const { services } = opts;
  const app = new Hono<AppEnv>();

  // First, so the counts include what the auth chain and the error handler answer.
  app.use("*", httpMetrics());
  app.use("*", async (c, next) => {
    const incoming = c.req.header("X-Request-Id");
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
    c.set("requestId", requestId);
    c.set("services", services);
    // Read before `next`: after a WebSocket upgrade the request's headers are gone.
    const secure = cameOverHttps(c);
    c.set("state", {
      requestId,
      services,
      clientIp: clientIp(c, services.config.TRUST_PROXY),
      secure,
      userAgent: c.req.header("User-Agent") ?? null,
      tradingMode: "paper",
      splitPercent: 38,
    });
    const started = performance.now();
    await next();
    c.res.headers.set("X-Request-Id", requestId);
    // HSTS only where the request really came over https.
    if (secure) c.res.headers.set("Strict-Transport-Security", HSTS);
    // Path only: query strings may carry things that do not belong in a log.
    services.log.info("request", {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      duration_ms: Math.round((performance.now() - started) * 100) / 100,
      request_id: requestId,
    });
  });

  app.use(
    "*",
    secureHeaders({
      contentSecurityPolicy: CSP,
      xFrameOptions: "DENY",
      referrerPolicy: "strict-origin-when-cross-origin",
      // HSTS only where the request really came over https (set above).
      strictTransportSecurity: false,
      crossOriginEmbedderPolicy: false,
      permissionsPolicy: PERMISSIONS_POLICY,
    }),
  );
  app.use("*", compress());
  // Every body, the API's and the pages' form posts alike, before anything reads it.
  const limitTo = (maxSize: number) =>
    bodyLimit({
      maxSize,
      onError: () => {
        throw new HttpError(
          413,
          "payload_too_large",
          `Request bodies are limited to ${maxSize} bytes.`,
        );
      },
    });
  const standardLimit = limitTo(MAX_BODY_BYTES);
  // Scoring takes up to 5,000 texts of 1,000 characters in one body (issue 17).
  const sentimentLimit = limitTo(SENTIMENT_MAX_BODY_BYTES);
  app.use(
    "*",
    (c, next) =>
      c.req.path === "/api/ml-sentiment" ? sentimentLimit(c, next) : standardLimit(c, next),
  );

  // Cross-origin API calls only from CORS_ORIGINS; answered before auth so preflights pass.
  if (services.config.CORS_ORIGINS.length > 0) {
    app.use(
      "/api/*",
      cors({
        origin: [...services.config.CORS_ORIGINS],
        credentials: true,
        allowHeaders: ["Authorization", "Content-Type", "X-CSRF-Token", "X-Request-Id"],
        exposeHeaders: ["Retry-After", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"],
        maxAge: 600,
      }),
    );
  }
  app.use("*", privateCache());
  app.use(
    "*",
    ...authMiddleware(services, {
      isStatic: (path) => opts.staticFiles.has(path) || opts.bundle.files.has(path),
      now: opts.now,
    }),
  );

  const pages = mountFresh(app, {
    manifest: opts.manifest,
    bundle: opts.bundle,
    staticFiles: opts.staticFiles,
  });

  const wantsJson = (path: string) => path === "/api" || path.startsWith("/api/");

  app.notFound((c) => {
    if (wantsJson(c.req.path)) {
      const message = `No API endpoint at ${c.req.method} ${c.req.path}.`;
      return c.json(errorBody("not_found", message, { requestId: c.get("requestId") }), 404);
    }
    return pages.renderNotFound(c);
  });

  app.onError((err, c) => {
    const requestId = c.get("requestId");
    if (clientAborted(err)) {
      // Nobody is left to read an answer; the request log line says what happened.
      return c.body(null, CLIENT_CLOSED_REQUEST as 400);
    }
    const { status, body, headers, expected } = toErrorBody(err, requestId);
    if (!expected) {
      services.log.error("unhandled error", {
        request_id: requestId,
        path: c.req.path,
        error: err,
      });
    }
    if (!wantsJson(c.req.path) && c.req.method === "GET") {
      return status === 404 ? pages.renderNotFound(c) : pages.renderError(c, status);
    }
    return c.json(body, status as 400, headers);
  });

  return app;
}
