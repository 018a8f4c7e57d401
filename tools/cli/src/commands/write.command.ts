import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { BufferedIngestionWriter, ingestionStreamClient, type WriterState } from '@reflux/ingestion-client';
import { isValidTimeZone } from '@reflux/plant-model';
import type { refluxIngestionV1 as v1 } from '@reflux/proto';
import { resolveToken } from '../grpc/connection';
import { CsvError, parseHeader, parseRow } from '../io/csv-samples';
import { createOutput } from '../output';
import { cliTransport, type TlsOptions } from '../grpc/tls';

interface WriteOptions extends TlsOptions {
  csv: string;
  batchSize: string;
  inFlight: string;
  address: string;
  token?: string;
  timezone?: string;
  json?: boolean;
  quiet?: boolean;
}

interface Summary {
  file: string;
  rows: number;
  batches: number;
  acceptedCount: number;
  filteredCount: number;
  /** Rows refused while reading the file (bad time, value, quality), plus samples refused by ingestion. */
  rejectedCount: number;
  rejectedRows: number;
  duplicateBatches: number;
  failedBatches: number;
  /** Times the writer lost ingestion and waited for it. */
  reconnects: number;
  elapsedS: number;
  samplesPerSecond: number;
  rejections: { batch?: string; line?: number; index?: number; tagId?: string; reason: string; detail: string }[];
}

/**
 * `reflux write --csv FILE`: streams a CSV of samples through WriteMeasurements with a
 * store-and-forward writer (@reflux/ingestion-client): when ingestion goes away mid-import it
 * prints "waiting for ingestion", reconnects with capped backoff, sends the unacknowledged batches
 * again and finishes the import. Batch ids are a hash of each batch's lines, so re-sent batches and
 * a second import of the same file write nothing twice. Exit code 3 when rows or samples were
 * rejected, 1 when batches failed.
 */
export function registerWriteCommand(program: Command): void {
  program
    .command('write')
    .description('write samples from a CSV file (columns tag,time,value[,quality][,unit]) over gRPC; survives restarts of ingestion')
    .requiredOption('--csv <file>', 'CSV file with a header row')
    .option('--batch-size <n>', 'samples per batch', '5000')
    .option('--in-flight <n>', 'batches sent before waiting for acknowledgements', '4')
    .option('--timezone <zone>', 'IANA time zone of times written without an offset (e.g. Europe/Berlin); without it such rows are rejected')
    .option('--address <host:port>', 'ingestion gRPC address', process.env['REFLUX_INGESTION_ADDRESS'] ?? '127.0.0.1:50051')
    .option('--token <jwt>', 'bearer token (default: REFLUX_TOKEN, or the embedded default development secret)')
    .option('--json', 'print the summary as JSON')
    .option('--quiet', 'no progress output')
    .action((options: WriteOptions) => writeCsv(options));
}

