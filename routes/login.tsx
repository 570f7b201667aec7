/** `/login`: the sign-in form. Works without JavaScript; success sets the session cookies. */
import type { Handlers, PageProps, RouteConfig } from "../lib/fresh/types.ts";
import type { State } from "../lib/state.ts";
import AuthCard from "../components/AuthCard.tsx";
import { authKeys } from "../lib/auth/context.ts";
import { sessionCookies } from "../lib/auth/cookies.ts";
import { rotatedCsrfCookie } from "../lib/auth/csrf.ts";
import { field, readForm, redirectWithCookies, safeNext } from "../lib/auth/forms.ts";
import { logIn, loginSchema, TooManyAttemptsError } from "../lib/auth/service.ts";
import { UnauthorizedError } from "../lib/http/errors.ts";

export const config: RouteConfig = { skipInheritedLayouts: true };

interface Data {
  next: string;
  login?: string;
  error?: string;
}

export const handler: Handlers<Data, State> = {
  GET(_req, ctx) {
    const next = safeNext(ctx.url.searchParams.get("next"));
    if (ctx.state.user) return redirectWithCookies(next);
    return ctx.render({ next });
  },
  async POST(req, ctx) {
    const form = await readForm(req);
    const next = safeNext(field(form, "next"));
    const login = field(form, "login").slice(0, 255);
    const parsed = loginSchema.safeParse({ login, password: field(form, "password") });
    if (!parsed.success) {
      return ctx.render({ next, login, error: "Enter your username or email and your password." }, {
        status: 400,
      });
    }
    const { services, clientIp: ip, userAgent, secure } = ctx.state;
    try {
      const { tokens } = await logIn(services, parsed.data, { ip, userAgent });
      const csrf = await rotatedCsrfCookie((await authKeys(services)).csrf, secure);
      return redirectWithCookies(next, [...sessionCookies(tokens, secure), csrf]);
    } catch (err) {
      if (err instanceof TooManyAttemptsError) {
        return ctx.render({ next, login, error: err.message }, {
          status: 429,
          headers: { "Retry-After": String(err.retryAfter) },
        });
      }
      if (err instanceof UnauthorizedError) {
        return ctx.render({ next, login, error: err.message }, { status: 401 });
      }
      throw err;
    }
  },
};

export default function LoginPage({ data, state }: PageProps<Data, State>) {
  const signupHref = data.next === "/"
    ? "/signup"
    : `/signup?next=${encodeURIComponent(data.next)}`;
  return (
    <AuthCard title="Sign in" error={data.error}>
      <form method="post" action="/login" class="auth-form" data-testid="login-form">
        <input type="hidden" name="_csrf" value={state.csrfToken ?? ""} />
        <input type="hidden" name="next" value={data.next} />
        <label>
          Username or email
          <input
            name="login"
            autocomplete="username"
            required
            maxLength={255}
            value={data.login ?? ""}
          />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autocomplete="current-password"
            required
            maxLength={1024}
          />
        </label>
        <button class="button" type="submit">Sign in</button>
      </form>
      <p class="muted">
        New here? <a href={signupHref}>Create an account</a>
      </p>
    </AuthCard>
  );
}
