import { z } from 'zod';

const nullableNumber = z.number().finite().nullable().optional();

const accumulationSchema = z
  .object({
    measured: z.boolean(),
    value: nullableNumber,
    sigma: nullableNumber,
    lower: nullableNumber,
    upper: nullableNumber,
  })
  .strict();

export const networkDocumentSchema = z
  .object({
    flowUnit: z.string().min(1).optional(),
    nodes: z.array(
      z
        .object({
          id: z.string().min(1),
          name: z.string().optional(),
          accumulation: accumulationSchema.nullable().optional(),
          leakCandidate: z.boolean().optional(),
        })
        .strict(),
    ),
    streams: z
      .array(
        z
          .object({
            id: z.string().min(1),
            name: z.string().optional(),
            from: z.string().min(1).nullable(),
            to: z.string().min(1).nullable(),
            measured: z.boolean(),
            value: nullableNumber,
            sigma: nullableNumber,
            lower: nullableNumber,
            upper: nullableNumber,
          })
          .strict(),
      )
      .min(1),
    covariance: z.array(z.object({ a: z.string().min(1), b: z.string().min(1), value: z.number().finite() }).strict()).optional(),
  })
  .strict();

export type NetworkDocument = z.infer<typeof networkDocumentSchema>;

export const reconcileDocumentOptionsSchema = z
  .object({
    alpha: z.number().gt(0).lt(1).optional(),
    bounds: z.boolean().optional(),
    forceQp: z.boolean().optional(),
    maxEliminations: z.number().int().min(0).optional(),
    leaks: z.boolean().optional(),
    gains: z.boolean().optional(),
    detection: z.enum(['global', 'global-or-glr']).optional(),
    unmeasuredSigmas: z.boolean().optional(),
  })
  .strict();
