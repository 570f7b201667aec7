import { useState } from "preact/hooks";
import { callApi } from "../lib/client/trading_fetch.ts";
import {
  applyAppearance,
  changedFields,
  type EditableSettings,
  parseNumber,
} from "../lib/client/settings/form.ts";
import { NOTIFICATION_KIND_LABELS, NOTIFICATION_KINDS } from "../lib/shared/notification_kinds.ts";

type NumberKey =
  | "riskTolerance"
  | "maxPositionPercent"
  | "maxOrderValue"
  | "dailyLossLimit"
  | "defaultOrderSize"
  | "startingCash";

const NUMBERS: { key: NumberKey; label: string; unit: string; hint: string; group: string }[] = [
  {
    key: "maxPositionPercent",
    label: "Largest position",
    unit: "% of equity",
    hint: "Orders that would make one position bigger are refused.",
    group: "risk",
  },
  {
    key: "maxOrderValue",
    label: "Largest order",
    unit: "USD",
    hint: "Estimated at the current price.",
    group: "risk",
  },
  {
    key: "dailyLossLimit",
    label: "Daily loss limit",
    unit: "USD",
    hint: "Past it, only orders that reduce a position go through.",
    group: "risk",
  },
  {
    key: "riskTolerance",
    label: "Risk tolerance",
    unit: "0–100",
    hint: "0 very conservative, 100 very aggressive; the analyst reads it.",
    group: "risk",
  },
  {
    key: "defaultOrderSize",
    label: "Default order size",
    unit: "shares",
    hint: "What the ticket starts with.",
    group: "trading",
  },
  {
    key: "startingCash",
    label: "Starting paper cash",
    unit: "USD",
    hint: "Used when the paper account opens or is reset; an open account keeps its cash.",
    group: "trading",
  },
];

/**
 * Risk limits, trading defaults, notifications and appearance: one form, and only what changed
 * is sent. The server's schema decides; its reasons show beside the fields. Theme and density
 * apply at once and are remembered for the next page.
 */
