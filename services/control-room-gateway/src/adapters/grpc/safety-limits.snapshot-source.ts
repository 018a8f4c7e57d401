import { invalid } from '../../domain/gateway.errors';
import type { Caller, SnapshotSource } from '../../application/snapshot-source.port';
import type { GrpcUpstream } from './grpc-upstream';

const KINDS = ['HH', 'H', 'L', 'LL'] as const;

interface TagConfig {
  tagId?: unknown;
  engineeringUnit?: unknown;
  limits?: Partial<Record<(typeof KINDS)[number], { value?: unknown; priority?: unknown }>>;
}

/**
 * `/v1/snapshot/limits?plantId=…`: the alarm limits of each tag (HH, H, L, LL, in the tag's
 * engineering unit) and the plant's time zone, from safety's alarm configuration
 * (GetAlarmConfiguration), for the limit lines on trends.
 */
export class SafetyLimitsSnapshot implements SnapshotSource {
  readonly kind = 'limits';
  readonly service = 'safety';
  constructor(
    private readonly upstream: GrpcUpstream,
    private readonly defaultPlantId: string | undefined,
  ) {}

  async read(query: URLSearchParams, caller: Caller): Promise<unknown> {
    const plantId = query.get('plantId') ?? this.defaultPlantId;
    if (!plantId) throw invalid([{ field: 'plantId', description: 'required (no default plant is configured)' }]);
    const response = await this.upstream.call<{ version: number; documentJson: string }>('GetAlarmConfiguration', { plantId }, caller);
    const doc = JSON.parse(response.documentJson || '{}') as { timeZone?: unknown; tags?: TagConfig[] };
    const tags = (doc.tags ?? []).flatMap((t) => {
      const limits = Object.fromEntries(KINDS.flatMap((k) => (typeof t.limits?.[k]?.value === 'number' ? [[k, t.limits[k]!.value as number]] : [])));
      return typeof t.tagId === 'string' && Object.keys(limits).length > 0 ? [{ tagId: t.tagId, unit: typeof t.engineeringUnit === 'string' ? t.engineeringUnit : undefined, limits }] : [];
    });
    return { plantId, version: response.version, timeZone: typeof doc.timeZone === 'string' ? doc.timeZone : undefined, tags };
  }
}
