import assert from "node:assert/strict";
import { renderToString } from "preact-render-to-string";
import { SymbolCombobox, type SymbolComboboxProps } from "./SymbolCombobox.tsx";

const base: SymbolComboboxProps = {
  id: "ticket-symbol",
  name: "symbol",
  value: "AAPL",
  onInput: () => {},
  onPick: () => {},
  max: 6,
  debounceMs: 200,
  placeholder: "e.g. AAPL",
  maxLength: 10,
  testId: "ticket-symbol",
};

function attrs(html: string, tag: string): Record<string, string> {
  const open = new RegExp(`<${tag}\\b[^>]*>`).exec(html)?.[0] ?? "";
  return Object.fromEntries(
    [...open.matchAll(/([\w-]+)(?:="([^"]*)")?/g)].slice(1).map((
      [, k, v],
    ) => [k, v ?? ""]),
  );
}

Deno.test("SymbolCombobox: a collapsed combobox that controls its (hidden, empty) listbox", () => {
  const html = renderToString(<SymbolCombobox {...base} />);
  const input = attrs(html, "input");
  assert.equal(input.role, "combobox");
  assert.equal(input["aria-autocomplete"], "list");
  assert.equal(input["aria-expanded"], "false");
  assert.equal(input["aria-controls"], "ticket-symbol-list");
  assert.equal(input["aria-activedescendant"], undefined);
  assert.equal(input["aria-invalid"], undefined);
  assert.equal(input.value, "AAPL");
  assert.equal(input["data-testid"], "ticket-symbol");
  assert.equal(input.type, "text");
  const list = attrs(html, "ul");
  assert.equal(list.id, "ticket-symbol-list");
  assert.equal(list.role, "listbox");
  assert.ok("hidden" in list, "no suggestions before typing");
  assert.ok(!html.includes('role="option"'));
});

Deno.test("SymbolCombobox: an error marks the box invalid and points at the message", () => {
  const input = attrs(
    renderToString(<SymbolCombobox {...base} errorId="ticket-symbol-error" />),
    "input",
  );
  assert.equal(input["aria-invalid"], "true");
  assert.equal(input["aria-describedby"], "ticket-symbol-error");
});

Deno.test("SymbolCombobox: the header search keeps its own name, type and ids", () => {
  const html = renderToString(
    <SymbolCombobox {...base} id="symbol-search-input" name="q" type="search" testId="s" />,
  );
  const input = attrs(html, "input");
  assert.equal(input.name, "q");
  assert.equal(input.type, "search");
  assert.equal(input["aria-controls"], "symbol-search-input-list");
  assert.equal(attrs(html, "ul").id, "symbol-search-input-list");
});
