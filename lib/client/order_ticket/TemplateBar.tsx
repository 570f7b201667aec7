/**
 * The ticket's order templates: pick one and Apply it (side, type, time in force, and the
 * symbol, size and trail it keeps), Delete one (asked first), or Save the ticket as a new one.
 * Templates keep no limit or stop prices, so after applying one that needs a price the ticket
 * says which to enter. Loaded after the ticket's first paint; the ticket works without it.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import {
  applyTemplate,
  describeTemplate,
  type OrderTemplate,
  templateFromTicket,
} from "../../shared/order_template.ts";
import { needsLimit, needsStop, type TicketForm } from "../../shared/ticket.ts";
import { callApi } from "../trading_fetch.ts";

export interface TemplateBarProps {
  csrfToken: string;
  form: TicketForm;
  /** The template the page opened the ticket with (`/execute?template=ID`), if any. */
  opened: OrderTemplate | null;
  onApply(form: TicketForm): void;
}

/** What the user still has to type after `t` was applied to `form`. */
export function afterApplying(t: OrderTemplate, form: TicketForm): string {
  const missing = [
    needsStop(form.type) && !form.stopPrice && "stop price",
    needsLimit(form.type) && !form.limitPrice && "limit price",
    !form.symbol && "symbol",
    !form.amount && "size",
  ].filter(Boolean);
  return `Applied “${t.name}”.` + (missing.length ? ` Enter the ${missing.join(", ")}.` : "");
}

export default function TemplateBar({ csrfToken, form, opened, onApply }: TemplateBarProps) {
  const [templates, setTemplates] = useState<OrderTemplate[] | null>(null);
  const [chosen, setChosen] = useState(opened ? String(opened.id) : "");
  const [message, setMessage] = useState(opened ? afterApplying(opened, form) : "");
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState("");
  const [withSymbol, setWithSymbol] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [busy, setBusy] = useState(false);
  const nameRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (naming) nameRef.current?.focus();
  }, [naming]);

  async function reload() {
    const res = await callApi<{ templates: OrderTemplate[] }>("/api/order-templates");
    if (res.ok) setTemplates(res.data.templates);
    else setMessage(`Templates could not load: ${res.problem.message}`);
  }
  useEffect(() => void reload(), []);

  const current = templates?.find((t) => String(t.id) === chosen) ?? null;

  function apply() {
    if (!current) return;
    const next = applyTemplate(form, current);
    onApply(next);
    setMessage(afterApplying(current, next));
  }

  async function save(e: Event) {
    e.preventDefault();
    const made = templateFromTicket(form, { name, includeSymbol: withSymbol });
    if (!made.ok) return setMessage(made.message);
    setBusy(true);
    const res = await callApi<{ template: OrderTemplate }>("/api/order-templates", {
      method: "POST",
      body: made.body,
      csrfToken,
    });
    setBusy(false);
    if (!res.ok) return setMessage(res.problem.message);
    setNaming(false);
    setName("");
    setMessage(`Saved “${res.data.template.name}”: ${describeTemplate(res.data.template)}.`);
    await reload();
    setChosen(String(res.data.template.id));
  }

  async function remove() {
    if (!current) return;
    setBusy(true);
    const res = await callApi(`/api/order-templates/${current.id}`, {
      method: "DELETE",
      csrfToken,
    });
    setBusy(false);
    setConfirmDelete(false);
    if (!res.ok) return setMessage(res.problem.message);
    setMessage(`Deleted “${current.name}”.`);
    setChosen("");
    await reload();
  }

  return (
    <div class="ticket-templates" data-testid="ticket-templates">
      <div class="ticket-templates-row">
        <label class="ticket-label" for="ticket-template">Template</label>
        <select
          id="ticket-template"
          value={chosen}
          disabled={!templates?.length}
          data-testid="ticket-template"
          onChange={(e) => {
            setChosen(e.currentTarget.value);
            setConfirmDelete(false);
          }}
        >
          <option value="">
            {templates === null ? "Loading…" : templates.length ? "Choose a template" : "None yet"}
          </option>
          {templates?.map((t) => (
            <option key={t.id} value={String(t.id)}>{t.name} — {describeTemplate(t)}</option>
          ))}
        </select>
        <button
          type="button"
          class="ticket-secondary"
          disabled={!current || busy}
          data-testid="ticket-template-apply"
          onClick={apply}
        >
          Apply
        </button>
        {confirmDelete && current
          ? (
            <span role="group" aria-label={`Delete the template ${current.name}?`}>
              <button type="button" class="ticket-secondary" disabled={busy} onClick={remove}>
                Yes, delete
              </button>{" "}
              <button
                type="button"
                class="ticket-secondary"
                onClick={() => setConfirmDelete(false)}
              >
                Keep
              </button>
            </span>
          )
          : (
            <button
              type="button"
              class="ticket-secondary"
              disabled={!current || busy}
              onClick={() => setConfirmDelete(true)}
            >
              Delete
            </button>
          )}
        <button
          type="button"
          class="ticket-secondary"
          aria-expanded={naming}
          data-testid="ticket-template-save-open"
          onClick={() => setNaming(!naming)}
        >
          Save as template
        </button>
      </div>
      {naming && (
        <form class="ticket-templates-row" onSubmit={save}>
          <label class="ticket-label" for="ticket-template-name">Name</label>
          <input
            id="ticket-template-name"
            value={name}
            maxLength={64}
            autocomplete="off"
            data-testid="ticket-template-name"
            ref={nameRef}
            onInput={(e) => setName(e.currentTarget.value)}
          />
          <label class="ticket-templates-check">
            <input
              type="checkbox"
              checked={withSymbol}
              onChange={(e) => setWithSymbol(e.currentTarget.checked)}
            />{" "}
            Keep the symbol{form.symbol ? ` (${form.symbol.trim().toUpperCase()})` : ""}
          </label>
          <button
            type="submit"
            class="ticket-secondary"
            disabled={busy}
            data-testid="ticket-template-save"
          >
            Save
          </button>
          <span class="ticket-hint">
            Side, type, time in force, size and trail are kept; limit and stop prices are not.
          </span>
        </form>
      )}
      <p class="ticket-hint" role="status" data-testid="ticket-template-status">{message}</p>
    </div>
  );
}
