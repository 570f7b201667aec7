import type { Halt } from "../lib/broker/halt.ts";
import type { State } from "../lib/state.ts";
import HaltControl from "./HaltControl.tsx";

/** On every page while the kill switch is on: what is halted, since when, why, and the way out. */
export default function HaltBanner(
  { halt, state, next }: { halt: Halt; state: State; next: string },
) {
  const since = new Date(halt.haltedAt).toISOString().slice(0, 16).replace("T", " ");
  return (
    <div class="halt-banner" role="alert" data-testid="halt-banner">
      <strong>
        {halt.scope === "everyone" ? "Trading halted for every account" : "Trading halted"}
      </strong>{" "}
      since {since} UTC{halt.haltedBy ? ` by ${halt.haltedBy}` : ""}:{" "}
      {halt.reason}. New orders are refused; closing a position is still possible.
      {halt.scope === "account"
        ? <HaltControl state={state} action="resume" next={next} />
        : <span class="muted">An administrator resumes it.</span>}
    </div>
  );
}
