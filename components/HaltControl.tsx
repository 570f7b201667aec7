import type { State } from "../lib/state.ts";

/**
 * The kill switch's button: one click halts the signed-in account (a plain form POST with the
 * CSRF field, so it works before any script has loaded). `action` picks halt or resume.
 */
export default function HaltControl(
  { state, action = "halt", next }: { state: State; action?: "halt" | "resume"; next?: string },
) {
  if (!state.user) return null;
  return (
    <form method="post" action="/trading/halt" class="halt-control" data-testid={`${action}-form`}>
      <input type="hidden" name="_csrf" value={state.csrfToken ?? ""} />
      <input type="hidden" name="action" value={action} />
      {next && <input type="hidden" name="next" value={next} />}
      {action === "halt"
        ? (
          <button
            class="halt-control__button"
            type="submit"
            title="Refuse every new order on this account until you resume (closing stays possible)"
          >
            Halt trading
          </button>
        )
        : <button class="button" type="submit">Resume trading</button>}
    </form>
  );
}
