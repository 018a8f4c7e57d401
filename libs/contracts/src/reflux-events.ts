import { AlarmRaisedContract } from './events/alarm-raised.event';
import { AlarmClearedContract } from './events/alarm-cleared.event';
import { AlarmAcknowledgedContract } from './events/alarm-acknowledged.event';
import { AlarmShelvedContract } from './events/alarm-shelved.event';
import { UnitStateChangedContract } from './events/unit-state-changed.event';
import { UnitTrippedContract } from './events/unit-tripped.event';
import { BalanceReconciledContract } from './events/balance-reconciled.event';
import { BalanceRevisedContract } from './events/balance-revised.event';
import { GrossErrorClearedContract } from './events/gross-error-cleared.event';
import { GrossErrorSuspectedContract } from './events/gross-error-suspected.event';
import { LossSuspectedContract } from './events/loss-suspected.event';
import { MeasurementsIngestedContract } from './events/measurements-ingested.event';
import { PlantModelVersionedContract } from './events/plant-model-versioned.event';
import { ScheduleProposedContract, SchedulePublishedContract, ScheduleSupersededContract } from './events/scheduling.events';
import { EarlyWarningRaisedContract } from './events/early-warning-raised.event';
import { EarlyWarningClearedContract } from './events/early-warning-cleared.event';
import { AlarmKpiReportContract } from './events/alarm-kpi-report.event';
import { AllocationProposedContract } from './events/allocation-proposed.event';
import { AllocationPublishedContract } from './events/allocation-published.event';
import { SiteCapacityChangedContract } from './events/site-capacity-changed.event';
import { SiteTargetsPublishedContract } from './events/site-targets-published.event';
import { ContractRegistry, type EventOf } from './registry';

/**
 * Every integration event of Reflux. To add one: write `events/<name>.event.ts` with `defineEvent`,
 * list it here. To change one incompatibly: move its schema into `previousVersions` with an upcaster
 * and put the new schema in `schema` (the version number follows).
 */
export const REFLUX_CONTRACTS = [
  MeasurementsIngestedContract,
  PlantModelVersionedContract,
  BalanceReconciledContract,
  GrossErrorSuspectedContract,
  LossSuspectedContract,
  AlarmRaisedContract,
  AlarmClearedContract,
  AlarmAcknowledgedContract,
  AlarmShelvedContract,
  UnitStateChangedContract,
  UnitTrippedContract,
  BalanceRevisedContract,
  GrossErrorClearedContract,
  // scheduling
  ScheduleProposedContract,
  SchedulePublishedContract,
  ScheduleSupersededContract,
  EarlyWarningRaisedContract,
  EarlyWarningClearedContract,
  AlarmKpiReportContract,
  // supply chain (and the capacity changes scheduling reports back to it)
  AllocationProposedContract,
  AllocationPublishedContract,
  SiteTargetsPublishedContract,
  SiteCapacityChangedContract,
] as const;

export type RefluxContract = (typeof REFLUX_CONTRACTS)[number];

export const integrationEvents = new ContractRegistry<RefluxContract>(REFLUX_CONTRACTS);

/** The typed union of all Reflux integration events. */
export type RefluxIntegrationEvent = EventOf<RefluxContract>;

export const EVENT_TYPES = {
  MeasurementsIngested: MeasurementsIngestedContract.type,
  PlantModelVersioned: PlantModelVersionedContract.type,
  BalanceReconciled: BalanceReconciledContract.type,
  GrossErrorSuspected: GrossErrorSuspectedContract.type,
  LossSuspected: LossSuspectedContract.type,
  AlarmRaised: AlarmRaisedContract.type,
  AlarmCleared: AlarmClearedContract.type,
  AlarmAcknowledged: AlarmAcknowledgedContract.type,
  AlarmShelved: AlarmShelvedContract.type,
  UnitStateChanged: UnitStateChangedContract.type,
  UnitTripped: UnitTrippedContract.type,
  BalanceRevised: BalanceRevisedContract.type,
  GrossErrorCleared: GrossErrorClearedContract.type,
  // scheduling
  ScheduleProposed: ScheduleProposedContract.type,
  SchedulePublished: SchedulePublishedContract.type,
  ScheduleSuperseded: ScheduleSupersededContract.type,
  EarlyWarningRaised: EarlyWarningRaisedContract.type,
  EarlyWarningCleared: EarlyWarningClearedContract.type,
  AlarmKpiReport: AlarmKpiReportContract.type,
  AllocationProposed: AllocationProposedContract.type,
  AllocationPublished: AllocationPublishedContract.type,
  SiteTargetsPublished: SiteTargetsPublishedContract.type,
  SiteCapacityChanged: SiteCapacityChangedContract.type,
} as const;
