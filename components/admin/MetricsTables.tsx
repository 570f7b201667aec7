import type { MetricsSummary } from "../../lib/metrics/summary.ts";

function ms(seconds: number | null): string {
  if (seconds === null) return "—";
  return seconds < 1 ? `${(seconds * 1000).toFixed(1)} ms` : `${seconds.toFixed(2)} s`;
}

function ratio(part: number, whole: number): string {
  return whole > 0 ? `${((part / whole) * 100).toFixed(1)} %` : "—";
}

/** This instance's metrics in plain tables (lib/metrics/summary.ts builds them). */
export default function MetricsTables({ summary }: { summary: MetricsSummary }) {
  const { routes, cache, upstream, streams, orders, analyst } = summary;
  return (
    <>
      <table class="ops-table" data-testid="ops-routes">
        <caption>Busiest routes (percentiles estimated from histogram buckets)</caption>
        <thead>
          <tr>
            <th scope="col">Route</th>
            <th scope="col">Requests</th>
            <th scope="col">4xx</th>
            <th scope="col">5xx</th>
            <th scope="col">p50</th>
            <th scope="col">p95</th>
          </tr>
        </thead>
        <tbody>
          {routes.map((r) => (
            <tr key={`${r.method} ${r.route}`}>
              <th scope="row">
                <code>{r.method} {r.route}</code>
              </th>
              <td class="num">{r.requests}</td>
              <td class="num">{r.clientErrors}</td>
              <td class={r.serverErrors ? "num loss" : "num"}>{r.serverErrors}</td>
              <td class="num">{ms(r.p50)}</td>
              <td class="num">{ms(r.p95)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div class="ops-grid">
        <table class="ops-table" data-testid="ops-cache">
          <caption>Cache</caption>
          <thead>
            <tr>
              <th scope="col">Kind</th>
              <th scope="col">Hits</th>
              <th scope="col">Misses</th>
              <th scope="col">Stale</th>
              <th scope="col">Errors</th>
              <th scope="col">Hit ratio</th>
            </tr>
          </thead>
          <tbody>
            {cache.map((c) => (
              <tr key={c.kind}>
                <th scope="row">{c.kind}</th>
                <td class="num">{c.hit}</td>
                <td class="num">{c.miss}</td>
                <td class="num">{c.stale}</td>
                <td class="num">{c.error}</td>
                <td class="num">{ratio(c.hit, c.hit + c.miss + c.stale + c.error)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <table class="ops-table" data-testid="ops-upstream">
          <caption>Outside services</caption>
          <thead>
            <tr>
              <th scope="col">Seam</th>
              <th scope="col">Calls</th>
              <th scope="col">Errors</th>
              <th scope="col">p95</th>
            </tr>
          </thead>
          <tbody>
            {upstream.length === 0 && (
              <tr>
                <td colSpan={4} class="muted">
                  None called (replay, paper broker, offline analyst)
                </td>
              </tr>
            )}
            {upstream.map((u) => (
              <tr key={u.seam}>
                <th scope="row">{u.seam}</th>
                <td class="num">{u.calls}</td>
                <td class={u.errors ? "num loss" : "num"}>{u.errors}</td>
                <td class="num">{ms(u.p95)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <dl class="ops-facts" data-testid="ops-facts">
          <div>
            <dt>Stream clients</dt>
            <dd>
              {streams.length
                ? streams.map((s) => `${s.clients} ${s.transport.toUpperCase()}`).join(", ")
                : "none"}
            </dd>
          </div>
          <div>
            <dt>Orders placed</dt>
            <dd>
              {orders.placed} ({orders.duplicate} answered as duplicates)
            </dd>
          </div>
          <div>
            <dt>Orders refused</dt>
            <dd>
              {orders.refused.length
                ? orders.refused.map((r) => `${r.count} ${r.reason}`).join(", ")
                : "none"}
            </dd>
          </div>
          <div>
            <dt>Analyst requests</dt>
            <dd>
              {analyst.requests.length
                ? analyst.requests.map((r) => `${r.count} ${r.analyst} ${r.task} ${r.result}`)
                  .join(", ")
                : "none"}
            </dd>
          </div>
          <div>
            <dt>Analyst tokens</dt>
            <dd>
              {analyst.tokens.length
                ? analyst.tokens.map((t) => `${t.count} ${t.type}`).join(", ")
                : "none"}
            </dd>
          </div>
        </dl>
      </div>
    </>
  );
}