async function writeCsv(options: WriteOptions): Promise<void> {
  const out = createOutput(options.json === true, options.quiet === true);
  const batchSize = positiveInt(options.batchSize, '--batch-size');
  const maxInFlight = positiveInt(options.inFlight, '--in-flight');
  if (options.timezone !== undefined && !isValidTimeZone(options.timezone)) throw new Error(`--timezone: "${options.timezone}" is not an IANA time zone (e.g. Europe/Berlin, UTC)`);
  const totalBytes = statSync(options.csv).size;
  resolveToken(options); // fail now, not at the first batch, without a token
  const started = Date.now();
  const summary: Summary = {
    file: options.csv,
    rows: 0,
    batches: 0,
    acceptedCount: 0,
    filteredCount: 0,
    rejectedCount: 0,
    rejectedRows: 0,
    duplicateBatches: 0,
    failedBatches: 0,
    reconnects: 0,
    elapsedS: 0,
    samplesPerSecond: 0,
    rejections: [],
  };
  const reject = (r: Summary['rejections'][number]) => {
    if (summary.rejections.length < 100) summary.rejections.push(r);
  };
  let waiting: string | undefined;
  const onState = (state: WriterState) => {
    if (state.kind === 'waiting') {
      summary.reconnects++;
      waiting = `waiting for ingestion (${state.reason}); retry ${state.attempt} in ${(state.retryInMs / 1000).toFixed(1)} s, ${state.unacknowledged} batches kept`;
      if (!options.quiet) process.stderr.write(`\n${waiting}\n`);
    } else if (state.kind === 'streaming' && waiting) {
      waiting = undefined;
      if (!options.quiet) process.stderr.write('\ningestion is back; re-sending the unacknowledged batches\n');
    }
  };
  const transport = cliTransport(options);
  const writer = new BufferedIngestionWriter({ address: options.address, client: ingestionStreamClient(options.address, transport.credentials, transport.options), token: () => resolveToken(options), maxInFlight, onState });

  let bytesRead = 0;
  const report = () =>
    out.progress(
      `${basename(options.csv)}: ${((100 * bytesRead) / Math.max(1, totalBytes)).toFixed(0)}%  ${summary.rows} rows  ${summary.acceptedCount} accepted  ${summary.rejectedCount} rejected${waiting ? '  (waiting for ingestion)' : ''}`,
    );
  const timer = setInterval(report, 1000);
  const acks: Promise<void>[] = [];
  let fatal: unknown;
  const onAck = (ack: v1.BatchAck) => {
    if (ack.error) {
      summary.failedBatches++;
      reject({ batch: ack.clientBatchId, reason: ack.error.code, detail: ack.error.message });
      return;
    }
    summary.acceptedCount += ack.acceptedCount;
    summary.filteredCount += ack.filteredCount;
    summary.rejectedCount += ack.rejected.length;
    if (ack.duplicate) summary.duplicateBatches++;
    for (const r of ack.rejected) reject({ batch: ack.clientBatchId, index: r.index, tagId: r.tagId, reason: r.reason, detail: r.detail });
  };
  const send = async (samples: v1.Sample[], lines: string[]) => {
    const clientBatchId = `csv-${createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 32)}`;
    summary.batches++;
    await writer.waitForCapacity();
    acks.push(
      writer.write({ clientBatchId, samples }).then(onAck, (error: unknown) => {
        fatal ??= error;
      }),
    );
  };

  try {
    const lines = createInterface({ input: createReadStream(options.csv), crlfDelay: Infinity });
    let columns: ReturnType<typeof parseHeader> | undefined;
    let lineNumber = 0;
    let batch: v1.Sample[] = [];
    let batchLines: string[] = [];
    for await (const line of lines) {
      lineNumber++;
      bytesRead += Buffer.byteLength(line) + 1;
      if (line.trim() === '') continue;
      if (!columns) {
        columns = parseHeader(line);
        continue;
      }
      summary.rows++;
      try {
        batch.push(parseRow(line, lineNumber, columns, { timeZone: options.timezone }));
        batchLines.push(line);
      } catch (error) {
        if (!(error instanceof CsvError)) throw error;
        summary.rejectedRows++;
        summary.rejectedCount++;
        reject({ line: lineNumber, reason: 'INVALID_ROW', detail: error.message });
        continue;
      }
      if (batch.length >= batchSize) {
        await send(batch, batchLines);
        batch = [];
        batchLines = [];
      }
    }
    if (batch.length > 0) await send(batch, batchLines);
    await Promise.all(acks);
    if (fatal) throw fatal;
  } finally {
    clearInterval(timer);
    writer.close();
  }
  bytesRead = totalBytes;
  report();
  if (!options.json && !options.quiet) process.stderr.write('\n');
  summary.elapsedS = (Date.now() - started) / 1000;
  summary.samplesPerSecond = Math.round(summary.rows / Math.max(summary.elapsedS, 1e-3));
  out.result(summary, () =>
    [
      `${summary.rows} rows in ${summary.batches} batches, ${summary.elapsedS.toFixed(1)} s (${summary.samplesPerSecond} samples/s)${summary.reconnects > 0 ? `, waited for ingestion ${summary.reconnects} times` : ''}`,
      `accepted ${summary.acceptedCount} (of which ${summary.filteredCount} filtered by deadband), rejected ${summary.rejectedCount} (${summary.rejectedRows} rows of the file), already written before: ${summary.duplicateBatches} batches${summary.failedBatches > 0 ? `, failed: ${summary.failedBatches} batches` : ''}`,
      ...summary.rejections
        .slice(0, 20)
        .map((r) => (r.line !== undefined ? `  rejected ${r.detail}` : `  rejected ${r.tagId ?? ''} (batch ${r.batch}${r.index !== undefined ? ` #${r.index}` : ''}): ${r.reason} ${r.detail}`)),
    ].join('\n'),
  );
  if (summary.failedBatches > 0) process.exitCode = 1;
  else if (summary.rejectedCount > 0) process.exitCode = 3;
}

function positiveInt(text: string, name: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name}: expected a positive integer, got "${text}"`);
  return n;
}
