import { integrationEvents } from '@reflux/contracts';
import { deterministicUuid } from '@reflux/decider';
import type { EventStore } from '@reflux/event-store';
import type { Logger } from 'pino';
import type { ProposedSchedule } from '../domain/schedule-lifecycle.events';
import { achievableTargets, capacityChanges, type SiteTargets } from '../domain/site-targets';
import type { OptimizationJobs, PlantModel } from './optimization-jobs';
import type { Outbox } from './outbox.port';
import { inputsStreamId, loadInputs, recordInput } from './plant-inputs';
import type { Cause } from './schedule-book';

export interface SiteCoordinationDeps {
  readonly store: EventStore;
  readonly outbox: Outbox;
  readonly jobs: OptimizationJobs;
  readonly models: ReadonlyMap<string, PlantModel>;
  readonly source: string;
  readonly replan: boolean;
  readonly logger: Logger;
}

/**
 * Records a `SiteTargetsPublished` for a plant (once per event id; targets of materials the plant
 * does not make are left out and logged) and re-plans it.
 */
export async function receiveSiteTargets(deps: SiteCoordinationDeps, plantId: string, eventId: string, targets: SiteTargets, cause: Cause): Promise<void> {
  const materials = new Set(deps.models.get(plantId)!.document.materials.map((m) => m.id));
  const known = targets.targets.filter((t) => materials.has(t.materialId));
  if (known.length < targets.targets.length) deps.logger.warn({ plantId, siteId: targets.siteId, ignored: [...new Set(targets.targets.filter((t) => !materials.has(t.materialId)).map((t) => t.materialId))] }, 'site targets of materials the production model does not make are ignored');
  const { idempotentReplay } = await recordInput(deps.store, plantId, { type: 'SiteTargetsReceived', data: { requestId: `event:${eventId}`, targets: { ...targets, targets: known } } }, 'supply-chain');
  if (!idempotentReplay && deps.replan) await deps.jobs.replan(plantId, 'site-targets', cause);
}

/**
 * After a proposal: when it cannot meet the plant's supply-chain targets, tells supply chain what is
 * achievable (`SiteCapacityChanged` per process and run of periods, through the outbox, caused by the
 * `ScheduleProposed`), only where that differs from what was last reported for the allocation — so
 * a re-allocation that changes nothing here does not bounce back. The report is recorded in
 * `scheduling-inputs-<plant>` in the same transaction.
 */
export async function reportSiteCapacity(deps: SiteCoordinationDeps, plantId: string, proposed: ProposedSchedule, proposedEventId: string, cause: Cause): Promise<number> {
  const inputs = await loadInputs(deps.store, plantId);
  const targets = inputs.siteTargets;
  if (!targets || !proposed.result.schedule) return 0;
  const achievable = achievableTargets(targets, proposed.result);
  const changes = capacityChanges(achievable, inputs.capacityReported ?? []);
  if (changes.length === 0) return 0;
  const at = proposed.proposedAt;
  const events = changes.map((c, i) =>
    integrationEvents.envelope(
      'SiteCapacityChanged',
      {
        siteId: targets.siteId,
        processId: c.processId,
        fromPeriod: c.fromPeriod,
        toPeriod: c.toPeriod,
        availableModules: c.availableModules,
        achievableT: c.achievableT,
        targetT: c.targetT,
        reason: `schedule ${proposed.scheduleId} of ${plantId} (${proposed.reason}) can make ${c.achievableT} t per period of the ${c.targetT} t targeted by allocation ${targets.allocationId}`.slice(0, 500),
        changedAt: at,
      },
      { source: deps.source, subject: `site-capacity-${targets.siteId}`, eventId: deterministicUuid(`site-capacity:${proposed.scheduleId}:${i}`), causationId: proposedEventId, ...(cause.correlationId !== undefined && { correlationId: cause.correlationId }) },
    ),
  );
  const requestId = `capacity:${proposed.scheduleId}`;
  await deps.store.withTransaction(async (tx) => {
    const result = await deps.store.appendToStream(
      inputsStreamId(plantId),
      [{ eventId: deterministicUuid(`${plantId}:SiteCapacityReported:${requestId}`), type: 'SiteCapacityReported', data: { requestId, allocationId: targets.allocationId, scheduleId: proposed.scheduleId, achievable }, metadata: { actor: 'scheduling', causationId: proposedEventId } }],
      { expectedVersion: 'any', transaction: tx },
    );
    if (!result.idempotentReplay) await deps.outbox.enqueue(events, tx);
  });
  deps.logger.info({ plantId, siteId: targets.siteId, changes: changes.length }, 'site capacity reported to supply chain');
  return changes.length;
}
