import { deepEqual, equal, throws } from "node:assert/strict";
import { Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import {
  apiSecurityHeaderList,
  cspValue,
  isJsonAnswer,
  permissionsPolicyValue,
  securityHeaderList,
  setSecurityHeaders,
} from "./security_headers.ts";

const csp = {
  defaultSrc: ["'self'"],
  styleSrcAttr: ["'unsafe-inline'"],
  imgSrc: ["'self'", "data:"],
  frameAncestors: ["'none'"],
};
const permissions = {
  camera: [],
  fullscreen: ["self"],
  publickeyCredentialsGet: [],
  xrSpatialTracking: ["*"],
  usb: ["none"],
  payment: ["self", "https://pay.example"],
};

Deno.test("security headers: the same names, values and order as Hono's secureHeaders", async () => {
  const hono = new Hono();
  hono.use(
    "*",
    secureHeaders({
      contentSecurityPolicy: csp,
      xFrameOptions: "DENY",
      referrerPolicy: "strict-origin-when-cross-origin",
      strictTransportSecurity: false,
      crossOriginEmbedderPolicy: false,
      permissionsPolicy: permissions,
    }),
  );
  hono.get("/", () => new Response("x", { headers: { "X-Powered-By": "them" } }));
  const theirs = await hono.request("/");

  const ours = new Response("x", { headers: { "X-Powered-By": "them" } });
  const list = securityHeaderList({
    contentSecurityPolicy: csp,
    permissionsPolicy: permissions,
    xFrameOptions: "DENY",
    referrerPolicy: "strict-origin-when-cross-origin",
  });
  setSecurityHeaders(ours.headers, list);
  deepEqual([...ours.headers], [...theirs.headers]);
  equal(ours.headers.get("X-Powered-By"), null);
});

Deno.test("security headers: policy values", () => {
  equal(
    cspValue(csp),
    "default-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
  );
  equal(
    permissionsPolicyValue(permissions),
    'camera=(), fullscreen=(self), publickey-credentials-get=(), xr-spatial-tracking=*, usb=(), payment=(self "https://pay.example")',
  );
});

Deno.test("security headers: an invalid value fails when the list is built", () => {
  throws(() =>
    securityHeaderList({
      contentSecurityPolicy: { defaultSrc: ["'self'\nx"] },
      permissionsPolicy: {},
      xFrameOptions: "DENY",
      referrerPolicy: "no-referrer",
    })
  );
});

Deno.test("security headers: a handler's own value is replaced", () => {
  const headers = new Headers({ "X-Frame-Options": "SAMEORIGIN", "content-type": "text/plain" });
  const list = securityHeaderList({
    contentSecurityPolicy: { defaultSrc: ["'self'"] },
    permissionsPolicy: { camera: [] },
    xFrameOptions: "DENY",
    referrerPolicy: "no-referrer",
  });
  setSecurityHeaders(headers, list);
  equal(headers.get("X-Frame-Options"), "DENY");
  equal(headers.get("Content-Type"), "text/plain");
});

Deno.test("security headers: JSON answers are recognised by their media type alone", () => {
  const json = (type: string | null) =>
    isJsonAnswer(new Headers(type ? { "Content-Type": type } : {}));
  equal(json("application/json"), true);
  equal(json("application/json; charset=UTF-8"), true);
  equal(json("Application/JSON"), true);
  equal(json("application/problem+json"), true);
  equal(json("text/html; charset=UTF-8"), false);
  equal(json("application/javascript"), false);
  equal(json("application/jsonx"), false);
  equal(json("text/json-but-html"), false);
  equal(json(null), false);
});

Deno.test("security headers: the API list replaces a handler's values and allows nothing to load", () => {
  const headers = new Headers({ "Content-Security-Policy": "default-src *", "X-Powered-By": "x" });
  setSecurityHeaders(headers, apiSecurityHeaderList("DENY"));
  deepEqual([...headers], [
    ["content-security-policy", "default-src 'none'; frame-ancestors 'none'"],
    ["cross-origin-resource-policy", "same-origin"],
    ["x-content-type-options", "nosniff"],
    ["x-frame-options", "DENY"],
  ]);
  throws(() => apiSecurityHeaderList("DENY\r\nX-Evil: 1"));
});
