import type { ServiceDefinition } from '@grpc/grpc-js';
import { GrpcPlatformServer, PlatformDomainError, serverStream, unary, type ServiceImplementation } from '@reflux/grpc';
import { loadProtoPackage } from '@reflux/proto';
import pino from 'pino';
import { JWT_SECRET } from './gateway-test.support';

/**
 * Real gRPC servers (grpc-js through @reflux/grpc, the services' own proto definitions, JWT-checked)
 * that answer the snapshot RPCs with known data, for the gateway's and the page's tests: the real
 * services cannot be imported from the gateway's tests. Methods the gateway does not call fail.
 */
export const KNOWN_HORIZON_START = Date.UTC(2026, 0, 15, 6, 0, 0);
const HOUR = 3600_000;
const ts = (ms: number) => ({ seconds: String(Math.floor(ms / 1000)), nanos: 0 });

const periods = (modes: string[]) =>
  modes.map((modeId, period) => ({ period, startTime: ts(KNOWN_HORIZON_START + period * HOUR), modeId: modeId === '-' ? '' : modeId, throughputT: modeId === '-' ? 0 : 40 + period, changingOver: modeId === '-', available: true }));

const schedule = (plantId: string, scheduleId: string, state: string, cdu: string[]) => ({
  scheduleId,
  plantId,
  state,
  reason: state === 'SCHEDULE_STATE_PROPOSED' ? 'unit-state:HDT-1' : 'startup',
  jobId: `job-${scheduleId}`,
  horizonStartTime: ts(KNOWN_HORIZON_START),
  periods: 8,
  periodHours: 1,
  formulation: 'milp',
  solverStatus: 'optimal',
  objective: 125_000,
  currency: 'EUR',
  energyCost: 40_000,
  co2T: 12.5,
  costBreakdown: {},
  units: [
    { unitId: 'CDU-1', periods: periods(cdu) },
    { unitId: 'HDT-1', periods: periods(['hdt-normal', 'hdt-normal', 'hdt-normal', 'hdt-normal', 'hdt-low', 'hdt-low', 'hdt-low', 'hdt-low']) },
  ],
  tanks: [],
  energy: [],
  unavailableUnitIds: [],
  frozenPeriods: 2,
  proposeTime: ts(KNOWN_HORIZON_START - HOUR),
  publishTime: state === 'SCHEDULE_STATE_PUBLISHED' ? ts(KNOWN_HORIZON_START - HOUR / 2) : null,
  publishedBy: state === 'SCHEDULE_STATE_PUBLISHED' ? 'planner-paula' : '',
});

export const knownSchedule = (plantId: string) => ({
  published: schedule(plantId, 'sched-1', 'SCHEDULE_STATE_PUBLISHED', ['crude-light', 'crude-light', 'crude-light', 'crude-light', 'crude-light', 'crude-light', 'crude-light', 'crude-light']),
  proposed: schedule(plantId, 'sched-2', 'SCHEDULE_STATE_PROPOSED', ['crude-light', 'crude-light', 'crude-light', '-', 'crude-heavy', 'crude-heavy', 'crude-heavy', 'crude-heavy']),
});

export const KNOWN_ALLOCATION = {
  allocationId: 'alloc-7',
  trigger: 'disruption:evt-1',
  published: false,
  proposedAt: ts(KNOWN_HORIZON_START - HOUR),
  objective: 98_000,
  currency: 'EUR',
  gapPercent: 0.4,
  co2T: 310,
  costs: [{ category: 'production', amount: 60_000 }],
  production: [
    { siteId: 'rotterdam', processId: 'cracker', materialId: 'ethylene', period: 0, quantityT: 120, modulesOn: 0 },
    { siteId: 'rotterdam', processId: 'cracker', materialId: 'ethylene', period: 1, quantityT: 110, modulesOn: 0 },
    { siteId: 'modular-a', processId: 'pyrolysis', materialId: 'pyrolysis-oil', period: 1, quantityT: 15.5, modulesOn: 2 },
  ],
  shipments: [{ laneId: 'rotterdam->antwerp', materialId: 'ethylene', departurePeriod: 0, arrivalPeriod: 1, quantityT: 80 }],
  orders: [
    { orderId: 'ERP-1001', promisedPeriod: 1, latePeriods: 0, shortfallT: 0, deliveredT: 80 },
    { orderId: 'ERP-1002', promisedPeriod: 3, latePeriods: 2, shortfallT: 5, deliveredT: 45 },
  ],
  utilisation: [{ siteId: 'rotterdam', period: 0, madeT: 120, capacityT: 150, modulesOn: 0, modulesAvailable: 0 }],
  horizonStart: ts(KNOWN_HORIZON_START),
  periodHours: 24,
  frozenPeriods: 1,
};

