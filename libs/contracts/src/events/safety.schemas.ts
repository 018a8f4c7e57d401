import { z } from 'zod';
import { identifier } from '../common.schemas';

/** `<tagId>/<kind>`, e.g. `TI-101/HH`. */
export const alarmId = identifier;
export const alarmPriority = z.enum(['low', 'medium', 'high']);
export const UNIT_STATES = ['running', 'startup', 'shutdown', 'maintenance', 'tripped'] as const;
