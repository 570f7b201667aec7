/**
 * Where an island's server data stands. An error after a successful load keeps what was shown:
 * the island says the refresh failed rather than emptying the screen.
 */
export type Load = { state: "loading" } | { state: "error"; message: string } | {
  state: "ready";
};
