/**
 * `/api/ai/recommendations`: the analyst's recommendations and their track record
 * (lib/recommendations/).
 *
 * - `GET /` → `{ recommendations, analyst }`: the live ones (a snooze that ran out is live
 *   again), highest confidence first.
 * - `POST /refresh` `{ maxCandidates? }` → server-sent events: `progress` `{ step, progress,
 *   message }` as it goes, then `done` `{ recommendations, asOf, source, analyst, model,
 *   attempts, dropped, unavailable }` or `error` `{ code, message }`. The new set replaces the
 *   live one. 409 `refresh_running` while this user's refresh runs on this instance.
 * - `POST /:id/dismiss` → `{ recommendation }`.
 * - `POST /:id/snooze` `{ until }` (an ISO time within 90 days) or `{ days }` (1–30) →
 *   `{ recommendation }`.
 * - `POST /:id/propose` → 201 `{ proposal, order, auto }`: turns a buy, sell or trim into a
 *   proposal (lib/proposals/) built on the server from the stored recommendation: a day limit
 *   order at its entry for the suggested shares, waiting for approval unless the user's
 *   auto-approval limits take it. 409 when the recommendation is closed or proposes no order,
 *   and 409 `proposal_exists` (details: `proposalId`) when it has a pending or approved one.
 * - `GET /track-record` → `{ trackRecord, scored }`: hit rate, average return and excess return
 *   over the S&P 500 and the calibration table over ALL the user's scored recommendations, and
 *   the 50 most recently scored.
 *
 * Another user's recommendation is a 404; one that is no longer open (expired, scored) is a 409.
 */
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../../lib/state.ts";
import { jsonBody, requireUser } from "../../../lib/auth/guards.ts";
import { ConflictError, HttpError, NotFoundError } from "../../../lib/http/errors.ts";
import { AnalystError } from "../../../lib/ai/types.ts";
import { NoScanDayError } from "../../../lib/scanner/mod.ts";
import {
  generateRecommendations,
  listLive,
  trackRecord,
} from "../../../lib/recommendations/mod.ts";
import {
  getRecommendation,
  recentlyScored,
  setUserStatus,
} from "../../../lib/recommendations/repo.ts";
import { proposalFor } from "../../../lib/shared/recommendation.ts";
import { createProposal } from "../../../lib/proposals/mod.ts";
import { fromBroker } from "../../../lib/broker/api.ts";
import { describeRoutes } from "../../../lib/http/openapi/mod.ts";

const idSchema = z.coerce.number().int().positive().max(2 ** 31 - 1);
const refreshSchema = z.strictObject({
  maxCandidates: z.number().int().min(1).max(12).optional(),
});
const DAY_MS = 86_400_000;
const snoozeSchema = z.union([
  z.strictObject({ days: z.number().int().min(1).max(30) }),
  z.strictObject({
    until: z.iso.datetime({ offset: true }).refine((s) => {
      const t = Date.parse(s);
      return t > Date.now() && t <= Date.now() + 90 * DAY_MS;
    }, "A time in the future, at most 90 days ahead."),
  }),
]);

/** Users whose refresh runs on this instance. */
const running = new Set<number>();

const recs = new Hono<AppEnv>();

const recParams = { id: idSchema };
describeRoutes(recs, "Recommendations", {
  "GET /": {
    summary: "The live recommendations, highest confidence first",
    responses: { 200: "`{ recommendations, analyst }`" },
  },
  "GET /track-record": {
    summary: "Hit rate, returns and calibration over every scored recommendation",
    responses: { 200: "`{ trackRecord, scored }` (the 50 most recently scored)" },
  },
  "POST /refresh": {
    summary: "Replace the live set with fresh recommendations, with progress as server-sent events",
    body: refreshSchema,
    responses: {
      200: {
        description: "`progress` events, then `done` (the new set) or `error`",
        contentType: "text/event-stream",
      },
      409: "`refresh_running`",
    },
  },
  "POST /:id/dismiss": {
    summary: "Dismiss a recommendation",
    params: recParams,
    responses: { 200: "`{ recommendation }`", 404: "Not the caller's", 409: "No longer open" },
  },
  "POST /:id/snooze": {
    summary: "Snooze a recommendation for `days` (1-30) or `until` a time within 90 days",
    params: recParams,
    body: snoozeSchema,
    example: { days: 3 },
    responses: { 200: "`{ recommendation }`", 404: "Not the caller's", 409: "No longer open" },
  },
  "POST /:id/propose": {
    summary: "Turn a buy, sell or trim into a trade proposal built on the server",
    params: recParams,
    responses: {
      201: "`{ proposal, order, auto }`",
      404: "Not the caller's",
      409: "Closed, proposes no order, or `proposal_exists`",
    },
  },
});

