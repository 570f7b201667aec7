import type { ComponentChildren } from "preact";
import Logo from "./Logo.tsx";

interface AuthCardProps {
  title: string;
  error?: string;
  children: ComponentChildren;
}

/** The centred card the sign-in, sign-up and sign-out pages share. */
export default function AuthCard({ title, error, children }: AuthCardProps) {
  return (
    <div class="auth">
      <main id="main" class="auth-card glass">
        <Logo tagline />
        <h1 class="section-title">{title}</h1>
        {error && <p class="auth-error" role="alert" data-testid="auth-error">{error}</p>}
        {children}
      </main>
    </div>
  );
}
