/** `/logout`: a confirmation form (a GET never signs out: links could be forged), then POST. */
import type { Handlers, PageProps, RouteConfig } from "../lib/fresh/types.ts";
import type { State } from "../lib/state.ts";
import AuthCard from "../components/AuthCard.tsx";
import { authKeys } from "../lib/auth/context.ts";
import { clearSessionCookies, readCookie, REFRESH_COOKIE } from "../lib/auth/cookies.ts";
import { rotatedCsrfCookie } from "../lib/auth/csrf.ts";
import { redirectWithCookies } from "../lib/auth/forms.ts";
import { revokeByRefreshToken, revokeSession } from "../lib/auth/sessions.ts";

export const config: RouteConfig = { skipInheritedLayouts: true };

export const handler: Handlers<undefined, State> = {
  GET(_req, ctx) {
    if (!ctx.state.user) return redirectWithCookies("/login");
    return ctx.render(undefined);
  },
  async POST(req, ctx) {
    const { services, secure } = ctx.state;
    const refresh = readCookie(req.headers.get("Cookie"), REFRESH_COOKIE, secure);
    if (refresh) await revokeByRefreshToken(services.db, refresh);
    const { user, auth } = ctx.state;
    if (user && auth?.sessionId) {
      await revokeSession(services.db, user.id, auth.sessionId, "logout");
    }
    await services.identities.revoked();
    const csrf = await rotatedCsrfCookie((await authKeys(services)).csrf, secure);
    return redirectWithCookies("/login", [...clearSessionCookies(secure), csrf]);
  },
};

export default function LogoutPage({ state }: PageProps<undefined, State>) {
  return (
    <AuthCard title="Sign out">
      <p>
        Signed in as <strong>{state.user?.username}</strong>.
      </p>
      <form method="post" action="/logout" class="auth-form" data-testid="logout-form">
        <input type="hidden" name="_csrf" value={state.csrfToken ?? ""} />
        <button class="button" type="submit">Sign out</button>
      </form>
      <p class="muted">
        <a href="/">Back to the dashboard</a>
      </p>
    </AuthCard>
  );
}
