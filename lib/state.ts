/** Request state shared by middleware, handlers, layouts and pages. Declared once, here. */
export interface State {
  /** Id of this request, also sent as `X-Request-Id` and written to the log. */
  requestId: string;
  /** Whether orders go to a paper account or a live one. PaiiD only trades paper today. */
  tradingMode: "paper" | "live";
  /** Width of the split view's left pane, in percent, remembered in the `paiid_split` cookie. */
  splitPercent: number;
}