/** A balance of three units: a crude feed, a leak at the column (loss) and a biased product meter. */
export const knownBalance = (plantId: string, windowStartMs: number) => {
  const stream = (streamId: string, fromUnitId: string, toUnitId: string, medium: string, kgPerS: number, grossError = false) => ({
    streamId, fromUnitId, toUnitId, medium, tagIds: [`FI-${streamId}`], measured: true, measuredMassFlowKgPerS: kgPerS * (grossError ? 1.04 : 1), reconciledMassFlowKgPerS: kgPerS, classification: 'CLASSIFICATION_REDUNDANT', grossError, accumulation: false,
  });
  const unit = (unitId: string, inflow: number, after: number, suspect: boolean) => ({ unitId, inflowKgPerS: inflow, outflowKgPerS: inflow - after, imbalanceAfterKgPerS: after, imbalanceBeforeKgPerS: after * 3, closureErrorBeforeRatio: (after * 3) / inflow, closureErrorAfterRatio: after / inflow, suspect });
  return {
    result: {
      plantId,
      plantModelVersion: 3,
      window: { startTime: ts(windowStartMs), endTime: ts(windowStartMs + HOUR) },
      globalTest: { statistic: 14.2, degreesOfFreedom: 3, criticalValue: 7.81, pValue: 0.003, rejected: true },
      streams: [
        stream('S1', '', 'CDU-1', 'crude', 52.5),
        stream('S2', 'CDU-1', 'HDT-1', 'naphtha', 20.25),
        stream('S3', 'CDU-1', '', 'residue', 30.1, true),
        stream('S4', 'HDT-1', '', 'naphtha', 20.25),
        stream('ST1', '', 'CDU-1', 'steam', 4.4),
        stream('ST2', 'CDU-1', '', 'condensate', 3.9),
      ],
      units: [unit('CDU-1', 56.9, 2.15, true), unit('HDT-1', 20.25, 0, false)],
      grossErrors: [{ tagId: 'FI-S3', streamId: 'S3', estimatedBiasKgPerS: 1.2, standardDeviationKgPerS: 0.2, testStatistic: 6, criticalValue: 3.3, equivalentIds: [] }],
      losses: [{ unitId: 'CDU-1', estimatedLossKgPerS: 2.15, standardDeviationKgPerS: 0.4, testStatistic: 5.4, criticalValue: 3.3, equivalentIds: [] }],
      reconciledTime: ts(windowStartMs + HOUR + 60_000),
    },
  };
};

export const knownAlarmConfiguration = (plantId: string, timeZone: string) => ({
  plantId,
  timeZone,
  tags: [{ tagId: 'TI-101', area: 'area-1', console: 'console-1', engineeringUnit: 'degC', limits: { HH: { value: 95, priority: 'high' }, H: { value: 90, priority: 'low' }, L: { value: 60, priority: 'low' }, LL: { value: 50, priority: 'medium' } } }],
});

export interface KnownUpstreams {
  /** What GetSchedule and GetAllocation answer; tests change it to see a page redraw. */
  readonly data: { schedule: ReturnType<typeof knownSchedule>; allocation: typeof KNOWN_ALLOCATION | null };
  readonly scheduling: string;
  readonly supplyChain: string;
  readonly balancing: string;
  readonly safety: string;
  stop(): Promise<void>;
}

function serviceOf(proto: string, service: string, answers: Record<string, (request: Record<string, unknown>) => unknown>): ServiceImplementation {
  const definition = loadProtoPackage(proto)[service] as ServiceDefinition;
  const notServed = (method: string) => new PlatformDomainError('TEST.NOT_USED', `${method} is not served by this test server`);
  return Object.fromEntries(
    Object.entries(definition).map(([method, d]) => [
      method,
      d.responseStream && !d.requestStream
        ? serverStream(['viewer'], async function* () {
            yield* [];
            throw notServed(method);
          })
        : unary(['viewer', 'operator'], (request: Record<string, unknown>) => {
            const answer = answers[method];
            if (!answer) throw notServed(method);
            return answer(request);
          }),
    ]),
  );
}

/**
 * Starts four servers (scheduling, supply chain, balancing, safety) verifying the tests' JWTs.
 * `allocation: false` makes supply chain answer NOT_FOUND (no allocation yet).
 */
