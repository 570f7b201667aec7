/**
 * The zod schemas of a scan request: the condition vocabulary of lib/shared/scan.ts with every
 * number bounded, so a request can neither ask for a period longer than the history nor for an
 * unbounded result.
 *
 * @module
 */
import { z } from "zod";
import { INDICATORS, OPERATORS, type ScanSpec } from "../shared/scan.ts";

const finite = z.number().finite();

export const indicatorOperandSchema = z.strictObject({
  indicator: z.enum(INDICATORS),
  period: z.number().int().min(1).max(500).optional(),
  ago: z.number().int().min(0).max(20).optional(),
  times: finite.positive().max(100).optional(),
});

export const operandSchema = z.union([
  indicatorOperandSchema,
  z.strictObject({ value: finite.min(-1e12).max(1e12) }),
]);

export const conditionSchema = z.strictObject({
  left: indicatorOperandSchema,
  op: z.enum(OPERATORS),
  right: operandSchema,
});

export const MAX_CONDITIONS = 10;
export const MAX_LIMIT = 500;

export const specSchema = z.strictObject({
  conditions: z.array(conditionSchema).min(1, "Add at least one condition.").max(MAX_CONDITIONS),
  sector: z.string().trim().min(1).max(64).optional(),
  minPrice: finite.min(0).max(1e6).optional(),
  minDollarVolume: finite.min(0).max(1e12).optional(),
  sort: z.strictObject({
    by: indicatorOperandSchema,
    direction: z.enum(["asc", "desc"]),
  }).optional(),
  limit: z.number().int().min(1).max(MAX_LIMIT).optional(),
}) satisfies z.ZodType<ScanSpec>;

/** `POST /api/screening/run`: a preset (optionally narrowed) or a custom scan. */
export const runSchema = z.union([
  z.strictObject({
    preset: z.string().min(1).max(40),
    sector: z.string().trim().min(1).max(64).optional(),
    minPrice: finite.min(0).max(1e6).optional(),
    minDollarVolume: finite.min(0).max(1e12).optional(),
    limit: z.number().int().min(1).max(MAX_LIMIT).optional(),
  }),
  specSchema,
]);
