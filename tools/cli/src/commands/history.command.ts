import type { Command } from 'commander';
import { refluxIngestionV1 as v1 } from '@reflux/proto';
import { callCredentials, resolveToken } from '../grpc/connection';
import { ingestionClient, unary, type IngestionClient } from '../grpc/ingestion-client';
import { cliTransport, type TlsOptions } from '../grpc/tls';
import { fromTimestamp, parseDurationMs, parseInstant, toTimestamp } from '../io/time';
import { createOutput, table } from '../output';

interface CommonOptions extends TlsOptions {
  address: string;
  token?: string;
  json?: boolean;
}

const list = (text: string | undefined) => (text ? text.split(',').map((s) => s.trim()).filter(Boolean) : []);

function connect(options: CommonOptions): { client: IngestionClient; metadata: ReturnType<typeof callCredentials> } {
  return { client: ingestionClient(options.address, cliTransport(options)), metadata: callCredentials(resolveToken(options)) };
}

async function allTags(client: IngestionClient, metadata: ReturnType<typeof callCredentials>, plantId = ''): Promise<v1.Tag[]> {
  const tags: v1.Tag[] = [];
  let pageToken = '';
  do {
    const page = await unary(client.listTags, client, { plantId, pageSize: 1000, pageToken }, metadata);
    tags.push(...page.tags);
    pageToken = page.nextPageToken;
  } while (pageToken);
  return tags;
}

function common(command: Command): Command {
  return command
    .option('--address <host:port>', 'ingestion gRPC address', process.env['REFLUX_INGESTION_ADDRESS'] ?? '127.0.0.1:50051')
    .option('--token <jwt>', 'bearer token (default: REFLUX_TOKEN, or the embedded default development secret)')
    .option('--json', 'machine-readable output');
}

