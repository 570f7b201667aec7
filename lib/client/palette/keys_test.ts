import { equal } from "node:assert/strict";
import { isTypingTarget, type KeyLike, shortcutOf } from "./keys.ts";

const key = (k: string, more: Partial<KeyLike> = {}): KeyLike => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  target: null,
  ...more,
});
const el = (tagName: string, extra: Record<string, unknown> = {}) =>
  ({ tagName, ...extra }) as unknown as EventTarget;

Deno.test("Ctrl+K and ⌘+K open the palette, even from a text box", () => {
  equal(shortcutOf(key("k", { ctrlKey: true })), "palette");
  equal(shortcutOf(key("K", { metaKey: true })), "palette");
  equal(shortcutOf(key("k", { ctrlKey: true, target: el("INPUT") })), "palette");
  equal(shortcutOf(key("k")), null);
  equal(shortcutOf(key("k", { ctrlKey: true, altKey: true })), null);
});

Deno.test("? opens the help, except while typing in a field", () => {
  equal(shortcutOf(key("?")), "help");
  equal(shortcutOf(key("?", { target: el("BUTTON") })), "help");
  equal(shortcutOf(key("?", { target: el("INPUT", { type: "checkbox" }) })), "help");
  for (const t of [el("INPUT"), el("input", { type: "search" }), el("TEXTAREA"), el("SELECT")]) {
    equal(shortcutOf(key("?", { target: t })), null);
  }
  equal(shortcutOf(key("?", { target: el("DIV", { isContentEditable: true }) })), null);
  equal(shortcutOf(key("?", { ctrlKey: true })), null);
  equal(shortcutOf(key("/")), null);
});

Deno.test("isTypingTarget: no target, or a non-element, is not typing", () => {
  equal(isTypingTarget(null), false);
  equal(isTypingTarget({} as EventTarget), false);
  equal(isTypingTarget(el("INPUT", { type: "email" })), true);
});
