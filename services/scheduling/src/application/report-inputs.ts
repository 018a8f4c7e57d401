import type { EventStore } from '@reflux/event-store';
import { energyPriceViolations, type EnergyPrices } from '../domain/energy-prices';
import { unitsStoppedBy, type OpenDemand, type ReportedState } from '../domain/replan';
import { invalidRequest, type FieldViolation } from '../domain/scheduling.errors';
import type { OptimizationJobs, PlantModel } from './optimization-jobs';
import { recordInput } from './plant-inputs';
import type { Cause } from './schedule-book';

export interface ReportInputsDeps {
  readonly store: EventStore;
  readonly jobs: OptimizationJobs;
  readonly models: ReadonlyMap<string, PlantModel>;
  /** Re-plan when demands or unit states change (SCHEDULING_REPLAN_ON_EVENTS). */
  readonly replan: boolean;
}

/** Replaces a plant's open demands (idempotent by request id) and re-plans unless it was a replay. */
export async function setDemands(deps: ReportInputsDeps, plantId: string, requestId: string, demands: readonly OpenDemand[], by: string, cause: Cause = { causationId: requestId }): Promise<{ idempotentReplay: boolean; jobId?: string }> {
  const model = deps.models.get(plantId)!;
  const materials = new Set(model.document.materials.map((m) => m.id));
  const violations: FieldViolation[] = [];
  const ids = new Set<string>();
  demands.forEach((d, i) => {
    if (ids.has(d.id)) violations.push({ field: `demands[${i}].demand_id`, description: `duplicate demand id ${d.id}` });
    ids.add(d.id);
    if (!materials.has(d.material)) violations.push({ field: `demands[${i}].material_id`, description: `unknown material ${d.material}` });
  });
  if (violations.length > 0) throw invalidRequest(violations);
  const { idempotentReplay } = await recordInput(deps.store, plantId, { type: 'DemandsSet', data: { requestId, demands } }, by);
  const job = !idempotentReplay && deps.replan ? await deps.jobs.replan(plantId, 'demands', cause) : undefined;
  return { idempotentReplay, ...(job && { jobId: job.jobId }) };
}

/** Sets a plant's energy prices (idempotent by request id; field-level errors) and re-plans unless it was a replay. */
export async function setEnergyPrices(deps: ReportInputsDeps, plantId: string, requestId: string, prices: EnergyPrices, by: string, cause: Cause = { causationId: requestId }): Promise<{ idempotentReplay: boolean; jobId?: string }> {
  const violations = energyPriceViolations(deps.models.get(plantId)!.document, prices);
  if (violations.length > 0) throw invalidRequest(violations);
  const { idempotentReplay } = await recordInput(deps.store, plantId, { type: 'EnergyPricesSet', data: { requestId, prices } }, by);
  const job = !idempotentReplay && deps.replan ? await deps.jobs.replan(plantId, 'energy-prices', cause) : undefined;
  return { idempotentReplay, ...(job && { jobId: job.jobId }) };
}

export interface UnitStateReport {
  readonly plantId: string;
  readonly requestId: string;
  readonly unitId: string;
  readonly state: ReportedState;
  readonly at: string;
  readonly expectedReturnAt?: string;
  readonly reason: string;
}

/** Records a unit's state (idempotent by request id) and re-plans when it concerns a unit of the production model. */
export async function reportUnitState(deps: ReportInputsDeps, report: UnitStateReport, by: string, cause: Cause = { causationId: report.requestId }): Promise<{ idempotentReplay: boolean; jobId?: string; affectedUnitIds: string[] }> {
  const model = deps.models.get(report.plantId)!;
  const affectedUnitIds = unitsStoppedBy(model.document, report.unitId);
  const { plantId, ...data } = report;
  const { idempotentReplay } = await recordInput(deps.store, plantId, { type: 'UnitStateReported', data }, by);
  const job = !idempotentReplay && deps.replan && affectedUnitIds.length > 0 ? await deps.jobs.replan(plantId, `unit-state:${report.unitId}`, cause) : undefined;
  return { idempotentReplay, affectedUnitIds, ...(job && { jobId: job.jobId }) };
}
