import type { PageProps, RouteConfig } from "../lib/fresh/types.ts";
import Logo from "../components/Logo.tsx";

// Depends on nothing a failing request may lack (state, layouts), and shows no details:
// those go to the server log, under the request id.
export const config: RouteConfig = { skipInheritedLayouts: true };

export default function ServerError(_props: PageProps) {
  return (
    <main id="main" class="error-page">
      <section class="glass error-card" aria-labelledby="error-title">
        <Logo />
        <p class="eyebrow">Error 500</p>
        <h1 id="error-title">Something went wrong</h1>
        <p class="muted">
          PaiiD could not complete this request. Please try again in a moment.
        </p>
        <a class="button" href="/">Back to all stages</a>
      </section>
    </main>
  );
}
