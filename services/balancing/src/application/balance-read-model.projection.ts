import { defineProjection, type Projection, type RecordedEvent } from '@reflux/event-store';
import type { PoolClient } from 'pg';
import type { BalanceWindowEvent } from '../domain/balance-window.decider';

type Data<T extends BalanceWindowEvent['type']> = Extract<BalanceWindowEvent, { type: T }>['data'];

const WINDOW_TABLES = [
  'balancing_stream_values',
  'balancing_unit_closures',
  'balancing_yields',
  'balancing_energy_kpis',
  'balancing_stream_compositions',
  'balancing_component_closures',
] as const;

/**
 * Read models of reconciled windows, from the `balance-*` streams: the window summary (with the
 * full record for GetBalance), reconciled values per stream, unit closures, yields, energy figures,
 * reconciled compositions and component closures, and the suspects. Idempotent: a window's rows are replaced by the newest plant-model version
 * or revision (an older version arriving late is ignored), suspects are keyed by event id and
 * removed when a revision clears them.
 */
export const balanceReadModelProjection: Projection = defineProjection({
  name: 'balancing-read-model',
  category: 'balance-',
  handlers: {
    BalanceReconciled: (event, tx) => applyBalance(event, tx),
    // a revision replaces the window's rows like a newer result
    BalanceRevised: (event, tx) => applyBalance(event, tx),
    GrossErrorCleared: async (event, tx) => {
      const d = event.data as Data<'GrossErrorCleared'>;
      const where = `plant_id = $1 AND window_start = $2 AND window_end = $3 AND plant_model_version = $4 AND global_position < $5`;
      const key = [d.plantId, d.window.start, d.window.end, d.plantModelVersion, event.globalPosition];
      if (d.suspect.kind === 'loss') await tx.query(`DELETE FROM balancing_suspects WHERE ${where} AND kind = 'loss' AND unit_id = $6`, [...key, d.suspect.unitId]);
      else
        await tx.query(`DELETE FROM balancing_suspects WHERE ${where} AND kind = 'gross-error' AND tag_id = $6 AND coalesce(detail->>'component', '') = $7`, [
          ...key,
          d.suspect.tagId,
          d.suspect.component ?? '',
        ]);
    },
    GrossErrorSuspected: async (event, tx) => {
      const d = event.data as Data<'GrossErrorSuspected'>;
      await insertSuspect(tx, event, d, 'gross-error', d.grossError.tagId, d.grossError.streamId, null, d.grossError);
    },
    LossSuspected: async (event, tx) => {
      const d = event.data as Data<'LossSuspected'>;
      await insertSuspect(tx, event, d, 'loss', null, null, d.loss.unitId, d.loss);
    },
  },
  reset: async (tx) => {
    await tx.query(`DELETE FROM balancing_suspects`);
    for (const table of WINDOW_TABLES) await tx.query(`DELETE FROM ${table}`);
    await tx.query(`DELETE FROM balancing_windows`);
  },
});

