/**
 * Doing what a palette command says, after any confirmation: navigation goes to the page; the
 * morning brief, the halt and the theme are one API call each (the same ones their pages use),
 * then the page that shows the result. Returns a problem to show, or null when done.
 */
import { callApi } from "../trading_fetch.ts";
import { announceCommand } from "../telemetry.ts";
import { applyAppearance } from "../settings/form.ts";
import type { Density } from "../../shared/appearance.ts";
import type { Command } from "./commands.ts";

export async function runCommand(command: Command, csrfToken: string): Promise<string | null> {
  // Counted by telemetry when the user has it on (its kind only: lib/shared/telemetry.ts).
  announceCommand(command.id);
  const run = command.run;
  switch (run.kind) {
    case "go":
      location.assign(run.href);
      return null;
    case "brief": {
      const res = await callApi("/api/morning/brief", { method: "POST", body: {}, csrfToken });
      if (!res.ok) return res.problem.message;
      location.assign("/morning-routine");
      return null;
    }
    case "halt": {
      const res = await callApi("/api/trading/halt", {
        method: "POST",
        body: { reason: "Halted from the command palette" },
        csrfToken,
      });
      if (!res.ok) return res.problem.message;
      // The page comes back with the halt banner.
      location.reload();
      return null;
    }
    case "theme": {
      const res = await callApi("/api/settings", {
        method: "PATCH",
        body: { theme: run.theme },
        csrfToken,
      });
      if (!res.ok) return res.problem.message;
      const density = (document.documentElement.dataset.density ?? "comfortable") as Density;
      applyAppearance({ theme: run.theme, density });
      return null;
    }
  }
}
