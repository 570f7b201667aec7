/**
 * Onboarding's server side, between the API and the repos: checking the watch symbols with the
 * market data (lib/market/known_symbols.ts), and confirming a profile (limits into settings, the default watchlist, the
 * starting cash) in one transaction.
 */
import type { Services } from "../services.ts";
import { requireKnownSymbols } from "../market/known_symbols.ts";
import { HttpError } from "../http/errors.ts";
import { type Settings, updateSettings } from "../settings.ts";
import { setDefaultWatchlist, type Watchlist } from "../watchlists/repo.ts";
import { getProfile, markCompleted, type Profile } from "./profile.ts";
import { suggestLimits } from "./risk_limits.ts";

export interface ConfirmResult {
  settings: Settings;
  watchlist: Watchlist;
  profile: Profile;
  startingCash: { value: number; appliedToPaperAccount: boolean; note: string };
}

/**
 * Writes the confirmed limits (the suggestion with the user's edits) into settings, makes the
 * profile's symbols the default watchlist, and marks the profile completed.
 */
export async function confirmProfile(
  services: Services,
  userId: number,
  edits: Partial<Pick<Settings, "maxOrderValue" | "maxPositionPercent" | "dailyLossLimit">>,
): Promise<ConfirmResult> {
  const profile = await getProfile(services.db, userId);
  if (!profile?.via) {
    throw new HttpError(
      409,
      "no_profile",
      "Answer the setup (form or interview) before confirming.",
    );
  }
  await requireKnownSymbols(services, profile.symbols);
  const limits = { ...suggestLimits(profile), ...edits };
  const { settings, watchlist, accountOpen } = await services.db.transaction(async (tx) => {
    // A paper account opens with the settings' starting cash on first use; once open, its cash
    // is its trading history, which this must not rewrite.
    const [account] = await tx.query("select 1 from paper_accounts where user_id = $1", [userId]);
    const settings = await updateSettings(tx, userId, {
      ...limits,
      startingCash: profile.startingCash,
      watchlist: profile.symbols,
    });
    const watchlist = await setDefaultWatchlist(tx, userId, profile.symbols);
    await markCompleted(tx, userId);
    return { settings, watchlist, accountOpen: account !== undefined };
  });
  const applied = !accountOpen;
  return {
    settings,
    watchlist,
    profile: (await getProfile(services.db, userId))!,
    startingCash: {
      value: profile.startingCash,
      appliedToPaperAccount: applied,
      note: applied
        ? "Your paper account opens with this cash on your first order."
        : "Your paper account is already open, so its cash stays as it is; the amount is kept in settings.",
    },
  };
}
