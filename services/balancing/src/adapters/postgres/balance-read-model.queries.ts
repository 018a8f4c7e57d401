import type { Pool } from 'pg';
import type { StreamClassification } from '@reflux/reconciliation';
import type { BalanceRecord, GrossErrorRecord, HeaderRecord, LossRecord, StreamRecord, UnitClosureRecord, YieldRecord } from '../../domain/balance-record';
import { BalancingError, BalancingErrorCode } from '../../domain/balancing.errors';
import type { ComponentClosureRecord, CompositionRecord } from '../../domain/component-balance';

export interface StoredBalance {
  readonly record: BalanceRecord;
  readonly reconciledAt: string;
}

export interface SuspectRow {
  readonly kind: 'gross-error' | 'loss';
  readonly plantId: string;
  readonly window: { start: string; end: string };
  readonly plantModelVersion: number;
  readonly grossError?: GrossErrorRecord;
  readonly loss?: LossRecord;
}

export interface SuspectPage {
  readonly suspects: readonly SuspectRow[];
  readonly nextPageToken: string;
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a balancing_yields row
const yieldOf = (y: any): YieldRecord => ({
  unitId: y.unit_id,
  streamId: y.stream_id,
  medium: y.medium,
  ratio: Number(y.yield_ratio),
  massFlowKgPerS: Number(y.mass_flow_kg_per_s),
  sigmaRatio: num(y.sigma_ratio),
  basis: y.basis,
});

/** Queries of the balancing read models (tables written by balanceReadModelProjection). */
export class BalanceReadModel {
  constructor(private readonly pool: Pool) {}

