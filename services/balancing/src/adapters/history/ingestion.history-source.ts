import * as grpc from '@grpc/grpc-js';
import { decodeGrpcError, type GrpcClientTransport } from '@reflux/grpc';
import { refluxIngestionV1 as v1 } from '@reflux/proto';
import type { Logger } from 'pino';
import type { HistoryQuery, HistorySource } from '../../application/history-source.port';
import type { TagAverage } from '../../domain/tag-average';
import { callUnary, ingestionReadClient, type IngestionReadClient } from './ingestion.client';
import { windowAverage } from './window-average';

export interface IngestionHistorySourceOptions {
  /** host:port of the ingestion service. */
  readonly address: string;
  /** Plaintext by default; TLS or mutual TLS from the INGESTION_TLS_* settings. */
  readonly transport?: GrpcClientTransport;
  /** Bearer token for each call (minted per call so it never expires mid-run). */
  readonly token: () => string;
  readonly timeoutMs?: number;
  /** Tags per ReadAggregates call (ingestion allows 1000). */
  readonly tagsPerCall?: number;
  readonly logger: Logger;
}

/** Ingestion refuses the token balancing calls it with. */
export class IngestionAccessError extends Error {
  override readonly name = 'IngestionAccessError';
}

const ts = (ms: number) => {
  const seconds = Math.floor(ms / 1000);
  return { seconds: String(seconds), nanos: (ms - seconds * 1000) * 1e6 };
};
const tsMs = (t: { seconds: string; nanos: number } | null | undefined): number => (t ? Number(t.seconds) * 1000 + Math.floor(t.nanos / 1e6) : NaN);

/**
 * Window averages from the ingestion service: ReadAggregates (time-weighted average, count, and
 * coverage and good share by time of `spreadBuckets` sub-windows: their covered-time-weighted mean is
 * the window average, their covered time the window's coverage — an outage inside a sub-window
 * counts as uncovered —, their spread the uncertainty of the average), ReadInterpolated at
 * the window edges for level changes. Buckets are
 * aligned by ingestion to multiples of their width; each contributes with the part of it that lies
 * in the window, so unaligned windows average correctly.
 */
export class IngestionHistorySource implements HistorySource {
  private readonly client: IngestionReadClient;

  constructor(private readonly options: IngestionHistorySourceOptions) {
    this.client = ingestionReadClient(options.address, options.transport);
  }

  close(): void {
    this.client.close();
  }

  /**
   * Start-up check that ingestion accepts this service's token (one ListTags of one tag): refusal
   * (UNAUTHENTICATED, PERMISSION_DENIED) throws IngestionAccessError naming the cause, so that
   * mismatched AUTH_JWT_* settings stop the start instead of failing every history read. An
   * unreachable ingestion (not started yet) is reported, not fatal.
   */
  async verifyAccess(timeoutMs = 5_000): Promise<{ reachable: true } | { reachable: false; reason: string }> {
    const metadata = new grpc.Metadata();
    metadata.set('authorization', `Bearer ${this.options.token()}`);
    try {
      await callUnary(this.client.listTags, this.client, { plantId: '', pageSize: 1, pageToken: '' }, metadata, timeoutMs);
      return { reachable: true };
    } catch (error) {
      const decoded = decodeGrpcError(error);
      if (decoded.status === grpc.status.UNAUTHENTICATED || decoded.status === grpc.status.PERMISSION_DENIED) {
        throw new IngestionAccessError(
          `ingestion at ${this.options.address} refuses balancing's token (${decoded.statusName}: ${decoded.message}); balancing mints it from AUTH_JWT_SECRET, AUTH_JWT_ISSUER and AUTH_JWT_AUDIENCE: give both services the same values, or set INGESTION_TOKEN to a token with the viewer role`,
        );
      }
      return { reachable: false, reason: `${decoded.statusName}: ${decoded.message}` };
    }
  }

  async readWindow(query: HistoryQuery): Promise<Map<string, TagAverage>> {
    const tagIds = [...new Set([...query.tagIds, ...query.levelTagIds])];
    const out = new Map<string, TagAverage>();
    const size = this.options.tagsPerCall ?? 500;
    for (let i = 0; i < tagIds.length; i += size) {
      for (const [tagId, average] of await this.aggregates(tagIds.slice(i, i + size), query)) out.set(tagId, average);
    }
    const levels = query.levelTagIds.filter((id) => out.has(id));
    if (levels.length > 0) {
      const edges = await this.call<v1.ReadInterpolatedRequest, v1.ReadInterpolatedResponse>(this.client.readInterpolated, { tagIds: levels, times: [ts(query.window.start.getTime()), ts(query.window.end.getTime())] }, query.signal);
      for (const series of edges.series) {
        const [first, last] = series.values;
        const average = out.get(series.tagId);
        if (average && first?.value != null && last?.value != null) out.set(series.tagId, { ...average, levelChange: last.value - first.value });
      }
    }
    return out;
  }

  private async aggregates(tagIds: string[], query: HistoryQuery): Promise<Map<string, TagAverage>> {
    const fromMs = query.window.start.getTime();
    const toMs = query.window.end.getTime();
    const bucketS = Math.max(1, Math.round((toMs - fromMs) / 1000 / Math.max(1, query.spreadBuckets)));
    const request: v1.ReadAggregatesRequest = {
      tagIds,
      range: { startTime: ts(fromMs), endTime: ts(toMs) },
      bucketWidth: { seconds: String(bucketS), nanos: 0 },
      functions: [v1.AggregateFunction.AGGREGATE_FUNCTION_TIME_WEIGHTED_AVG, v1.AggregateFunction.AGGREGATE_FUNCTION_COUNT, v1.AggregateFunction.AGGREGATE_FUNCTION_GOOD_SHARE, v1.AggregateFunction.AGGREGATE_FUNCTION_COVERAGE],
    };
    let response: v1.ReadAggregatesResponse;
    try {
      response = await this.call<v1.ReadAggregatesRequest, v1.ReadAggregatesResponse>(this.client.readAggregates, request, query.signal);
    } catch (error) {
      // Tags the ingestion catalog does not know are named in the field violations: read the rest.
      const unknown = new Set(
        decodeGrpcError(error).fieldViolations.map((v) => /^tag_ids\[(\d+)\]/.exec(v.field)?.[1]).filter((i): i is string => i !== undefined).map((i) => tagIds[Number(i)]),
      );
      if (unknown.size === 0 || unknown.size === tagIds.length) throw error;
      this.options.logger.warn({ tags: [...unknown] }, 'ingestion does not know these tags; balancing without them');
      return this.aggregates(tagIds.filter((t) => !unknown.has(t)), query);
    }
    const out = new Map<string, TagAverage>();
    for (const series of response.series) {
      const average = windowAverage(
        series.buckets.map((b) => ({
          startMs: tsMs(b.startTime),
          endMs: tsMs(b.endTime),
          count: Number(b.count),
          goodShare: b.goodShareRatio ?? undefined,
          coverage: b.coverageRatio ?? undefined,
          twa: b.timeWeightedAvg ?? undefined,
        })),
        fromMs,
        toMs,
      );
      if (average) out.set(series.tagId, { tagId: series.tagId, ...average });
    }
    return out;
  }

  private call<Req, Res>(method: (...args: never[]) => unknown, request: Req, signal?: AbortSignal): Promise<Res> {
    const metadata = new grpc.Metadata();
    metadata.set('authorization', `Bearer ${this.options.token()}`);
    return callUnary(method as never, this.client, request, metadata, this.options.timeoutMs ?? 30_000, signal);
  }
}
