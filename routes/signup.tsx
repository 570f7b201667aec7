/** `/signup`: create an account (the first one becomes the admin). Works without JavaScript. */
import { ZodError } from "zod";
import type { Handlers, PageProps, RouteConfig } from "../lib/fresh/types.ts";
import type { State } from "../lib/state.ts";
import AuthCard from "../components/AuthCard.tsx";
import { authKeys } from "../lib/auth/context.ts";
import { sessionCookies } from "../lib/auth/cookies.ts";
import { rotatedCsrfCookie } from "../lib/auth/csrf.ts";
import { field, readForm, redirectWithCookies, safeNext } from "../lib/auth/forms.ts";
import { PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS } from "../lib/auth/passwords.ts";
import { signUp, signupSchema } from "../lib/auth/service.ts";
import { HttpError } from "../lib/http/errors.ts";

export const config: RouteConfig = { skipInheritedLayouts: true };

interface Data {
  next: string;
  username?: string;
  email?: string;
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
    const username = field(form, "username").slice(0, 50);
    const email = field(form, "email").slice(0, 255);
    const password = field(form, "password");
    const again = (error: string, status: number) =>
      ctx.render({ next, username, email, error }, { status });
    if (password !== field(form, "confirm")) return again("The two passwords differ.", 400);
    const { services, clientIp: ip, userAgent, secure } = ctx.state;
    try {
      const input = signupSchema.parse({ username, email, password });
      const { tokens } = await signUp(services, input, { ip, userAgent });
      const csrf = await rotatedCsrfCookie((await authKeys(services)).csrf, secure);
      return redirectWithCookies(next, [...sessionCookies(tokens, secure), csrf]);
    } catch (err) {
      if (err instanceof ZodError) {
        const first = err.issues[0];
        return again(`${String(first.path[0] ?? "form")}: ${first.message}`, 400);
      }
      if (err instanceof HttpError && err.status < 500) return again(err.message, err.status);
      throw err;
    }
  },
};

export default function SignupPage({ data, state }: PageProps<Data, State>) {
  const loginHref = data.next === "/" ? "/login" : `/login?next=${encodeURIComponent(data.next)}`;
  return (
    <AuthCard title="Create your account" error={data.error}>
      <form method="post" action="/signup" class="auth-form" data-testid="signup-form">
        <input type="hidden" name="_csrf" value={state.csrfToken ?? ""} />
        <input type="hidden" name="next" value={data.next} />
        <label>
          Username
          <input
            name="username"
            autocomplete="username"
            required
            minLength={3}
            maxLength={50}
            pattern="[A-Za-z0-9_.\-]+"
            value={data.username ?? ""}
          />
        </label>
        <label>
          Email
          <input
            name="email"
            type="email"
            autocomplete="email"
            required
            maxLength={255}
            value={data.email ?? ""}
          />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autocomplete="new-password"
            required
            minLength={PASSWORD_MIN_CHARS}
            maxLength={PASSWORD_MAX_CHARS}
            aria-describedby="password-rules"
          />
        </label>
        <p id="password-rules" class="muted">
          At least {PASSWORD_MIN_CHARS}{" "}
          characters; a few unrelated words work well. Common passwords are refused.
        </p>
        <label>
          Password again
          <input
            name="confirm"
            type="password"
            autocomplete="new-password"
            required
            maxLength={PASSWORD_MAX_CHARS}
          />
        </label>
        <button class="button" type="submit">Create account</button>
      </form>
      <p class="muted">
        Have an account? <a href={loginHref}>Sign in</a>
      </p>
    </AuthCard>
  );
}
