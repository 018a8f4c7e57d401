import { z } from 'zod';

const target = z.string().min(1);
const timing = {
  /** Seconds after the scenario epoch. */
  startS: z.number().nonnegative(),
  durationS: z.number().positive(),
};

/** A unit loses `fraction` of its mass throughput to nowhere; its outlets and everything downstream drop. */
export const leakSchema = z.strictObject({ kind: z.literal('leak'), ...timing, target, fraction: z.number().gt(0).lt(1) });

/** A transmitter reads `biasPercentOfSpan` high (or low), then sticks at its last value with bad quality. */
export const transmitterFailureSchema = z.strictObject({
  kind: z.literal('transmitterFailure'),
  ...timing,
  target,
  biasPercentOfSpan: z.number().min(-100).max(100),
  /** Seconds after start at which the reading sticks; omit to stay biased for the whole duration. */
  stuckAfterS: z.number().nonnegative().optional(),
});

/** An exchanger loses duty: each outlet temperature moves towards the inlet of the same medium. */
export const foulingSchema = z.strictObject({
  kind: z.literal('fouling'),
  ...timing,
  target,
  /** Fraction of the nominal duty lost per hour. */
  dutyLossPerHour: z.number().positive(),
  maxDutyLoss: z.number().gt(0).max(1).default(0.5),
});

/** A machine trips: its streams fall to `residualFraction` of their value and downstream flows drop. */
export const tripSchema = z.strictObject({
  kind: z.literal('trip'),
  ...timing,
  target,
  residualFraction: z.number().min(0).lt(1).default(0.01),
});

export const incidentSchema = z.discriminatedUnion('kind', [leakSchema, transmitterFailureSchema, foulingSchema, tripSchema]);

/** Production rate set-point: ramps linearly from the previous rate to `rate` over `rampS`, starting at `atS`. */
export const rateChangeSchema = z.strictObject({
  atS: z.number().nonnegative(),
  rate: z.number().positive().max(2),
  rampS: z.number().nonnegative().default(0),
});

export const scenarioSchema = z.strictObject({
  seed: z.number().int().nonnegative().max(0xffffffff),
  /** Scenario time zero, ISO 8601. */
  epoch: z.iso.datetime({ offset: true }),
  /** Production rate before the first change (1 = nominal). */
  initialRate: z.number().positive().max(2).default(1),
  rateChanges: z.array(rateChangeSchema).default([]),
  drift: z
    .strictObject({
      /** Amplitude of the slow temperature wander of every stream, K. */
      temperatureK: z.number().nonnegative().default(0.8),
      /** Relative amplitude of the slow pressure wander. */
      pressureFraction: z.number().nonnegative().default(0.003),
      /** Relative amplitude of the slow plant-wide rate wander (flows stay balanced). */
      rateFraction: z.number().nonnegative().default(0.005),
    })
    .default({ temperatureK: 0.8, pressureFraction: 0.003, rateFraction: 0.005 }),
  incidents: z.array(incidentSchema).default([]),
});

export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type Incident = z.output<typeof incidentSchema>;
export type RateChange = z.output<typeof rateChangeSchema>;