  /**
   * The balance of one window, from the read model: summary and suspects from the window row,
   * streams, closures, yields and energy from their tables; restricted to one unit's inlets and
   * outlets when `unitId` is given. `end` may be null when one window starts at `start`; `start`
   * null means the latest reconciled window (the one starting last).
   */
  async getBalance(plantId: string, start: Date | null, end: Date | null, unitId?: string): Promise<StoredBalance | undefined> {
    const windows = await this.pool.query<{ window_start: Date; window_end: Date; record: BalanceRecord; reconciled_at: Date }>(
      start === null
        ? `SELECT window_start, window_end, record, reconciled_at FROM balancing_windows WHERE plant_id = $1 ORDER BY window_start DESC, window_end DESC LIMIT 1`
        : `SELECT window_start, window_end, record, reconciled_at FROM balancing_windows
       WHERE plant_id = $1 AND window_start = $2 AND ($3::timestamptz IS NULL OR window_end = $3) ORDER BY window_end LIMIT 2`,
      start === null ? [plantId] : [plantId, start, end],
    );
    if (windows.rowCount === 0) return undefined;
    if (windows.rows.length > 1)
      throw new BalancingError(BalancingErrorCode.ambiguousWindow, `several windows of plant "${plantId}" start at ${start!.toISOString()}; give window.end_time`, {
        violations: [{ field: 'window.end_time', description: 'required: several reconciled windows start at this time' }],
      });
    const row = windows.rows[0];
    const key = [plantId, row.window_start, row.window_end];
    const [streams, units, yields, energy, compositions, componentClosures] = await Promise.all([
      this.pool.query(`SELECT * FROM balancing_stream_values WHERE plant_id = $1 AND window_start = $2 AND window_end = $3 ORDER BY stream_id`, key),
      this.pool.query(`SELECT * FROM balancing_unit_closures WHERE plant_id = $1 AND window_start = $2 AND window_end = $3 ORDER BY unit_id`, key),
      this.pool.query(`SELECT * FROM balancing_yields WHERE plant_id = $1 AND window_start = $2 AND window_end = $3 ORDER BY unit_id, stream_id`, key),
      this.pool.query(`SELECT * FROM balancing_energy_kpis WHERE plant_id = $1 AND window_start = $2 AND window_end = $3`, key),
      this.pool.query(`SELECT * FROM balancing_stream_compositions WHERE plant_id = $1 AND window_start = $2 AND window_end = $3 ORDER BY stream_id, component`, key),
      this.pool.query(`SELECT * FROM balancing_component_closures WHERE plant_id = $1 AND window_start = $2 AND window_end = $3 ORDER BY unit_id, component`, key),
    ]);
    const streamEnds = new Map((row.record.streams ?? []).map((s) => [s.streamId, s]));
    const touchesStream = (streamId: string) => {
      const s = streamEnds.get(streamId);
      return !unitId || (s !== undefined && (s.from === unitId || s.to === unitId));
    };
    const storedComponents = row.record.componentBalance ?? null;
    const touches = (s: { from_unit_id: string | null; to_unit_id: string | null }) => !unitId || s.from_unit_id === unitId || s.to_unit_id === unitId;
    const e = energy.rows[0];
    const record: BalanceRecord = {
      ...row.record,
      streams: streams.rows.filter(touches).map(
        (s): StreamRecord => ({
          streamId: s.stream_id,
          from: s.from_unit_id,
          to: s.to_unit_id,
          medium: s.medium,
          tagIds: s.tag_ids,
          accumulation: s.is_accumulation,
          measured: s.measured,
          measuredKgPerS: num(s.measured_kg_per_s),
          reconciledKgPerS: num(s.reconciled_kg_per_s),
          sigmaKgPerS: num(s.sigma_kg_per_s),
          adjustmentKgPerS: num(s.adjustment_kg_per_s),
          measurementTest: num(s.measurement_test),
          classification: s.classification as StreamClassification,
          grossError: s.gross_error,
        }),
      ),
      units: units.rows
        .filter((u) => !unitId || u.unit_id === unitId)
        .map(
          (u): UnitClosureRecord => ({
            unitId: u.unit_id,
            imbalanceBeforeKgPerS: num(u.imbalance_before_kg_per_s),
            imbalanceAfterKgPerS: num(u.imbalance_after_kg_per_s),
            inflowKgPerS: num(u.inflow_kg_per_s),
            outflowKgPerS: num(u.outflow_kg_per_s),
            accumulationKgPerS: num(u.accumulation_kg_per_s),
            closureBeforeRatio: num(u.closure_before_ratio),
            closureAfterRatio: num(u.closure_after_ratio),
            nodalTest: num(u.nodal_test),
            suspect: u.suspect,
          }),
        ),
      yields: yields.rows
        .filter((y) => !unitId || y.unit_id === unitId)
        .map(yieldOf),
      grossErrors: row.record.grossErrors.filter((g) => !unitId || streams.rows.some((s) => s.stream_id === g.streamId && touches(s))),
      componentBalance: storedComponents && {
        ...storedComponents,
        compositions: compositions.rows
          .filter((c) => touchesStream(c.stream_id))
          .map(
            (c): CompositionRecord => ({
              streamId: c.stream_id,
              component: c.component,
              tagIds: c.tag_ids,
              measured: c.measured,
              measuredFraction: num(c.measured_mass_fraction),
              reconciledFraction: num(c.reconciled_mass_fraction),
              sigmaFraction: num(c.sigma_mass_fraction),
              adjustmentFraction: num(c.adjustment_mass_fraction),
              measurementTest: num(c.measurement_test),
              classification: c.classification as StreamClassification,
              grossError: c.gross_error,
            }),
          ),
        closures: componentClosures.rows
          .filter((u) => !unitId || u.unit_id === unitId)
          .map(
            (u): ComponentClosureRecord => ({
              unitId: u.unit_id,
              component: u.component,
              imbalanceBeforeKgPerS: num(u.imbalance_before_kg_per_s),
              imbalanceAfterKgPerS: num(u.imbalance_after_kg_per_s),
              inflowKgPerS: num(u.inflow_kg_per_s),
              outflowKgPerS: num(u.outflow_kg_per_s),
              closureBeforeRatio: num(u.closure_before_ratio),
              closureAfterRatio: num(u.closure_after_ratio),
            }),
          ),
        flows: storedComponents.flows.filter((f) => touchesStream(f.streamId)),
      },
      losses: row.record.losses.filter((l) => !unitId || l.unitId === unitId),
      energy: e
        ? {
            energyImportW: num(e.energy_import_w),
            energyExportW: num(e.energy_export_w),
            productKgPerS: num(e.product_kg_per_s),
            specificEnergyGjPerT: num(e.specific_energy_gj_per_t),
            headers: (e.headers as HeaderRecord[]).filter((h) => !unitId || h.unitId === unitId),
          }
        : row.record.energy,
    };
    return { record, reconciledAt: row.reconciled_at.toISOString() };
  }

