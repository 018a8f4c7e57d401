import type { UnitState } from '../domain/alarm-config';

export const unitStreamPrefix = (plantId: string): string => `unit-${plantId}|`;
export const unitStreamId = (plantId: string, unitId: string): string => `${unitStreamPrefix(plantId)}${unitId}`;

/** Domain event of a unit's stream. */
export interface UnitStateChangedEvent {
  readonly type: 'UnitStateChanged';
  readonly data: {
    readonly unitId: string;
    readonly area: string;
    readonly from: UnitState | 'unknown';
    readonly to: UnitState;
    readonly at: string;
    readonly trip: boolean;
    readonly by: string;
    readonly reason: string;
  };
}
