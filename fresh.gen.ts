// DO NOT EDIT. Written by `deno task manifest` (and by dev.ts) from routes/ and islands/.
// `deno task check` fails when it is stale.

import * as $_404 from "./routes/_404.tsx";
import * as $_500 from "./routes/_500.tsx";
import * as $_app from "./routes/_app.tsx";
import * as $_layout from "./routes/_layout.tsx";
import * as $_middleware from "./routes/_middleware.ts";
import * as $api_health from "./routes/api/health.ts";
import * as $backtesting from "./routes/backtesting.tsx";
import * as $execute from "./routes/execute.tsx";
import * as $index from "./routes/index.tsx";
import * as $morning_routine from "./routes/morning-routine.tsx";
import * as $news from "./routes/news.tsx";
import * as $positions from "./routes/positions.tsx";
import * as $recommendations from "./routes/recommendations.tsx";
import * as $risk from "./routes/risk.tsx";
import * as $scanner from "./routes/scanner.tsx";
import * as $settings from "./routes/settings.tsx";
import * as $strategies from "./routes/strategies.tsx";
import * as $island_RadialMenu from "./islands/RadialMenu.tsx";
import * as $island_SplitDivider from "./islands/SplitDivider.tsx";

import type { Manifest } from "./lib/fresh/types.ts";

const manifest = {
  routes: {
    "./routes/_404.tsx": $_404,
    "./routes/_500.tsx": $_500,
    "./routes/_app.tsx": $_app,
    "./routes/_layout.tsx": $_layout,
    "./routes/_middleware.ts": $_middleware,
    "./routes/api/health.ts": $api_health,
    "./routes/backtesting.tsx": $backtesting,
    "./routes/execute.tsx": $execute,
    "./routes/index.tsx": $index,
    "./routes/morning-routine.tsx": $morning_routine,
    "./routes/news.tsx": $news,
    "./routes/positions.tsx": $positions,
    "./routes/recommendations.tsx": $recommendations,
    "./routes/risk.tsx": $risk,
    "./routes/scanner.tsx": $scanner,
    "./routes/settings.tsx": $settings,
    "./routes/strategies.tsx": $strategies,
  },
  islands: {
    "./islands/RadialMenu.tsx": $island_RadialMenu,
    "./islands/SplitDivider.tsx": $island_SplitDivider,
  },
  baseUrl: import.meta.url,
} satisfies Manifest;

export default manifest;
