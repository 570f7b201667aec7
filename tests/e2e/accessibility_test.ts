/**
 * Browser test of accessibility: axe-core (Deque's rule engine) checks the sign-in and sign-up
 * forms, the hub, every stage, a symbol page, onboarding, operations and the not-found page
 * against WCAG 2.2 A and AA (names, labels, contrast, keyboard access to scrolling
 * regions, landmarks' structure), in the dark theme and, for three pages, the light one. Any
 * violation fails the test with its rule, its help text and where it was found.
 *
 * axe's best-practice rules are not run: one of them wants every element inside a landmark,
 * and the split view's divider sits between the two panes on purpose.
 */
import assert from "node:assert/strict";
import axe from "axe-core";
import type { Page } from "playwright-core";
import { signUpForBrowser } from "../_auth.ts";
import { openReplayEnv } from "../_replay_env.ts";
import { STAGES } from "../../lib/shared/stages.ts";
import { e2eTest, launchBrowser, newPage, startApp } from "./_helpers.ts";

const WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

interface Found {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** Runs axe on the page as it is now; returns one line per violation. */
async function violations(page: Page): Promise<string[]> {
  const found: Found[] = await page.evaluate(async (tags) => {
    // deno-lint-ignore no-explicit-any
    const engine = (globalThis as any).axe;
    const result = await engine.run(document, {
      runOnly: { type: "tag", values: tags },
      resultTypes: ["violations"],
    });
    // deno-lint-ignore no-explicit-any
    return result.violations.map((v: any) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      // deno-lint-ignore no-explicit-any
      targets: v.nodes.slice(0, 5).map((n: any) => n.target.join(" ")),
    }));
  }, WCAG);
  return found.map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.targets.join(", ")}`);
}

e2eTest(
  "accessibility: every page passes axe's WCAG 2.2 AA rules, in both themes",
  async () => {
    const app = await startApp({ env: openReplayEnv() });
    const browser = await launchBrowser();
    try {
      const page = await newPage(browser);
      const problems: string[] = [];
      const check = async (theme: string, paths: string[]) => {
        for (const path of paths) {
          await page.goto(`${app.url}${path}`, { waitUntil: "networkidle" });
          // Evaluated, not added as a <script>: the page's CSP allows only our own files.
          await page.evaluate(axe.source);
          for (const line of await violations(page)) problems.push(`${theme} ${path}: ${line}`);
        }
      };
      // Signed out, then in: the forms, the hub, every stage, the pages around them.
      await check("dark", ["/login", "/signup"]);
      await signUpForBrowser(page, app.url);
      const stages = STAGES.map((s) => s.href);
      await check("dark", ["/", ...stages, "/symbol/AAPL", "/onboarding", "/admin", "/no-such"]);
      // The light theme, chosen in Settings as a user would, for the hub and two busy stages.
      await page.goto(`${app.url}/settings`, { waitUntil: "networkidle" });
      const form = page.getByTestId("settings-form");
      await form.getByLabel("Light").check();
      await page.getByTestId("settings-save").click();
      await form.getByText("Saved.").waitFor();
      await check("light", ["/", "/execute", "/symbol/AAPL"]);
      assert.deepEqual(problems, [], `axe found:\n${problems.join("\n")}`);
    } catch (err) {
      console.error(`--- app output ---\n${app.logs()}`);
      throw err;
    } finally {
      await browser.close();
      await app.stop();
    }
  },
);