export default function SettingsForm(
  { initial, csrfToken }: { initial: EditableSettings; csrfToken: string },
) {
  const [saved, setSaved] = useState(initial);
  const [draft, setDraft] = useState(initial);
  const [texts, setTexts] = useState<Record<NumberKey, string>>(
    Object.fromEntries(NUMBERS.map((n) => [n.key, String(initial[n.key])])) as Record<
      NumberKey,
      string
    >,
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<{ error: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const set = <K extends keyof EditableSettings>(key: K, value: EditableSettings[K]) =>
    setDraft((d) => ({ ...d, [key]: value }));

  const submit = async (e: Event) => {
    e.preventDefault();
    const withNumbers = { ...draft };
    for (const n of NUMBERS) withNumbers[n.key] = parseNumber(texts[n.key]);
    const patch = changedFields(saved, withNumbers);
    const bad = NUMBERS.filter((n) => n.key in patch && !Number.isFinite(patch[n.key]));
    if (bad.length) {
      setErrors(Object.fromEntries(bad.map((n) => [n.key, "Enter a number."])));
      return setStatus({ error: true, text: "Some values are not numbers." });
    }
    if (Object.keys(patch).length === 0) {
      return setStatus({ error: false, text: "Nothing changed." });
    }
    setBusy(true);
    const res = await callApi<{ settings: EditableSettings }>("/api/settings", {
      method: "PATCH",
      body: patch,
      csrfToken,
    });
    setBusy(false);
    if (!res.ok) {
      setErrors(Object.fromEntries(res.problem.issues.map((i) => [i.path, i.message])));
      return setStatus({ error: true, text: res.problem.message });
    }
    setErrors({});
    setSaved(res.data.settings);
    setDraft(res.data.settings);
    applyAppearance({ theme: res.data.settings.theme, density: res.data.settings.density });
    setStatus({ error: false, text: "Saved." });
  };

  const numberField = (n: typeof NUMBERS[number]) => (
    <label class="settings-field" key={n.key}>
      <span>
        {n.label} <span class="muted">({n.unit})</span>
      </span>
      <input
        name={n.key}
        inputMode="decimal"
        value={texts[n.key]}
        aria-invalid={errors[n.key] ? true : undefined}
        aria-describedby={`${n.key}-hint`}
        onInput={(e) => setTexts((t) => ({ ...t, [n.key]: e.currentTarget.value }))}
      />
      <small id={`${n.key}-hint`} class={errors[n.key] ? "form-error" : "muted"}>
        {errors[n.key] ?? n.hint}
      </small>
    </label>
  );

  return (
    <form class="settings-form" onSubmit={submit} data-testid="settings-form">
      <fieldset>
        <legend>Risk limits</legend>
        {NUMBERS.filter((n) => n.group === "risk").map(numberField)}
        <label class="settings-check">
          <input
            type="checkbox"
            checked={draft.allowShortSelling}
            onChange={(e) => set("allowShortSelling", e.currentTarget.checked)}
          />{" "}
          Allow short selling (selling shares you do not hold)
        </label>
      </fieldset>
      <fieldset>
        <legend>Trading defaults</legend>
        <label class="settings-field">
          <span>Order type</span>
          <select
            value={draft.defaultOrderType}
            onChange={(e) => set("defaultOrderType", e.currentTarget.value as "market" | "limit")}
          >
            <option value="market">Market</option>
            <option value="limit">Limit</option>
          </select>
        </label>
        <label class="settings-field">
          <span>Time in force</span>
          <select
            value={draft.defaultTimeInForce}
            onChange={(e) => set("defaultTimeInForce", e.currentTarget.value as "day" | "gtc")}
          >
            <option value="day">Day</option>
            <option value="gtc">Good till cancelled</option>
          </select>
        </label>
        {NUMBERS.filter((n) => n.group === "trading").map(numberField)}
      </fieldset>
      <fieldset>
        <legend>Notifications</legend>
        <p class="muted">
          Everything lands under the bell; these also pop up while you work.
        </p>
        {NOTIFICATION_KINDS.map((k) => (
          <label class="settings-check" key={k}>
            <input
              type="checkbox"
              checked={draft.toastKinds.includes(k)}
              onChange={(e) =>
                set(
                  "toastKinds",
                  e.currentTarget.checked
                    ? [...draft.toastKinds, k]
                    : draft.toastKinds.filter((x) => x !== k),
                )}
            />{" "}
            {NOTIFICATION_KIND_LABELS[k]}
          </label>
        ))}
        <label class="settings-check">
          <input
            type="checkbox"
            name="telemetry"
            checked={draft.telemetry}
            aria-describedby="telemetry-hint"
            onChange={(e) => set("telemetry", e.currentTarget.checked)}
          />{" "}
          Send anonymous usage events
        </label>
        <small id="telemetry-hint" class="muted">
          Which pages you open, which kinds of palette commands you use, and page errors with
          numbers, addresses and links removed; never your name, symbols or account. Off unless you
          turn it on; applies from the next page.
        </small>
      </fieldset>
      <fieldset>
        <legend>Appearance</legend>
        <div class="settings-choice" role="radiogroup" aria-label="Theme">
          {(["dark", "light", "system"] as const).map((theme) => (
            <label key={theme}>
              <input
                type="radio"
                name="theme"
                value={theme}
                checked={draft.theme === theme}
                onChange={() => set("theme", theme)}
              />{" "}
              {theme === "system" ? "Follow the system" : theme === "dark" ? "Dark" : "Light"}
            </label>
          ))}
        </div>
        <div class="settings-choice" role="radiogroup" aria-label="Density">
          {(["comfortable", "compact"] as const).map((density) => (
            <label key={density}>
              <input
                type="radio"
                name="density"
                value={density}
                checked={draft.density === density}
                onChange={() => set("density", density)}
              />{" "}
              {density === "compact" ? "Compact" : "Comfortable"}
            </label>
          ))}
        </div>
      </fieldset>
      <div class="settings-actions">
        <button type="submit" class="button" disabled={busy} data-testid="settings-save">
          Save changes
        </button>
        {status && (
          <span
            class={status.error ? "form-error" : "muted"}
            role={status.error ? "alert" : "status"}
          >
            {status.text}
          </span>
        )}
      </div>
    </form>
  );
}
