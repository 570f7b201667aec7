import type { PageProps, RouteConfig } from "../lib/fresh/types.ts";
import Logo from "../components/Logo.tsx";

// Stands alone: a lost visitor needs the way home, not a split view around nothing.
export const config: RouteConfig = { skipInheritedLayouts: true };

export default function NotFound({ url }: PageProps) {
  return (
    <main id="main" class="error-page">
      <section class="glass error-card" aria-labelledby="error-title">
        <Logo />
        <p class="eyebrow">Error 404</p>
        <h1 id="error-title">Page not found</h1>
        <p class="muted">
          Nothing lives at <code>{url.pathname}</code>. The link may be old or mistyped.
        </p>
        <a class="button" href="/">Back to all stages</a>
      </section>
    </main>
  );
}
