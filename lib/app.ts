/**
 * Builds the HTTP app: operations middleware (request id, logs, security headers, compression,
 * body limit), then the Fresh-style routes, then one error handler for everything.
 */
import { type ErrorHandler, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { mountFresh } from "./fresh/app.ts";
import type { Bundle } from "./fresh/bundle.ts";
import type { StaticFile } from "./fresh/static.ts";
import type { Manifest } from "./fresh/types.ts";
import { authMiddleware } from "./auth/middleware.ts";
import { CLIENT_CLOSED_REQUEST, clientAborted } from "./http/client_abort.ts";
import { CachedRouter } from "./http/cached_router.ts";
import { cameOverHttps, clientIp } from "./http/client.ts";
import { compressResponse } from "./http/compress.ts";
import { errorBody, HttpError, toErrorBody } from "./http/errors.ts";
import { markPrivate } from "./http/private_cache.ts";
import {
  apiSecurityHeaderList,
  isJsonAnswer,
  securityHeaderList,
  setSecurityHeaders,
} from "./http/security_headers.ts";
import { recordRequest } from "./metrics/http.ts";
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
  const app = new Hono<AppEnv>({ router: new CachedRouter() });

  // Also the front's, for its own throws; it renders with `pages`, mounted below.
  const wantsJson = (path: string) => path === "/api" || path.startsWith("/api/");
  const handleError: ErrorHandler<AppEnv> = (err, c) => {
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
      const page = status === 404 ? pages.renderNotFound(c) : pages.renderError(c, status);
      if (!headers) return page;
      // The error's own headers (a 429's Retry-After) go on the page as on a JSON answer.
      return page.then((res) => {
        for (const [name, value] of Object.entries(headers)) res.headers.set(name, value);
        return res;
      });
    }
    return c.json(body, status as 400, headers);
  };

  const securityHeaders = securityHeaderList({
    contentSecurityPolicy: CSP,
    permissionsPolicy: PERMISSIONS_POLICY,
    xFrameOptions: "DENY",
    referrerPolicy: "strict-origin-when-cross-origin",
  });
  const apiSecurityHeaders = apiSecurityHeaderList("DENY");
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

  // The front: one middleware layer for what wraps every request, where each used to be a layer
  // of its own (every `await next()` layer costs a cached answer measurable CPU): the request id
  // and state, the body limit, and once the rest has answered, in this order, the private-cache
  // rule, compression, the security headers (a short list on JSON answers), the request id
  // header, the log line and the metrics (last, so the counts include what the auth chain and
  // the error handler answer).
  app.use("*", async (c, next) => {
    const started = performance.now();
    const raw = c.req.raw;
    const incoming = raw.headers.get("X-Request-Id");
    const requestId = incoming !== null && REQUEST_ID.test(incoming)
      ? incoming
      : crypto.randomUUID();
    c.set("requestId", requestId);
    c.set("services", services);
    // Read before `next`: after a WebSocket upgrade the request's headers are gone.
    const secure = cameOverHttps(c);
    const state: AppEnv["Variables"]["state"] = {
      requestId,
      services,
      clientIp: clientIp(c, services.config.TRUST_PROXY),
      secure,
      userAgent: raw.headers.get("User-Agent"),
      tradingMode: "paper",
      splitPercent: 38,
    };
    c.set("state", state);
    try {
      try {
        // Requests without a body (every GET) have nothing to limit.
        if (raw.body === null) await next();
        else {
          const limit = c.req.path === "/api/ml-sentiment" ? sentimentLimit : standardLimit;
          await limit(c, next);
        }
      } catch (err) {
        // A throw of this layer's own (the body limit's 413), answered as Hono answers a throw
        // from any layer; what the later layers throw, Hono has answered already.
        if (!(err instanceof Error)) throw err;
        c.error = err;
        c.res = await handleError(err, c);
      }
      markPrivate(c, state.auth !== undefined);
      try {
        await compressResponse(c);
      } catch (err) {
        // The answer's body failed while being read for compression: answered as any other
        // failure, so it still gets the headers and the log line below.
        if (!(err instanceof Error)) throw err;
        c.error = err;
        c.res = undefined;
        c.res = await handleError(err, c);
      }
      const headers = c.res.headers;
      setSecurityHeaders(headers, isJsonAnswer(headers) ? apiSecurityHeaders : securityHeaders);
      headers.set("X-Request-Id", requestId);
      // HSTS only where the request really came over https.
      if (secure) headers.set("Strict-Transport-Security", HSTS);
      // Path only: query strings may carry things that do not belong in a log.
      services.log.info("request", {
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        duration_ms: Math.round((performance.now() - started) * 100) / 100,
        request_id: requestId,
      });
    } finally {
      recordRequest(c, started);
    }
  });

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

  app.notFound((c) => {
    if (wantsJson(c.req.path)) {
      const message = `No API endpoint at ${c.req.method} ${c.req.path}.`;
      return c.json(errorBody("not_found", message, { requestId: c.get("requestId") }), 404);
    }
    return pages.renderNotFound(c);
  });

  app.onError(handleError);

  return app;
}
