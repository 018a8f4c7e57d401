import type { BalanceRecord } from './balance-record';

/** The part of a balance that concerns one unit: its inlets and outlets, its closure, yields, suspects and header. */
export function recordOfUnit(record: BalanceRecord, unitId: string): BalanceRecord {
  const streams = record.streams.filter((s) => s.from === unitId || s.to === unitId);
  const streamIds = new Set(streams.map((s) => s.streamId));
  return {
    ...record,
    streams,
    units: record.units.filter((u) => u.unitId === unitId),
    yields: record.yields.filter((y) => y.unitId === unitId),
    grossErrors: record.grossErrors.filter((g) => streamIds.has(g.streamId)),
    losses: record.losses.filter((l) => l.unitId === unitId),
    energy: { ...record.energy, headers: record.energy.headers.filter((h) => h.unitId === unitId) },
  };
}
