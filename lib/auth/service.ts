/**
 * Account operations shared by the JSON API (`routes/api/auth.ts`) and the HTML forms
 * (`routes/login.tsx`, `routes/signup.tsx`): validation, sign-up, sign-in with slowdown,
 * token issue and refresh.
 */
import { z } from "zod";
import { BadRequestError, HttpError, UnauthorizedError } from "../http/errors.ts";
import type { Services } from "../services.ts";
import type { AuthUser } from "../state.ts";
import { authKeys, bcryptCost } from "./context.ts";
import { burnVerification, hashPassword, passwordProblem, verifyPassword } from "./passwords.ts";
import { clearLoginFailures, loginWaitSeconds, recordLoginFailure } from "./rate_limit.ts";
import {
  createSession,
  rotateRefreshToken,
  type RotateResult,
  type SessionMeta,
} from "./sessions.ts";
import { signAccessToken } from "./tokens.ts";
import { createUser, findByLogin, recordLogin } from "./users.ts";

export const signupSchema = z.object({
  username: z.string().trim().min(3).max(50).regex(
    /^[A-Za-z0-9_.-]+$/,
    "letters, digits, dots, dashes and underscores only",
  ),
  email: z.string().trim().max(255).pipe(z.email()),
  // Rules beyond a sane bound are checked by passwordProblem, with a readable message.
  password: z.string().min(1).max(1024),
}).strict();

/** Text that Postgres can store: no NUL character (a `text` value cannot hold one). */
export const storableText = (min: number, max: number) =>
  z.string().trim().min(min).max(max).refine((s) => !s.includes("\u0000"), "must not contain NUL");

export const loginSchema = z.object({
  /** Username or email. */
  login: storableText(1, 255),
  password: z.string().min(1).max(1024),
}).strict();

/** Access and refresh tokens as handed to a client. */
export interface IssuedTokens {
  accessToken: string;
  /** Epoch seconds. */
  accessExpiresAt: number;
  refreshToken?: string;
  refreshExpiresAt?: Date;
  sessionId: string;
}

/** Throws 400 `weak_password` when the password breaks a rule. */
export async function assertPasswordAllowed(
  password: string,
  context: { username?: string; email?: string },
  field = "password",
): Promise<void> {
  const problem = await passwordProblem(password, context);
  if (problem) {
    throw new BadRequestError(problem, [{ path: field, message: problem }], "weak_password");
  }
}

/** Signs a new access token for a session. */
export async function accessFor(
  services: Services,
  userId: number,
  sessionId: string,
): Promise<{ accessToken: string; accessExpiresAt: number }> {
  const { signing } = await authKeys(services);
  const { token, expiresAt } = await signAccessToken(signing, { userId, sessionId });
  return { accessToken: token, accessExpiresAt: expiresAt };
}

async function startSession(
  services: Services,
  user: AuthUser,
  meta: SessionMeta,
): Promise<IssuedTokens> {
  const session = await createSession(services.db, user.id, meta);
  return {
    ...(await accessFor(services, user.id, session.sessionId)),
    refreshToken: session.refreshToken,
    refreshExpiresAt: session.expiresAt,
    sessionId: session.sessionId,
  };
}

/**
 * Creates an account (the first one is the admin) and signs it in. The answer is the same
 * whether or not the email was already registered (createUser keeps a taken email with its
 * owner), and both cases pay for the same bcrypt hash, so neither the body nor the timing
 * tells them apart: the returned user carries the email as typed.
 */
export async function signUp(
  services: Services,
  input: z.infer<typeof signupSchema>,
  meta: SessionMeta,
): Promise<{ user: AuthUser; tokens: IssuedTokens }> {
  await assertPasswordAllowed(input.password, input);
  const passwordHash = await hashPassword(input.password, bcryptCost(services.config));
  const user = await createUser(services.db, { ...input, passwordHash });
  await recordLogin(services.db, user.id);
  return {
    user: { ...user, email: input.email },
    tokens: await startSession(services, user, meta),
  };
}

/** 429 with Retry-After: too many failed sign-ins for this account from this address. */
export class TooManyAttemptsError extends HttpError {
  constructor(readonly retryAfter: number) {
    super(
      429,
      "too_many_attempts",
      `Too many failed sign-ins. Try again in ${retryAfter} s.`,
      { retryAfter },
      { "Retry-After": String(retryAfter) },
    );
  }
}

/**
 * Checks a username/email and password. Failures are counted per (account, IP) pair and per
 * IP; past the free attempts each one doubles a wait (TooManyAttemptsError), so failures from
 * other addresses never stop the owner signing in from theirs. An account is counted by its id
 * whichever of its names is typed (an unknown login by the text), and unknown logins cost the
 * same time as wrong passwords and get the same answer.
 */
export async function logIn(
  services: Services,
  input: z.infer<typeof loginSchema>,
  meta: SessionMeta & { ip: string },
): Promise<{ user: AuthUser; tokens: IssuedTokens }> {
  const { kv, db } = services;
  const found = await findByLogin(db, input.login);
  const account = found ? `user:${found.id}` : `login:${input.login.toLowerCase()}`;
  const wait = await loginWaitSeconds(kv, account, meta.ip);
  if (wait > 0) throw new TooManyAttemptsError(wait);
  const ok = found
    ? await verifyPassword(input.password, found.password_hash)
    : (await burnVerification(bcryptCost(services.config)), false);
  if (!found || !ok) {
    await recordLoginFailure(kv, account, meta.ip);
    throw new UnauthorizedError("Wrong username, email or password.");
  }
  await clearLoginFailures(kv, account, meta.ip);
  await recordLogin(db, found.id);
  const user: AuthUser = {
    id: found.id,
    username: found.username,
    email: found.email,
    role: found.role,
  };
  return { user, tokens: await startSession(services, user, meta) };
}

/** Rotates a refresh token; on success a new access token comes with it. */
export async function refreshTokens(
  services: Services,
  refreshToken: string,
  options: { graceMs?: number; meta?: SessionMeta } = {},
): Promise<{ result: RotateResult; tokens?: IssuedTokens }> {
  const result = await rotateRefreshToken(services.db, refreshToken, options);
  if (result.kind === "rotated") {
    return {
      result,
      tokens: {
        ...(await accessFor(services, result.userId, result.sessionId)),
        refreshToken: result.refreshToken,
        refreshExpiresAt: result.expiresAt,
        sessionId: result.sessionId,
      },
    };
  }
  if (result.kind === "grace") {
    return {
      result,
      tokens: {
        ...(await accessFor(services, result.userId, result.sessionId)),
        sessionId: result.sessionId,
      },
    };
  }
  if (result.kind === "reused") {
    await services.identities.revoked();
    services.log.warn("refresh token reused: session family revoked", {
      user_id: result.userId,
      session: result.sessionId,
    });
  }
  return { result };
}
