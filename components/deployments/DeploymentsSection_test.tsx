import assert from "node:assert/strict";
import { renderToString } from "preact-render-to-string";
import DeploymentsSection from "./DeploymentsSection.tsx";
import type { DeploymentView } from "../../lib/client/deployments/view.ts";

const dep = (id: number, status: DeploymentView["status"]): DeploymentView => ({
  id,
  strategyId: 3,
  strategyVersion: 2,
  strategyName: "EMA trend",
  capital: 25_000,
  limits: { maxPositions: 3, maxOrderValue: null },
  status,
  startedOn: "2019-02-01",
  last: status === "active"
    ? { session: "2019-02-05", status: "done", proposalsMade: 2, ordersPlaced: 1, error: null }
    : null,
});

Deno.test("the Deployments section renders the form, each deployment and its moves", () => {
  const html = renderToString(
    <DeploymentsSection
      deployments={[dep(1, "active"), dep(2, "stopped")]}
      strategies={[{ id: 3, name: "EMA trend", version: 2 }]}
      csrfToken="t"
    />,
  );
  assert.match(html, /<h2 id="deployments-title">Deployments<\/h2>/);
  assert.match(html, /<option[^>]*value="3"[^>]*>EMA trend<\/option>/);
  assert.match(html, />Deploy<\/button>/);
  assert.equal(html.match(/data-testid="deployment-item"/g)?.length, 2);
  assert.match(html, /EMA trend v2/);
  assert.match(html, /\$25,000\.00 · 3 positions at most · since 2019-02-01/);
  assert.match(html, /2019-02-05: 2 proposals, 1 order placed\./);
  assert.match(html, /Not evaluated yet/);
  // Active: pause and stop; stopped: neither.
  assert.equal(html.match(/>Pause<\/button>/g)?.length, 1);
  assert.equal(html.match(/>Stop<\/button>/g)?.length, 1);
  assert.doesNotMatch(html, />Resume<\/button>/);
});

Deno.test("the Deployments section without strategies or deployments says so", () => {
  const html = renderToString(
    <DeploymentsSection deployments={[]} strategies={[]} csrfToken="t" />,
  );
  assert.match(html, /Save a strategy first/);
  assert.match(html, /Nothing deployed yet/);
  assert.doesNotMatch(html, /<form/);
});
