import type { PageProps, RouteConfig } from "../lib/fresh/types.ts";
import Logo from "../components/Logo.tsx";

// Depends on nothing a failing request may lack (state, layouts), and shows no details:
// those go to the server log, under the request id.
export const config: RouteConfig = { skipInheritedLayouts: true };

const MESSAGES: Record<number, { title: string; text: string }> = {
  400: { title: "That request was not valid", text: "Check the address and try again." },
  401: { title: "Please sign in again", text: "Your sign-in was not accepted for this page." },
  403: { title: "Not allowed", text: "Your account may not open this page." },
  413: { title: "Too much data", text: "The request was larger than PaiiD accepts." },
  429: { title: "Too many requests", text: "Wait a moment, then try again." },
};

export default function ServerError({ data }: PageProps<{ status?: number } | undefined>) {
  const status = data?.status ?? 500;
  const message = MESSAGES[status] ?? (status >= 500
    ? {
      title: "Something went wrong",
      text: "PaiiD could not complete this request. Please try again in a moment.",
    }
    : { title: "This request could not be served", text: "Please try again." });
  return (
    <main id="main" class="error-page">
      <section class="glass error-card" aria-labelledby="error-title">
        <Logo />
        <p class="eyebrow">Error {status}</p>
        <h1 id="error-title">{message.title}</h1>
        <p class="muted">{message.text}</p>
        {status === 401
          ? <a class="button" href="/login">Sign in</a>
          : <a class="button" href="/">Back to all stages</a>}
      </section>
    </main>
  );
}
