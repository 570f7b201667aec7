import StagePlaceholder from "../components/StagePlaceholder.tsx";
import { stageById } from "../lib/stages.ts";

export default function BacktestingPage() {
  return <StagePlaceholder stage={stageById("backtesting")} />;
}