/** `reflux tags` and `reflux history …`: the historian's read API from a terminal. */
export function registerHistoryCommands(program: Command): void {
  common(program.command('tags').description('list the tags the ingestion service knows'))
    .option('--plant <id>', 'only this plant')
    .action(async (o: CommonOptions & { plant?: string }) => {
      const { client, metadata } = connect(o);
      const tags = await allTags(client, metadata, o.plant);
      client.close();
      createOutput(o.json === true).result(tags, () => table(['tag', 'plant', 'unit', 'min', 'max', 'period s'], tags.map((t) => [t.id, t.plantId, t.unit, t.min, t.max, t.samplingPeriodS])));
    });

  const history = program.command('history').description('query measurement history');

  common(history.command('latest').description('latest value of tags (all tags when --tags is omitted)'))
    .option('--tags <ids>', 'comma-separated tag ids')
    .action(async (o: CommonOptions & { tags?: string }) => {
      const { client, metadata } = connect(o);
      let tagIds = list(o.tags);
      if (tagIds.length === 0) tagIds = (await allTags(client, metadata)).map((t) => t.id);
      const samples: v1.Sample[] = [];
      for (let i = 0; i < tagIds.length; i += 500) {
        samples.push(...(await unary(client.getLatest, client, { tagIds: tagIds.slice(i, i + 500) }, metadata)).samples);
      }
      client.close();
      const rows = samples.map((s) => ({ tagId: s.tagId, time: fromTimestamp(s.time), value: s.value, quality: s.quality, unit: s.unit ?? null }));
      createOutput(o.json === true).result(rows, () => table(['tag', 'time', 'value', 'unit', 'quality'], rows.map((r) => [r.tagId, r.time, r.value, r.unit, r.quality])));
    });

  common(history.command('raw').description('raw samples of tags in a time range'))
    .requiredOption('--tags <ids>', 'comma-separated tag ids')
    .option('--from <time>', 'start (ISO 8601, epoch ms, -1h)', '-1h')
    .option('--to <time>', 'end, exclusive', 'now')
    .option('--limit <n>', 'stop after this many samples', '10000')
    .action(async (o: CommonOptions & { tags: string; from: string; to: string; limit: string }) => {
      const { client, metadata } = connect(o);
      const range = { startTime: toTimestamp(parseInstant(o.from)), endTime: toTimestamp(parseInstant(o.to)) };
      const limit = Number(o.limit);
      const samples: v1.Sample[] = [];
      let pageToken = '';
      do {
        const page = await unary(client.readRaw, client, { tagIds: list(o.tags), range, pageSize: Math.min(10_000, limit - samples.length), pageToken }, metadata);
        samples.push(...page.samples);
        pageToken = page.nextPageToken;
      } while (pageToken && samples.length < limit);
      client.close();
      const rows = samples.map((s) => ({ tagId: s.tagId, time: fromTimestamp(s.time), value: s.value, quality: s.quality }));
      createOutput(o.json === true).result(rows, () => table(['tag', 'time', 'value', 'quality'], rows.map((r) => [r.tagId, r.time, r.value, r.quality])));
    });

  common(history.command('aggregates').description('time-bucketed statistics'))
    .requiredOption('--tags <ids>', 'comma-separated tag ids')
    .option('--from <time>', 'start', '-1h')
    .option('--to <time>', 'end, exclusive', 'now')
    .option('--bucket <duration>', 'bucket width (30s, 1m, 1h…)', '1m')
    .option('--functions <list>', 'avg,min,max,first,last,count,twa,good,coverage', 'avg,min,max,count,twa')
    .option('--timezone <zone>', 'plant time zone (IANA, e.g. Europe/Berlin): buckets are local days (use --bucket 1d)')
    .action(async (o: CommonOptions & { tags: string; from: string; to: string; bucket: string; functions: string; timezone?: string }) => {
      const names: Record<string, v1.AggregateFunction> = {
        avg: v1.AggregateFunction.AGGREGATE_FUNCTION_AVG,
        min: v1.AggregateFunction.AGGREGATE_FUNCTION_MIN,
        max: v1.AggregateFunction.AGGREGATE_FUNCTION_MAX,
        first: v1.AggregateFunction.AGGREGATE_FUNCTION_FIRST,
        last: v1.AggregateFunction.AGGREGATE_FUNCTION_LAST,
        count: v1.AggregateFunction.AGGREGATE_FUNCTION_COUNT,
        twa: v1.AggregateFunction.AGGREGATE_FUNCTION_TIME_WEIGHTED_AVG,
        good: v1.AggregateFunction.AGGREGATE_FUNCTION_GOOD_SHARE,
        coverage: v1.AggregateFunction.AGGREGATE_FUNCTION_COVERAGE,
      };
      const functions = list(o.functions).map((f) => {
        const fn = names[f];
        if (!fn) throw new Error(`--functions: unknown "${f}" (use ${Object.keys(names).join(', ')})`);
        return fn;
      });
      const bucketMs = parseDurationMs(o.bucket);
      const { client, metadata } = connect(o);
      const response = await unary(
        client.readAggregates,
        client,
        {
          tagIds: list(o.tags),
          range: { startTime: toTimestamp(parseInstant(o.from)), endTime: toTimestamp(parseInstant(o.to)) },
          bucketWidth: { seconds: String(Math.floor(bucketMs / 1000)), nanos: (bucketMs % 1000) * 1e6 },
          functions,
          ...(o.timezone ? { timeZone: o.timezone } : {}),
        },
        metadata,
      );
      client.close();
      const rows = response.series.flatMap((s) =>
        s.buckets.map((b) => ({ tagId: s.tagId, unit: s.unit, start: fromTimestamp(b.startTime), count: Number(b.count), avg: b.avg, min: b.min, max: b.max, first: b.first, last: b.last, timeWeightedAvg: b.timeWeightedAvg, goodShare: b.goodShareRatio, coverage: b.coverageRatio })),
      );
      createOutput(o.json === true).result(rows, () =>
        table(['tag', 'start', 'count', 'avg', 'min', 'max', 'twa', 'unit'], rows.map((r) => [r.tagId, r.start, r.count, r.avg, r.min, r.max, r.timeWeightedAvg, r.unit])),
      );
    });

  common(history.command('interpolated').description('values interpolated at given instants'))
    .requiredOption('--tags <ids>', 'comma-separated tag ids')
    .requiredOption('--at <times>', 'comma-separated instants (ISO 8601, epoch ms, -5m)')
    .action(async (o: CommonOptions & { tags: string; at: string }) => {
      const { client, metadata } = connect(o);
      const response = await unary(client.readInterpolated, client, { tagIds: list(o.tags), times: list(o.at).map((t) => toTimestamp(parseInstant(t))) }, metadata);
      client.close();
      const rows = response.series.flatMap((s) => s.values.map((v) => ({ tagId: s.tagId, time: fromTimestamp(v.time), value: v.value ?? null, quality: v.quality })));
      createOutput(o.json === true).result(rows, () => table(['tag', 'time', 'value', 'quality'], rows.map((r) => [r.tagId, r.time, r.value, r.quality])));
    });
}
