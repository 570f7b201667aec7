/**
 * `/admin`: operations at a glance, for admins (others get 403): this instance's metrics
 * (lib/metrics/summary.ts), the cron jobs with their runs and a Run now button for each (a form
 * POST here, so it works without scripts), and what browser telemetry reported. Server-rendered;
 * the full metrics are at `GET /api/monitoring/metrics`.
 */
import { z } from "zod";
import type { Handlers, PageProps } from "../lib/fresh/types.ts";
import type { State } from "../lib/state.ts";
import { readForm, redirectWithCookies } from "../lib/auth/forms.ts";
import { type MetricsSummary, summarizeMetrics } from "../lib/metrics/summary.ts";
import { findJob, jobId, type JobView, listJobs } from "../lib/scheduler/view.ts";
import { type TelemetrySummary, telemetrySummary } from "../lib/telemetry/repo.ts";
import { INSTANCE } from "../lib/instance.ts";
import JobTable from "../components/admin/JobTable.tsx";
import MetricsTables from "../components/admin/MetricsTables.tsx";

type Data =
  | { forbidden: true }
  | {
    forbidden: false;
    metrics: MetricsSummary;
    jobs: JobView[];
    telemetry: TelemetrySummary;
    notice: string | null;
  };

const runForm = z.object({ job: z.string().min(1).max(100) });

const forbidden = () => new Response("Only an admin may open this page.", { status: 403 });

export const handler: Handlers<Data, State> = {
  async GET(_req, ctx) {
    if (ctx.state.user?.role !== "admin") return ctx.render({ forbidden: true }, { status: 403 });
    const services = ctx.state.services;
    const [jobs, telemetry] = await Promise.all([
      listJobs(services, { admin: true }),
      telemetrySummary(services.db),
    ]);
    const ran = ctx.url.searchParams.get("ran");
    const busy = ctx.url.searchParams.get("busy");
    const named = (id: string | null) => jobs.find((j) => j.id === id)?.name;
    const notice = named(ran)
      ? `${named(ran)} started; reload for its result.`
      : named(busy)
      ? `${named(busy)} is already running.`
      : null;
    return ctx.render({ forbidden: false, metrics: summarizeMetrics(), jobs, telemetry, notice });
  },
  async POST(req, ctx) {
    if (ctx.state.user?.role !== "admin") return forbidden();
    const parsed = runForm.safeParse(Object.fromEntries(await readForm(req)));
    const job = parsed.success ? findJob(ctx.state.services, parsed.data.job) : undefined;
    if (!job) return new Response("No such job.", { status: 404 });
    const started = await job.start("manual");
    if (started) {
      started.done.catch(() => {});
      ctx.state.services.log.info("job run requested", { job: job.name, by: ctx.state.user.id });
    }
    return redirectWithCookies(`/admin?${started ? "ran" : "busy"}=${jobId(job.name)}`);
  },
};

export default function AdminPage({ data, state }: PageProps<Data, State>) {
  if (data.forbidden) {
    return (
      <div class="ticket-page">
        <h1 class="ticket-page-title">Operations</h1>
        <p role="alert">Only an admin may open this page.</p>
      </div>
    );
  }
  const { metrics, jobs, telemetry, notice } = data;
  return (
    <div class="ticket-page ops-page" data-testid="admin-page">
      <header class="ticket-page-header">
        <h1 class="ticket-page-title">Operations</h1>
        <p class="muted">
          Metrics of this instance ({INSTANCE},{" "}
          {state.services.version}) since it started; jobs and telemetry from the database.
          Prometheus reads the same numbers at <code>/api/monitoring/metrics</code>{" "}
          with an admin's API token.
        </p>
        {notice && <p role="status" class="notice">{notice}</p>}
      </header>
      <section class="glass settings-section" aria-labelledby="ops-jobs-title">
        <h2 id="ops-jobs-title">Jobs</h2>
        <JobTable jobs={jobs} csrfToken={state.csrfToken ?? ""} />
      </section>
      <section class="glass settings-section" aria-labelledby="ops-metrics-title">
        <h2 id="ops-metrics-title">Requests and seams</h2>
        <MetricsTables summary={metrics} />
      </section>
      <section class="glass settings-section" aria-labelledby="ops-telemetry-title">
        <h2 id="ops-telemetry-title">Telemetry (last 30 days, users who turned it on)</h2>
        {telemetry.byEvent.length === 0
          ? <p class="muted">No events.</p>
          : (
            <table class="ops-table" data-testid="ops-telemetry">
              <thead>
                <tr>
                  <th scope="col">Event</th>
                  <th scope="col">Page</th>
                  <th scope="col">Command</th>
                  <th scope="col">Count</th>
                </tr>
              </thead>
              <tbody>
                {telemetry.byEvent.map((e) => (
                  <tr key={`${e.name} ${e.page} ${e.command}`}>
                    <td>{e.name}</td>
                    <td>{e.page ?? "—"}</td>
                    <td>{e.command ?? "—"}</td>
                    <td class="num">{e.count}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        {telemetry.topErrors.length > 0 && (
          <>
            <h3>Most frequent client errors</h3>
            <ul>
              {telemetry.topErrors.map((e) => <li key={e.message}>{e.count} × {e.message}</li>)}
            </ul>
          </>
        )}
      </section>
    </div>
  );
}
