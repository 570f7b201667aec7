/**
 * The option strategy builder's legs, one editable row each: side, type, strike and expiration
 * from the loaded chain, quantity, and premium and IV (placeholders show what the last analysis
 * used when left blank).
 */
import type { JSX } from "preact";
import { type Analysis, type LegDraft, placeholderFor } from "./options_builder.ts";

export default function OptionLegsTable({ legs, strikes, expirations, analysis, edit, remove }: {
  legs: LegDraft[];
  strikes: number[];
  expirations: string[];
  analysis: Analysis | null;
  edit: (id: number, key: keyof LegDraft) => (e: Event) => void;
  remove: (id: number) => void;
}): JSX.Element {
  return (
    <table class="chain-table opt-legs-table" data-testid="opt-legs">
      <thead>
        <tr>
          <th scope="col">Side</th>
          <th scope="col">Type</th>
          <th scope="col">Strike (USD)</th>
          <th scope="col">Expiration</th>
          <th scope="col">Qty (contracts / shares)</th>
          <th scope="col">Premium (USD/share)</th>
          <th scope="col">IV (%)</th>
          <th scope="col">
            <span class="sr-only">Remove</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {legs.map((l, i) => (
          <tr key={l.id}>
            <td>
              <select
                aria-label={`Leg ${i + 1} side`}
                value={l.side}
                onChange={edit(l.id, "side")}
              >
                <option value="buy">Buy</option>
                <option value="sell">Sell</option>
              </select>
            </td>
            <td>
              <select
                aria-label={`Leg ${i + 1} type`}
                value={l.type}
                onChange={edit(l.id, "type")}
              >
                <option value="call">Call</option>
                <option value="put">Put</option>
                <option value="stock">Stock</option>
              </select>
            </td>
            <td>
              {l.type !== "stock" && (
                <select
                  aria-label={`Leg ${i + 1} strike`}
                  value={l.strike}
                  onChange={edit(l.id, "strike")}
                >
                  {(strikes.includes(Number(l.strike)) ? strikes : [Number(l.strike), ...strikes])
                    .map((k) => <option key={k} value={String(k)}>{k.toFixed(2)}</option>)}
                </select>
              )}
            </td>
            <td>
              {l.type !== "stock" && (
                <select
                  aria-label={`Leg ${i + 1} expiration`}
                  value={l.expiration}
                  onChange={edit(l.id, "expiration")}
                >
                  {expirations.map((d) => <option key={d} value={d}>{d}</option>)}
                </select>
              )}
            </td>
            <td>
              <input
                aria-label={`Leg ${i + 1} quantity`}
                inputMode="numeric"
                size={5}
                value={l.quantity}
                onInput={edit(l.id, "quantity")}
              />
            </td>
            <td>
              <input
                aria-label={`Leg ${i + 1} premium`}
                inputMode="decimal"
                size={7}
                value={l.premium}
                placeholder={placeholderFor(analysis, i, "premium")}
                onInput={edit(l.id, "premium")}
              />
            </td>
            <td>
              {l.type !== "stock" && (
                <input
                  aria-label={`Leg ${i + 1} IV`}
                  inputMode="decimal"
                  size={5}
                  value={l.iv}
                  placeholder={placeholderFor(analysis, i, "iv")}
                  onInput={edit(l.id, "iv")}
                />
              )}
            </td>
            <td>
              <button
                type="button"
                class="link-button"
                aria-label={`Remove leg ${i + 1}`}
                onClick={() => remove(l.id)}
              >
                ✕
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
