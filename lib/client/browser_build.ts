/**
 * `globalThis.PAIID_BROWSER_BUILD` is `true` in code bundled for the browser (esbuild defines it,
 * lib/fresh/bundle.ts) and undefined on the server. Being a build-time constant, a branch on it
 * is cut from the bundle together with everything only that branch imports: an island can render
 * markup on the server that the browser keeps as it is and never downloads as JavaScript.
 */
declare global {
  var PAIID_BROWSER_BUILD: true | undefined;
}

/**
 * For an element whose children the server rendered and the browser keeps: hydration leaves an
 * element with `dangerouslySetInnerHTML` untouched, and re-renders with the same HTML change
 * nothing.
 */
export const KEEP_SERVER_MARKUP = { __html: "" } as const;
