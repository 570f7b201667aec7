/**
 * A name for this process among the app's instances, written beside what it records (job runs):
 * the region and deployment on Deno Deploy, `host:pid` elsewhere. Operational, never secret.
 */
function name(): string {
  const deployment = Deno.env.get("DENO_DEPLOYMENT_ID");
  if (deployment) return `deploy:${Deno.env.get("DENO_REGION") ?? "?"}:${deployment}`;
  let host = "localhost";
  try {
    host = Deno.hostname();
  } catch {
    // Without --allow-sys the host stays unnamed; the pid still tells processes apart.
  }
  return `${host}:${Deno.pid}`.slice(0, 200);
}

export const INSTANCE: string = name();