function recId(raw: string): number {
  const id = idSchema.safeParse(raw);
  if (!id.success) throw new NotFoundError("No such recommendation.");
  return id.data;
}

recs.get("/", async (c) => {
  const user = requireUser(c);
  const services = c.get("services");
  c.header("Cache-Control", "no-store");
  return c.json({
    recommendations: await listLive(services.db, user.id),
    analyst: services.analyst.kind,
  });
});

recs.get("/track-record", async (c) => {
  const user = requireUser(c);
  const { db } = c.get("services");
  c.header("Cache-Control", "no-store");
  const [record, scored] = await Promise.all([
    trackRecord(db, user.id),
    recentlyScored(db, user.id, 50),
  ]);
  return c.json({ trackRecord: record, scored });
});

recs.post("/refresh", async (c) => {
  const user = requireUser(c);
  const opts = refreshSchema.parse(await jsonBody(c));
  if (running.has(user.id)) {
    throw new HttpError(409, "refresh_running", "Your ideas are already being refreshed.");
  }
  running.add(user.id);
  const services = c.get("services");
  const encoder = new TextEncoder();
  let open = true;
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (event: string, data: unknown) => {
        if (!open) return;
        try {
          controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
        } catch {
          open = false;
        }
      };
      try {
        // The work finishes and is stored even when the page goes away meanwhile.
        const result = await generateRecommendations(services, user.id, {
          maxCandidates: opts.maxCandidates,
          onProgress: (p) => send("progress", p),
        });
        send("done", result);
      } catch (err) {
        send("error", failure(err));
        if (!(err instanceof AnalystError || err instanceof NoScanDayError)) {
          services.log.error("recommendations refresh failed", {
            userId: user.id,
            error: err instanceof Error ? err.message : String(err),
          });
        }
      } finally {
        running.delete(user.id);
        try {
          controller.close();
        } catch { /* the client cancelled */ }
      }
    },
    cancel() {
      open = false;
    },
  });
  return new Response(body, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-store",
      "X-Accel-Buffering": "no",
    },
  });
});

function failure(err: unknown): { code: string; message: string } {
  if (err instanceof AnalystError) return { code: err.code, message: err.message };
  if (err instanceof NoScanDayError) return { code: "no_scan_day", message: err.message };
  return { code: "internal", message: "The refresh failed; try again." };
}

recs.post("/:id/dismiss", async (c) => {
  const user = requireUser(c);
  const id = recId(c.req.param("id"));
  const r = await setUserStatus(c.get("services").db, user.id, id, { status: "dismissed" });
  return c.json({ recommendation: opened(r) });
});

recs.post("/:id/snooze", async (c) => {
  const user = requireUser(c);
  const id = recId(c.req.param("id"));
  const input = snoozeSchema.parse(await jsonBody(c));
  const until = "days" in input
    ? new Date(Date.now() + input.days * DAY_MS)
    : new Date(input.until);
  const r = await setUserStatus(c.get("services").db, user.id, id, { status: "snoozed", until });
  return c.json({ recommendation: opened(r) });
});

recs.post("/:id/propose", async (c) => {
  const user = requireUser(c);
  const id = recId(c.req.param("id"));
  const services = c.get("services");
  const r = await getRecommendation(services.db, user.id, id);
  if (!r) throw new NotFoundError("No such recommendation.");
  if (r.status !== "live" && r.status !== "snoozed") {
    throw new ConflictError("That recommendation is no longer open (replaced or scored).");
  }
  const proposal = proposalFor(r);
  if (!proposal) {
    throw new ConflictError(
      `A ${r.action} recommendation of ${r.suggestedShares} shares proposes no order.`,
    );
  }
  const result = await fromBroker(() =>
    createProposal(services, user.id, {
      ...proposal,
      source: { kind: "recommendation", ref: String(r.id) },
    }, { onePerSource: true })
  );
  return c.json(result, 201);
});

function opened<T>(r: T | null | "closed"): T {
  if (r === null) throw new NotFoundError("No such recommendation.");
  if (r === "closed") {
    throw new ConflictError("That recommendation is no longer open (replaced or scored).");
  }
  return r;
}

export default recs;
