// DO NOT EDIT. Written by `deno task manifest` (and by dev.ts) from routes/ and islands/.
// `deno task check` fails when it is stale.

import * as $_404 from "./routes/_404.tsx";
import * as $_500 from "./routes/_500.tsx";
import * as $_app from "./routes/_app.tsx";
import * as $_layout from "./routes/_layout.tsx";
import * as $_middleware from "./routes/_middleware.ts";
import * as $api_ai from "./routes/api/ai.ts";
import * as $api_ai_recommendations from "./routes/api/ai/recommendations.ts";
import * as $api_alerts from "./routes/api/alerts.ts";
import * as $api_analytics from "./routes/api/analytics.ts";
import * as $api_auth from "./routes/api/auth.ts";
import * as $api_backtesting from "./routes/api/backtesting.ts";
import * as $api_claude from "./routes/api/claude.ts";
import * as $api_deployments from "./routes/api/deployments.ts";
import * as $api_health from "./routes/api/health.ts";
import * as $api_market_data from "./routes/api/market-data.ts";
import * as $api_market from "./routes/api/market.ts";
import * as $api_ml_sentiment from "./routes/api/ml-sentiment.ts";
import * as $api_ml from "./routes/api/ml.ts";
import * as $api_monitoring from "./routes/api/monitoring.ts";
import * as $api_morning from "./routes/api/morning.ts";
import * as $api_news from "./routes/api/news.ts";
import * as $api_notifications from "./routes/api/notifications.ts";
import * as $api_options from "./routes/api/options.ts";
import * as $api_orders from "./routes/api/orders.ts";
import * as $api_portfolio from "./routes/api/portfolio.ts";
import * as $api_positions from "./routes/api/positions.ts";
import * as $api_proposals from "./routes/api/proposals.ts";
import * as $api_risk from "./routes/api/risk.ts";
import * as $api_scheduler from "./routes/api/scheduler.ts";
import * as $api_screening from "./routes/api/screening.ts";
import * as $api_settings from "./routes/api/settings.ts";
import * as $api_stock from "./routes/api/stock.ts";
import * as $api_strategies from "./routes/api/strategies.ts";
import * as $api_stream from "./routes/api/stream.ts";
import * as $api_telemetry from "./routes/api/telemetry.ts";
import * as $api_trading from "./routes/api/trading.ts";
import * as $api_users from "./routes/api/users.ts";
import * as $api_watchlists from "./routes/api/watchlists.ts";
import * as $backtesting from "./routes/backtesting.tsx";
import * as $execute from "./routes/execute.tsx";
import * as $index from "./routes/index.tsx";
import * as $login from "./routes/login.tsx";
import * as $logout from "./routes/logout.tsx";
import * as $morning_routine from "./routes/morning-routine.tsx";
import * as $news from "./routes/news.tsx";
import * as $onboarding from "./routes/onboarding.tsx";
import * as $positions from "./routes/positions.tsx";
import * as $recommendations from "./routes/recommendations.tsx";
import * as $risk from "./routes/risk.tsx";
import * as $scanner from "./routes/scanner.tsx";
import * as $settings from "./routes/settings.tsx";
import * as $signup from "./routes/signup.tsx";
import * as $strategies from "./routes/strategies.tsx";
import * as $symbol__symbol_ from "./routes/symbol/[symbol].tsx";
import * as $symbol_index from "./routes/symbol/index.tsx";
import * as $trading_halt from "./routes/trading/halt.tsx";
import * as $island_AIChat from "./islands/AIChat.tsx";
import * as $island_AccountAccess from "./islands/AccountAccess.tsx";
import * as $island_AlertForm from "./islands/AlertForm.tsx";
import * as $island_ApprovalSettings from "./islands/ApprovalSettings.tsx";
import * as $island_Backtester from "./islands/Backtester.tsx";
import * as $island_CommandPalette from "./islands/CommandPalette.tsx";
import * as $island_DeleteAccount from "./islands/DeleteAccount.tsx";
import * as $island_Deployments from "./islands/Deployments.tsx";
import * as $island_HeadlineSample from "./islands/HeadlineSample.tsx";
import * as $island_MorningRoutine from "./islands/MorningRoutine.tsx";
import * as $island_NewsFeed from "./islands/NewsFeed.tsx";
import * as $island_NotificationBell from "./islands/NotificationBell.tsx";
import * as $island_OnboardingSetup from "./islands/OnboardingSetup.tsx";
import * as $island_OptionChain from "./islands/OptionChain.tsx";
import * as $island_OptionStrategyBuilder from "./islands/OptionStrategyBuilder.tsx";
import * as $island_OrderTicket from "./islands/OrderTicket.tsx";
import * as $island_PatternsPanel from "./islands/PatternsPanel.tsx";
import * as $island_PnlDashboard from "./islands/PnlDashboard.tsx";
import * as $island_PortfolioRisk from "./islands/PortfolioRisk.tsx";
import * as $island_PositionSizer from "./islands/PositionSizer.tsx";
import * as $island_PositionsTable from "./islands/PositionsTable.tsx";
import * as $island_PriceChart from "./islands/PriceChart.tsx";
import * as $island_ProposalQueue from "./islands/ProposalQueue.tsx";
import * as $island_QuoteHeader from "./islands/QuoteHeader.tsx";
import * as $island_RadialMenu from "./islands/RadialMenu.tsx";
import * as $island_Recommendations from "./islands/Recommendations.tsx";
import * as $island_RegimePanel from "./islands/RegimePanel.tsx";
import * as $island_ResetAccount from "./islands/ResetAccount.tsx";
import * as $island_Scanner from "./islands/Scanner.tsx";
import * as $island_SentimentLab from "./islands/SentimentLab.tsx";
import * as $island_SettingsForm from "./islands/SettingsForm.tsx";
import * as $island_SplitDivider from "./islands/SplitDivider.tsx";
import * as $island_StrategyBuilder from "./islands/StrategyBuilder.tsx";
import * as $island_SymbolSearch from "./islands/SymbolSearch.tsx";
import * as $island_SymbolSignals from "./islands/SymbolSignals.tsx";
import * as $island_Telemetry from "./islands/Telemetry.tsx";
import * as $island_TodaysOrders from "./islands/TodaysOrders.tsx";
import * as $island_WatchStar from "./islands/WatchStar.tsx";
import * as $island_WatchlistPanel from "./islands/WatchlistPanel.tsx";