  /**
   * Yields of one window (the latest reconciled one of the plant when `start` is null), with the
   * window and the plant-model version they were reconciled under.
   */
  async getYields(plantId: string, start: Date | null, unitId?: string): Promise<{ window: { start: string; end: string }; plantModelVersion: number; yields: YieldRecord[] } | undefined> {
    const windows = await this.pool.query<{ window_start: Date; window_end: Date; plant_model_version: number }>(
      `SELECT window_start, window_end, plant_model_version FROM balancing_windows
       WHERE plant_id = $1 AND ($2::timestamptz IS NULL OR window_start = $2) ORDER BY window_start DESC, window_end DESC LIMIT 1`,
      [plantId, start],
    );
    const w = windows.rows[0];
    if (!w) return undefined;
    const rows = await this.pool.query(
      `SELECT * FROM balancing_yields WHERE plant_id = $1 AND window_start = $2 AND window_end = $3 AND ($4::text IS NULL OR unit_id = $4) ORDER BY unit_id, stream_id`,
      [plantId, w.window_start, w.window_end, unitId ?? null],
    );
    return {
      window: { start: w.window_start.toISOString(), end: w.window_end.toISOString() },
      plantModelVersion: w.plant_model_version,
      yields: rows.rows.map(yieldOf),
    };
  }

  /** Suspects of windows starting in [from, to), oldest window first, paged by an opaque token. */
  async listSuspects(plantId: string, from: Date, to: Date, kind: 'gross-error' | 'loss' | null, pageSize: number, pageToken: string): Promise<SuspectPage> {
    const after = decodeToken(pageToken);
    const rows = await this.pool.query<{ kind: 'gross-error' | 'loss'; window_start: Date; window_end: Date; plant_model_version: number; global_position: string; detail: unknown }>(
      `SELECT kind, window_start, window_end, plant_model_version, global_position, detail FROM balancing_suspects
       WHERE plant_id = $1 AND window_start >= $2 AND window_start < $3 AND ($4::text IS NULL OR kind = $4)
         AND ($5::timestamptz IS NULL OR (window_start, global_position) > ($5, $6::bigint))
       ORDER BY window_start, global_position LIMIT $7`,
      [plantId, from, to, kind, after ? new Date(after.windowStartMs) : null, after?.position ?? 0, pageSize + 1],
    );
    const page = rows.rows.slice(0, pageSize);
    const last = page[page.length - 1];
    return {
      suspects: page.map((r) => ({
        kind: r.kind,
        plantId,
        window: { start: r.window_start.toISOString(), end: r.window_end.toISOString() },
        plantModelVersion: r.plant_model_version,
        ...(r.kind === 'gross-error' ? { grossError: r.detail as GrossErrorRecord } : { loss: r.detail as LossRecord }),
      })),
      nextPageToken: rows.rows.length > pageSize && last ? encodeToken(last.window_start.getTime(), last.global_position) : '',
    };
  }
}

const encodeToken = (windowStartMs: number, position: string): string => Buffer.from(`v1:${windowStartMs}:${position}`).toString('base64url');

function decodeToken(token: string): { windowStartMs: number; position: string } | undefined {
  if (token === '') return undefined;
  const match = /^v1:(\d+):(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!match)
    throw new BalancingError(BalancingErrorCode.invalidRequest, 'page_token is not a token returned by ListSuspects', {
      violations: [{ field: 'page_token', description: 'not a token returned by ListSuspects' }],
    });
  return { windowStartMs: Number(match[1]), position: match[2] };
}