async function applyBalance(event: RecordedEvent, tx: PoolClient): Promise<void> {
  const { record, reconciledAt } = event.data as Data<'BalanceReconciled'>;
  const key = [record.plantId, record.window.start, record.window.end];
  const upsert = await tx.query(
    `INSERT INTO balancing_windows AS w (plant_id, window_start, window_end, plant_model_version, stream_id, reconciled_at,
       global_test_statistic, global_test_dof, global_test_critical, global_test_rejected, record)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (plant_id, window_start, window_end) DO UPDATE SET
       plant_model_version = EXCLUDED.plant_model_version, stream_id = EXCLUDED.stream_id, reconciled_at = EXCLUDED.reconciled_at,
       global_test_statistic = EXCLUDED.global_test_statistic, global_test_dof = EXCLUDED.global_test_dof,
       global_test_critical = EXCLUDED.global_test_critical, global_test_rejected = EXCLUDED.global_test_rejected, record = EXCLUDED.record
     WHERE w.plant_model_version <= EXCLUDED.plant_model_version
     RETURNING 1`,
    [...key, record.plantModelVersion, event.streamId, reconciledAt, record.globalTest.statistic, record.globalTest.dof, record.globalTest.critical, record.globalTest.rejected, JSON.stringify(record)],
  );
  if (upsert.rowCount === 0) return; // a newer version already holds this window
  for (const table of WINDOW_TABLES) await tx.query(`DELETE FROM ${table} WHERE plant_id = $1 AND window_start = $2 AND window_end = $3`, key);

  if (record.streams.length > 0)
    await tx.query(
      `INSERT INTO balancing_stream_values (plant_id, window_start, window_end, stream_id, from_unit_id, to_unit_id, medium, tag_ids, is_accumulation,
         measured, measured_kg_per_s, reconciled_kg_per_s, sigma_kg_per_s, adjustment_kg_per_s, measurement_test, classification, gross_error)
       SELECT $1, $2, $3, s.stream_id, s.from_unit_id, s.to_unit_id, s.medium, ARRAY(SELECT jsonb_array_elements_text(s.tag_ids)), s.is_accumulation,
         s.measured, s.measured_kg_per_s, s.reconciled_kg_per_s, s.sigma_kg_per_s, s.adjustment_kg_per_s, s.measurement_test, s.classification, s.gross_error
       FROM jsonb_to_recordset($4::jsonb) AS s(stream_id text, from_unit_id text, to_unit_id text, medium text, tag_ids jsonb, is_accumulation boolean,
         measured boolean, measured_kg_per_s double precision, reconciled_kg_per_s double precision, sigma_kg_per_s double precision,
         adjustment_kg_per_s double precision, measurement_test double precision, classification text, gross_error boolean)`,
      [
        ...key,
        JSON.stringify(
          record.streams.map((s) => ({
            stream_id: s.streamId,
            from_unit_id: s.from,
            to_unit_id: s.to,
            medium: s.medium,
            tag_ids: s.tagIds,
            is_accumulation: s.accumulation,
            measured: s.measured,
            measured_kg_per_s: s.measuredKgPerS,
            reconciled_kg_per_s: s.reconciledKgPerS,
            sigma_kg_per_s: s.sigmaKgPerS,
            adjustment_kg_per_s: s.adjustmentKgPerS,
            measurement_test: s.measurementTest,
            classification: s.classification,
            gross_error: s.grossError,
          })),
        ),
      ],
    );
  if (record.units.length > 0)
    await tx.query(
      `INSERT INTO balancing_unit_closures (plant_id, window_start, window_end, unit_id, imbalance_before_kg_per_s, imbalance_after_kg_per_s,
         inflow_kg_per_s, outflow_kg_per_s, accumulation_kg_per_s, closure_before_ratio, closure_after_ratio, nodal_test, suspect)
       SELECT $1, $2, $3, u.* FROM jsonb_to_recordset($4::jsonb) AS u(unit_id text, imbalance_before_kg_per_s double precision,
         imbalance_after_kg_per_s double precision, inflow_kg_per_s double precision, outflow_kg_per_s double precision,
         accumulation_kg_per_s double precision, closure_before_ratio double precision, closure_after_ratio double precision,
         nodal_test double precision, suspect boolean)`,
      [
        ...key,
        JSON.stringify(
          record.units.map((u) => ({
            unit_id: u.unitId,
            imbalance_before_kg_per_s: u.imbalanceBeforeKgPerS,
            imbalance_after_kg_per_s: u.imbalanceAfterKgPerS,
            inflow_kg_per_s: u.inflowKgPerS,
            outflow_kg_per_s: u.outflowKgPerS,
            accumulation_kg_per_s: u.accumulationKgPerS,
            closure_before_ratio: u.closureBeforeRatio,
            closure_after_ratio: u.closureAfterRatio,
            nodal_test: u.nodalTest,
            suspect: u.suspect,
          })),
        ),
      ],
    );
  if (record.yields.length > 0)
    await tx.query(
      `INSERT INTO balancing_yields (plant_id, window_start, window_end, unit_id, stream_id, medium, yield_ratio, mass_flow_kg_per_s, sigma_ratio, basis)
       SELECT $1, $2, $3, y.* FROM jsonb_to_recordset($4::jsonb) AS y(unit_id text, stream_id text, medium text, yield_ratio double precision,
         mass_flow_kg_per_s double precision, sigma_ratio double precision, basis text)`,
      [
        ...key,
        JSON.stringify(
          record.yields.map((y) => ({ unit_id: y.unitId, stream_id: y.streamId, medium: y.medium, yield_ratio: y.ratio, mass_flow_kg_per_s: y.massFlowKgPerS, sigma_ratio: y.sigmaRatio, basis: y.basis })),
        ),
      ],
    );
  const components = record.componentBalance ?? null;
  if (components && components.compositions.length > 0)
    await tx.query(
      `INSERT INTO balancing_stream_compositions (plant_id, window_start, window_end, stream_id, component, tag_ids, measured, measured_mass_fraction,
         reconciled_mass_fraction, sigma_mass_fraction, adjustment_mass_fraction, measurement_test, classification, gross_error)
       SELECT $1, $2, $3, c.stream_id, c.component, ARRAY(SELECT jsonb_array_elements_text(c.tag_ids)), c.measured, c.measured_mass_fraction,
         c.reconciled_mass_fraction, c.sigma_mass_fraction, c.adjustment_mass_fraction, c.measurement_test, c.classification, c.gross_error
       FROM jsonb_to_recordset($4::jsonb) AS c(stream_id text, component text, tag_ids jsonb, measured boolean, measured_mass_fraction double precision,
         reconciled_mass_fraction double precision, sigma_mass_fraction double precision, adjustment_mass_fraction double precision,
         measurement_test double precision, classification text, gross_error boolean)`,
      [
        ...key,
        JSON.stringify(
          components.compositions.map((c) => ({
            stream_id: c.streamId,
            component: c.component,
            tag_ids: c.tagIds,
            measured: c.measured,
            measured_mass_fraction: c.measuredFraction,
            reconciled_mass_fraction: c.reconciledFraction,
            sigma_mass_fraction: c.sigmaFraction,
            adjustment_mass_fraction: c.adjustmentFraction,
            measurement_test: c.measurementTest,
            classification: c.classification,
            gross_error: c.grossError,
          })),
        ),
      ],
    );
  if (components && components.closures.length > 0)
    await tx.query(
      `INSERT INTO balancing_component_closures (plant_id, window_start, window_end, unit_id, component, imbalance_before_kg_per_s, imbalance_after_kg_per_s,
         inflow_kg_per_s, outflow_kg_per_s, closure_before_ratio, closure_after_ratio)
       SELECT $1, $2, $3, u.* FROM jsonb_to_recordset($4::jsonb) AS u(unit_id text, component text, imbalance_before_kg_per_s double precision,
         imbalance_after_kg_per_s double precision, inflow_kg_per_s double precision, outflow_kg_per_s double precision,
         closure_before_ratio double precision, closure_after_ratio double precision)`,
      [
        ...key,
        JSON.stringify(
          components.closures.map((u) => ({
            unit_id: u.unitId,
            component: u.component,
            imbalance_before_kg_per_s: u.imbalanceBeforeKgPerS,
            imbalance_after_kg_per_s: u.imbalanceAfterKgPerS,
            inflow_kg_per_s: u.inflowKgPerS,
            outflow_kg_per_s: u.outflowKgPerS,
            closure_before_ratio: u.closureBeforeRatio,
            closure_after_ratio: u.closureAfterRatio,
          })),
        ),
      ],
    );
  await tx.query(
    `INSERT INTO balancing_energy_kpis (plant_id, window_start, window_end, energy_import_w, energy_export_w, product_kg_per_s, specific_energy_gj_per_t, headers)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [...key, record.energy.energyImportW, record.energy.energyExportW, record.energy.productKgPerS, record.energy.specificEnergyGjPerT, JSON.stringify(record.energy.headers)],
  );
}

async function insertSuspect(
  tx: PoolClient,
  event: RecordedEvent,
  ref: Data<'GrossErrorSuspected'> | Data<'LossSuspected'>,
  kind: 'gross-error' | 'loss',
  tagId: string | null,
  streamId: string | null,
  unitId: string | null,
  detail: unknown,
): Promise<void> {
  await tx.query(
    `INSERT INTO balancing_suspects (event_id, global_position, plant_id, window_start, window_end, plant_model_version, kind, tag_id, stream_id, unit_id, detail)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (event_id) DO NOTHING`,
    [event.eventId, event.globalPosition, ref.plantId, ref.window.start, ref.window.end, ref.plantModelVersion, kind, tagId, streamId, unitId, JSON.stringify(detail)],
  );
}
