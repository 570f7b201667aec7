/** The registry of every analyst tool. Later stages add theirs here. */
import { ToolRegistry } from "./registry.ts";
import {
  barsTool,
  chainTool,
  clockTool,
  companyTool,
  moversTool,
  quotesTool,
  quoteTool,
  searchTool,
} from "./market.ts";
import { ordersTool, portfolioTool, positionsTool, previewTool } from "./portfolio.ts";

export function analystTools(): ToolRegistry {
  return new ToolRegistry([
    quoteTool,
    quotesTool,
    barsTool,
    companyTool,
    clockTool,
    searchTool,
    chainTool,
    moversTool,
    positionsTool,
    portfolioTool,
    ordersTool,
    previewTool,
  ]);
}
