import type { State } from "../lib/state.ts";
import HaltControl from "./HaltControl.tsx";

/**
 * Who is signed in, and a sign-out button. A form POST with the CSRF field, so it works without
 * JavaScript and no link elsewhere can sign anyone out.
 */
export default function UserMenu({ state }: { state: State }) {
  if (!state.user) return null;
  return (
    <>
      {!state.halt && <HaltControl state={state} />}
      <form method="post" action="/logout" class="user-menu" data-testid="user-menu">
        <span class="user-menu__name" title={`Signed in as ${state.user.username}`}>
          {state.user.username}
        </span>
        <input type="hidden" name="_csrf" value={state.csrfToken ?? ""} />
        <button class="user-menu__out" type="submit">Sign out</button>
      </form>
    </>
  );
}
