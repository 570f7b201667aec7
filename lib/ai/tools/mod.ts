/** The registry of every analyst tool. Later stages add theirs here. */
import { ToolRegistry } from "./registry.ts";

export function analystTools(): ToolRegistry {
  return new ToolRegistry([]);
}