import type { Manifest } from "./lib/fresh/types.ts";

const manifest = {
  routes: {
    "./routes/_404.tsx": $_404,
    "./routes/_500.tsx": $_500,
    "./routes/_app.tsx": $_app,
    "./routes/_layout.tsx": $_layout,
    "./routes/_middleware.ts": $_middleware,
    "./routes/api/ai.ts": $api_ai,
    "./routes/api/ai/recommendations.ts": $api_ai_recommendations,
    "./routes/api/alerts.ts": $api_alerts,
    "./routes/api/analytics.ts": $api_analytics,
    "./routes/api/auth.ts": $api_auth,
    "./routes/api/backtesting.ts": $api_backtesting,
    "./routes/api/claude.ts": $api_claude,
    "./routes/api/deployments.ts": $api_deployments,
    "./routes/api/health.ts": $api_health,
    "./routes/api/market-data.ts": $api_market_data,
    "./routes/api/market.ts": $api_market,
    "./routes/api/ml-sentiment.ts": $api_ml_sentiment,
    "./routes/api/ml.ts": $api_ml,
    "./routes/api/monitoring.ts": $api_monitoring,
    "./routes/api/morning.ts": $api_morning,
    "./routes/api/news.ts": $api_news,
    "./routes/api/notifications.ts": $api_notifications,
    "./routes/api/options.ts": $api_options,
    "./routes/api/orders.ts": $api_orders,
    "./routes/api/portfolio.ts": $api_portfolio,
    "./routes/api/positions.ts": $api_positions,
    "./routes/api/proposals.ts": $api_proposals,
    "./routes/api/risk.ts": $api_risk,
    "./routes/api/scheduler.ts": $api_scheduler,
    "./routes/api/screening.ts": $api_screening,
    "./routes/api/settings.ts": $api_settings,
    "./routes/api/stock.ts": $api_stock,
    "./routes/api/strategies.ts": $api_strategies,
    "./routes/api/stream.ts": $api_stream,
    "./routes/api/telemetry.ts": $api_telemetry,
    "./routes/api/trading.ts": $api_trading,
    "./routes/api/users.ts": $api_users,
    "./routes/api/watchlists.ts": $api_watchlists,
    "./routes/backtesting.tsx": $backtesting,
    "./routes/execute.tsx": $execute,
    "./routes/index.tsx": $index,
    "./routes/login.tsx": $login,
    "./routes/logout.tsx": $logout,
    "./routes/morning-routine.tsx": $morning_routine,
    "./routes/news.tsx": $news,
    "./routes/onboarding.tsx": $onboarding,
    "./routes/positions.tsx": $positions,
    "./routes/recommendations.tsx": $recommendations,
    "./routes/risk.tsx": $risk,
    "./routes/scanner.tsx": $scanner,
    "./routes/settings.tsx": $settings,
    "./routes/signup.tsx": $signup,
    "./routes/strategies.tsx": $strategies,
    "./routes/symbol/[symbol].tsx": $symbol__symbol_,
    "./routes/symbol/index.tsx": $symbol_index,
    "./routes/trading/halt.tsx": $trading_halt,
  },
  islands: {
    "./islands/AIChat.tsx": $island_AIChat,
    "./islands/AccountAccess.tsx": $island_AccountAccess,
    "./islands/AlertForm.tsx": $island_AlertForm,
    "./islands/ApprovalSettings.tsx": $island_ApprovalSettings,
    "./islands/Backtester.tsx": $island_Backtester,
    "./islands/CommandPalette.tsx": $island_CommandPalette,
    "./islands/DeleteAccount.tsx": $island_DeleteAccount,
    "./islands/Deployments.tsx": $island_Deployments,
    "./islands/HeadlineSample.tsx": $island_HeadlineSample,
    "./islands/MorningRoutine.tsx": $island_MorningRoutine,
    "./islands/NewsFeed.tsx": $island_NewsFeed,
    "./islands/NotificationBell.tsx": $island_NotificationBell,
    "./islands/OnboardingSetup.tsx": $island_OnboardingSetup,
    "./islands/OptionChain.tsx": $island_OptionChain,
    "./islands/OptionStrategyBuilder.tsx": $island_OptionStrategyBuilder,
    "./islands/OrderTicket.tsx": $island_OrderTicket,
    "./islands/PatternsPanel.tsx": $island_PatternsPanel,
    "./islands/PnlDashboard.tsx": $island_PnlDashboard,
    "./islands/PortfolioRisk.tsx": $island_PortfolioRisk,
    "./islands/PositionSizer.tsx": $island_PositionSizer,
    "./islands/PositionsTable.tsx": $island_PositionsTable,
    "./islands/PriceChart.tsx": $island_PriceChart,
    "./islands/ProposalQueue.tsx": $island_ProposalQueue,
    "./islands/QuoteHeader.tsx": $island_QuoteHeader,
    "./islands/RadialMenu.tsx": $island_RadialMenu,
    "./islands/Recommendations.tsx": $island_Recommendations,
    "./islands/RegimePanel.tsx": $island_RegimePanel,
    "./islands/ResetAccount.tsx": $island_ResetAccount,
    "./islands/Scanner.tsx": $island_Scanner,
    "./islands/SentimentLab.tsx": $island_SentimentLab,
    "./islands/SettingsForm.tsx": $island_SettingsForm,
    "./islands/SplitDivider.tsx": $island_SplitDivider,
    "./islands/StrategyBuilder.tsx": $island_StrategyBuilder,
    "./islands/SymbolSearch.tsx": $island_SymbolSearch,
    "./islands/SymbolSignals.tsx": $island_SymbolSignals,
    "./islands/Telemetry.tsx": $island_Telemetry,
    "./islands/TodaysOrders.tsx": $island_TodaysOrders,
    "./islands/WatchStar.tsx": $island_WatchStar,
    "./islands/WatchlistPanel.tsx": $island_WatchlistPanel,
  },
  baseUrl: import.meta.url,
} satisfies Manifest;

export default manifest;
