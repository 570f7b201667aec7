/**
 * `POST /trading/halt`: the kill switch's form (components/HaltControl.tsx), for pages without
 * scripts. `action=halt|resume`; back to `next` (a path on this site) afterwards. The JSON API
 * is `/api/trading/halt` and `/resume`.
 */
import type { Handlers } from "../../lib/fresh/types.ts";
import type { State } from "../../lib/state.ts";
import { readForm, redirectWithCookies, safeNext } from "../../lib/auth/forms.ts";
import { BadRequestError } from "../../lib/http/errors.ts";

/** The page the form was on, when the browser says and it is ours. */
function refererPath(req: Request): string {
  const referer = req.headers.get("Referer");
  if (!referer) return "/";
  try {
    const from = new URL(referer);
    return from.origin === new URL(req.url).origin ? from.pathname + from.search : "/";
  } catch {
    return "/";
  }
}

export const handler: Handlers<undefined, State> = {
  GET() {
    return redirectWithCookies("/settings");
  },
  async POST(req, ctx) {
    const { user, services } = ctx.state;
    if (!user) return redirectWithCookies("/login");
    const form = await readForm(req);
    const action = form.get("action");
    if (action === "halt") {
      await services.halts.halt(user.id, { reason: "Halted from the dashboard" });
    } else if (action === "resume") {
      await services.halts.resume(user.id);
    } else {
      throw new BadRequestError("`action` must be halt or resume.", { field: "action" });
    }
    return redirectWithCookies(safeNext(form.get("next") ?? refererPath(req)));
  },
};
