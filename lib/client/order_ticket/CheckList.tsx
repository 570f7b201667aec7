/**
 * A review's pre-trade checks, one line each with its verdict (passed, warning, refused), the
 * rule in words and, for a refusal, by how much it missed. Shared by the stock and option tickets.
 */
import type { CheckResult } from "../../broker/types.ts";
import { checkVerdict, excessText, ruleLabel } from "../trade_checks.ts";

export function CheckList({ checks }: { checks: readonly CheckResult[] }) {
  return (
    <ul class="ticket-checks" data-testid="ticket-checks">
      {checks.map((c, i) => {
        const verdict = checkVerdict(c);
        const excess = verdict === "refuse" ? excessText(c) : "";
        return (
          <li
            key={`${c.rule}-${i}`}
            class={`ticket-check ticket-check--${verdict}`}
            data-verdict={verdict}
            data-rule={c.rule}
          >
            <span class="ticket-check-icon" aria-hidden="true">
              {verdict === "ok" ? "✓" : verdict === "warn" ? "!" : "✕"}
            </span>
            <span class="sr-only">
              {verdict === "ok" ? "Passed:" : verdict === "warn" ? "Warning:" : "Refused:"}
            </span>
            <span>
              <strong>{ruleLabel(c.rule)}</strong> {c.message}
              {excess && <em class="ticket-excess">{` — ${excess}`}</em>}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
