import { invalid } from '../../domain/gateway.errors';
import type { Caller, SnapshotSource } from '../../application/snapshot-source.port';
import { isoOf, type GrpcUpstream } from './grpc-upstream';

interface Sample {
  tagId: string;
  time?: { seconds?: string; nanos?: number } | null;
  value: number;
  quality: number;
  unit?: string | null;
}

const TAG = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,199}$/;

/** `/v1/snapshot/tags?ids=…`: the latest sample of each tag (ingestion GetLatest), value in the tag's unit. */
export class IngestionTagsSnapshot implements SnapshotSource {
  readonly kind = 'tags';
  readonly service = 'ingestion';
  constructor(private readonly upstream: GrpcUpstream) {}

  async read(query: URLSearchParams, caller: Caller): Promise<unknown> {
    const ids = query.getAll('ids').flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v.length > 0);
    if (ids.length === 0) throw invalid([{ field: 'ids', description: 'required: comma-separated tag ids' }]);
    if (ids.length > 1000) throw invalid([{ field: 'ids', description: 'at most 1000 tags' }]);
    const bad = ids.map((id, i) => ({ id, i })).filter(({ id }) => !TAG.test(id));
    if (bad.length > 0) throw invalid(bad.map(({ id, i }) => ({ field: `ids[${i}]`, description: `${JSON.stringify(id.slice(0, 80))} is not a tag id` })));
    const response = await this.upstream.call<{ samples: Sample[] }>('GetLatest', { tagIds: ids }, caller);
    return {
      tags: response.samples.map((s) => ({
        tagId: s.tagId,
        time: isoOf(s.time),
        value: Number.isFinite(s.value) ? s.value : null,
        ...(s.unit ? { unit: s.unit } : {}),
        quality: s.quality,
      })),
    };
  }
}