export async function startKnownUpstreams(o: { plantId: string; balanceWindowStartMs: number; timeZone?: string; allocation?: boolean }): Promise<KnownUpstreams> {
  const logger = pino({ enabled: false });
  const servers: GrpcPlatformServer[] = [];
  const start = async (proto: string, service: string, answers: Record<string, (request: Record<string, unknown>) => unknown>) => {
    const server = new GrpcPlatformServer({ config: { host: '127.0.0.1', port: 0, auth: { jwt: { hs256Secrets: [JWT_SECRET], development: true } } }, logger });
    server.addService(loadProtoPackage(proto), service, serviceOf(proto, service, answers));
    await server.start();
    servers.push(server);
    return `127.0.0.1:${server.port}`;
  };
  const data: KnownUpstreams['data'] = { schedule: knownSchedule(o.plantId), allocation: o.allocation === false ? null : structuredClone(KNOWN_ALLOCATION) };
  const unknownPlant = (plantId: unknown) => new PlatformDomainError('TEST.UNKNOWN_PLANT', `unknown plant ${String(plantId)}`, { kind: 'not-found', fieldViolations: [{ field: 'plant_id', description: 'unknown plant' }] });
  const scheduling = await start('reflux/scheduling/v1/scheduling.proto', 'reflux.scheduling.v1.SchedulingService', {
    GetSchedule: (r) => {
      if (r['plantId'] !== o.plantId) throw unknownPlant(r['plantId']);
      return data.schedule;
    },
  });
  const supplyChain = await start('reflux/supply_chain/v1/supply_chain.proto', 'reflux.supply_chain.v1.SupplyChainService', {
    GetAllocation: () => {
      if (!data.allocation) throw new PlatformDomainError('SUPPLY_CHAIN.NO_ALLOCATION', 'no allocation yet: run Optimize', { kind: 'not-found' });
      return { allocation: data.allocation };
    },
  });
  const balancing = await start('reflux/balancing/v1/balancing.proto', 'reflux.balancing.v1.BalancingService', {
    GetBalance: (r) => {
      if (r['plantId'] !== o.plantId) throw unknownPlant(r['plantId']);
      return knownBalance(o.plantId, o.balanceWindowStartMs);
    },
  });
  const safety = await start('reflux/safety/v1/safety.proto', 'reflux.safety.v1.SafetyService', {
    GetAlarmConfiguration: (r) => {
      if (r['plantId'] !== o.plantId) throw unknownPlant(r['plantId']);
      return { version: 1, documentJson: JSON.stringify(knownAlarmConfiguration(o.plantId, o.timeZone ?? 'UTC')) };
    },
    ListActiveAlarms: () => ({
      alarms: [{ plantId: o.plantId, alarmId: 'TI-101/H', tagId: 'TI-101', kind: 'H', priority: 'ALARM_PRIORITY_LOW', area: 'area-1', console: 'console-1', status: 'ALARM_STATUS_UNACKNOWLEDGED_ACTIVE', conditionActive: true, acknowledged: false, raisedTime: ts(KNOWN_HORIZON_START), value: 91.5, limit: 90, shelvedBy: '', shelfReason: '' }],
      nextPageToken: '',
    }),
  });
  return { data, scheduling, supplyChain, balancing, safety, stop: async () => void (await Promise.all(servers.map((s) => s.shutdown(200)))) };
}

/** A plant model matching knownBalance: a column and a hydrotreater, steam in, condensate out, a motor on the busbar. */
export const knownPlantModel = (plantId: string, timeZone: string) => {
  const m = (id: string, name: string, medium: string, from: string | null, to: string | null, massFlowKgPerS: number) => ({ id, name, kind: 'material', medium, from, to, nominal: { massFlowKgPerS } });
  const e = (id: string, name: string, medium: string, from: string | null, to: string | null, nominal: Record<string, number>) => ({ id, name, kind: 'energy', medium, from, to, nominal });
  return {
    schemaVersion: 1,
    plantId,
    name: 'Page test plant',
    sites: [{ id: 'site-1', name: 'Site 1', timeZone, areas: [{ id: 'area-1', name: 'Area 1', units: [{ id: 'CDU-1', name: 'Crude column', type: 'column' }, { id: 'HDT-1', name: 'Hydrotreater', type: 'reactor' }, { id: 'EB-1', name: 'Busbar', type: 'busbar' }] }] }],
    streams: [
      m('S1', 'Crude feed', 'crude', null, 'CDU-1', 52.5),
      m('S2', 'Naphtha to HDT', 'naphtha', 'CDU-1', 'HDT-1', 20.25),
      m('S3', 'Residue', 'residue', 'CDU-1', null, 32.25),
      m('S4', 'Treated naphtha', 'naphtha', 'HDT-1', null, 20.25),
      e('ST1', 'Stripping steam', 'steam', null, 'CDU-1', { massFlowKgPerS: 4.4 }),
      e('ST2', 'Condensate', 'condensate', 'CDU-1', null, { massFlowKgPerS: 4.4 }),
      e('E1', 'Grid import', 'electricity', null, 'EB-1', { powerW: 500_000 }),
      e('E2', 'Charge pump motor', 'electricity', 'EB-1', 'CDU-1', { powerW: 500_000 }),
    ],
    tags: [],
  };
};
