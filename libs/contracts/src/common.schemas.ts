import { z } from 'zod';

/** Identifier of a plant, area, unit, stream or tag: lowercase-ish slug, no spaces. */
export const identifier = z
  .string()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]*$/, 'must start with a letter or digit and contain only letters, digits and . _ : / -');

/** An instant as ISO-8601 text with an explicit offset (`2026-05-01T10:00:00Z`). */
export const instant = z.iso.datetime({ offset: true, message: 'must be an ISO-8601 date-time with offset' });

/** A half-open time interval [start, end) with end strictly after start. */
export const timeWindow = z
  .object({ start: instant, end: instant })
  .refine((w) => Date.parse(w.end) > Date.parse(w.start), { message: 'end must be after start', path: ['end'] });

export const count = z.number().int('must be an integer').nonnegative('must be ≥ 0');

/** A finite floating-point number (NaN and ±Infinity have no JSON form and no physical meaning). */
export const finite = z.number({ error: 'must be a finite number' });

/** A measured or estimated value with its unit of measure (UCUM-style symbol, `kg/s`, `degC`, `bar`). */
export const quantity = z.object({
  value: finite,
  unit: z.string().min(1, 'unit must not be empty').max(40),
});
export type Quantity = z.infer<typeof quantity>;
