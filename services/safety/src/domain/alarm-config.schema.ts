import { isValidTimeZone } from '@reflux/plant-model';
import { z } from 'zod';
import { UNIT_STATES, PRIORITIES, type AlarmConfiguration, type LimitKind } from './alarm-config';
import { invalidRequest, SafetyErrorCode, type FieldViolation } from './safety.errors';

const id = z
  .string()
  .min(1, 'must not be empty')
  .max(200)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'must start with a letter or digit and contain only letters, digits and . _ : -');
const finite = z.number({ error: 'must be a finite number' });
const nonNegative = finite.min(0, 'must be ≥ 0');
const positive = finite.gt(0, 'must be > 0');
const priority = z.enum(PRIORITIES, { error: `must be one of ${PRIORITIES.join(', ')}` });
const unitState = z.enum(UNIT_STATES, { error: `must be one of ${UNIT_STATES.join(', ')}` });
const limit = z.strictObject({ value: finite, priority });
const stateLimits = z.strictObject({ HH: finite.optional(), H: finite.optional(), L: finite.optional(), LL: finite.optional() });

const tagSchema = z.strictObject({
  tagId: id,
  area: id,
  console: id,
  unitId: id.optional(),
  engineeringUnit: z.string().min(1).max(40),
  limits: z.strictObject({ HH: limit.optional(), H: limit.optional(), L: limit.optional(), LL: limit.optional() }).default({}),
  deadband: nonNegative.default(0),
  onDelayS: nonNegative.max(3600).default(0),
  offDelayS: nonNegative.max(3600).default(0),
  rateOfChange: z.strictObject({ maxPerS: positive, priority }).optional(),
  deviation: z
    .strictObject({ setpoint: finite.optional(), setpointTagId: id.optional(), max: positive, priority })
    .refine((d) => (d.setpoint === undefined) !== (d.setpointTagId === undefined), { message: 'give exactly one of setpoint and setpointTagId', path: ['setpoint'] })
    .optional(),
  badQuality: z.strictObject({ priority }).optional(),
  discrepancy: z.strictObject({ redundantTagId: id, max: positive, priority }).optional(),
  suppressInStates: z.array(unitState).default([]),
  limitsByState: z.partialRecord(unitState, stateLimits).default({}),
  trend: z
    .strictObject({
      windowS: positive.max(86_400).default(600),
      horizonS: positive.max(7 * 86_400).default(1800),
      confidence: finite.gt(0.5, 'must lie in (0.5, 1)').lt(1, 'must lie in (0.5, 1)').default(0.9),
      everyS: nonNegative.max(3600).default(10),
      consecutive: z.number().int().min(1).max(100).default(3),
      minPoints: z.number().int().min(3).max(100_000).default(10),
    })
    .optional(),
});

const unitSchema = z.strictObject({
  unitId: id,
  area: id,
  rule: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('runStatus'), tagId: id, states: z.record(z.string().regex(/^-?\d+$/, 'must be an integer status value'), unitState), delayS: nonNegative.default(0) }),
    z.strictObject({ kind: z.literal('thresholds'), signals: z.array(z.strictObject({ tagId: id, minRunning: finite })).min(1), delayS: nonNegative.default(0) }),
  ]),
});

export const alarmConfigurationSchema = z.strictObject({
  plantId: id,
  timeZone: z.string().refine(isValidTimeZone, 'must be an IANA time zone name such as Europe/Berlin').default('UTC'),
  tags: z.array(tagSchema).max(200_000),
  units: z.array(unitSchema).default([]),
});

/** Limits must be ordered LL < L < H < HH, whichever of them are set, also per unit state. */
function orderViolations(limits: Partial<Record<LimitKind, number>>, path: string): FieldViolation[] {
  const order: LimitKind[] = ['LL', 'L', 'H', 'HH'];
  const set = order.filter((k) => limits[k] !== undefined);
  const out: FieldViolation[] = [];
  for (let i = 1; i < set.length; i++)
    if (!(limits[set[i]]! > limits[set[i - 1]]!)) out.push({ field: `${path}.${set[i]}`, description: `must be above ${set[i - 1]} (${limits[set[i - 1]]})` });
  return out;
}

function crossViolations(config: AlarmConfiguration): FieldViolation[] {
  const out: FieldViolation[] = [];
  const units = new Set<string>();
  config.units.forEach((u, i) => {
    if (units.has(u.unitId)) out.push({ field: `units.${i}.unitId`, description: `unit "${u.unitId}" is configured twice` });
    units.add(u.unitId);
  });
  const tags = new Set<string>();
  config.tags.forEach((t, i) => {
    const at = `tags.${i}`;
    if (tags.has(t.tagId)) out.push({ field: `${at}.tagId`, description: `tag "${t.tagId}" is configured twice` });
    tags.add(t.tagId);
    if (t.unitId !== undefined && !units.has(t.unitId)) out.push({ field: `${at}.unitId`, description: `unknown unit "${t.unitId}"` });
    if ((t.suppressInStates.length > 0 || Object.keys(t.limitsByState).length > 0) && t.unitId === undefined)
      out.push({ field: `${at}.unitId`, description: 'is required for state-based suppression or limits' });
    const running = Object.fromEntries(Object.entries(t.limits).map(([k, l]) => [k, l?.value])) as Partial<Record<LimitKind, number>>;
    out.push(...orderViolations(running, `${at}.limits`));
    for (const [state, overrides] of Object.entries(t.limitsByState)) {
      for (const k of Object.keys(overrides ?? {}))
        if (t.limits[k as LimitKind] === undefined) out.push({ field: `${at}.limitsByState.${state}.${k}`, description: `overrides ${k}, which the tag does not have` });
      out.push(...orderViolations({ ...running, ...overrides }, `${at}.limitsByState.${state}`));
    }
    if (t.trend && Object.keys(t.limits).length === 0) out.push({ field: `${at}.trend`, description: 'needs at least one of the limits HH, H, L, LL to predict' });
    if (t.discrepancy?.redundantTagId === t.tagId) out.push({ field: `${at}.discrepancy.redundantTagId`, description: 'must name another tag' });
    if (t.deviation?.setpointTagId === t.tagId) out.push({ field: `${at}.deviation.setpointTagId`, description: 'must name another tag' });
  });
  return out;
}

/** Validates an alarm-configuration document; every problem is reported with its field path. */
export function parseAlarmConfiguration(document: unknown): AlarmConfiguration {
  const parsed = alarmConfigurationSchema.safeParse(document);
  if (!parsed.success)
    throw invalidRequest(
      parsed.error.issues.map((issue) => ({ field: issue.path.map(String).join('.') || '(document)', description: issue.message })),
      SafetyErrorCode.invalidConfiguration,
    );
  const config = parsed.data as AlarmConfiguration;
  const violations = crossViolations(config);
  if (violations.length > 0) throw invalidRequest(violations, SafetyErrorCode.invalidConfiguration);
  return config;
}
