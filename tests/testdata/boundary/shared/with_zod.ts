// A "shared" rule that pulls zod in, for tests/browser_boundary_test.ts.
import { z } from "zod";

export const positive = z.number().positive();
