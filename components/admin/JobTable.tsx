import type { JobView } from "../../lib/scheduler/view.ts";

/** `2026-12-05 13:30 UTC`, broken (if at all) between the date and the time, never inside. */
function when(iso: string | null) {
  if (!iso) return "—";
  const text = iso.replace(/:\d\d\.\d{3}Z$/, " UTC");
  const [date, time] = [text.slice(0, 10), text.slice(11)];
  return (
    <>
      <span class="ops-nowrap">{date}</span> <span class="ops-nowrap">{time}</span>
    </>
  );
}

/** The cron jobs with their last and next runs, each with a Run now form (admins only). */
export default function JobTable({ jobs, csrfToken }: { jobs: JobView[]; csrfToken: string }) {
  return (
    // Scrolls sideways rather than squeeze its columns where the page is narrow (the split view).
    <div class="ops-table-wrap">
      <table class="ops-table" data-testid="ops-jobs">
        <caption>Scheduled jobs (cron, UTC; runs of every instance)</caption>
        <thead>
          <tr>
            <th scope="col">Job</th>
            <th scope="col">Schedule</th>
            <th scope="col">Last run</th>
            <th scope="col">Took</th>
            <th scope="col">Result</th>
            <th scope="col">Next run</th>
            <th scope="col"></th>
          </tr>
        </thead>
        <tbody>
          {jobs.map((job) => {
            const last = job.lastRun;
            const result = job.running
              ? "running"
              : last === null
              ? "never ran here"
              : last.ok
              ? "ok"
              : `failed: ${last.error ?? ""}`;
            return (
              <tr key={job.id} data-job={job.id}>
                <th scope="row">{job.name}</th>
                <td>
                  <code>{job.schedule}</code>
                </td>
                <td>
                  {when(last?.startedAt ?? null)}
                  {last?.trigger === "manual" ? " (manual)" : ""}
                </td>
                <td class="num">{last?.durationMs != null ? `${last.durationMs} ms` : "—"}</td>
                <td class={last && last.ok === false ? "loss" : undefined}>{result}</td>
                <td>{when(job.nextRun)}</td>
                <td>
                  <form method="post" action="/admin">
                    <input type="hidden" name="_csrf" value={csrfToken} />
                    <input type="hidden" name="job" value={job.id} />
                    <button class="button button--small" type="submit" disabled={job.running}>
                      Run now
                    </button>
                  </form>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
