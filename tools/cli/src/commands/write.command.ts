import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import type { refluxIngestionV1 as v1 } from '@reflux/proto';
import { callCredentials, resolveToken } from '../grpc/connection';
import { ingestionClient } from '../grpc/ingestion-client';
import { parseHeader, parseRow } from '../io/csv-samples';
import { createOutput } from '../output';

interface WriteOptions {
  csv: string;
  batchSize: string;
  inFlight: string;
  address: string;
  token?: string;
  json?: boolean;
  quiet?: boolean;
}

interface Summary {
  file: string;
  rows: number;
  batches: number;
  acceptedCount: number;
  filteredCount: number;
  rejectedCount: number;
  duplicateBatches: number;
  elapsedS: number;
  samplesPerSecond: number;
  rejections: { batch: string; index: number; tagId: string; reason: string; detail: string }[];
}

/**
 * `reflux write --csv FILE`: streams a CSV of samples through WriteMeasurements. Batch ids are a
 * hash of each batch's content, so importing the same file again writes nothing twice.
 */
export function registerWriteCommand(program: Command): void {
  program
    .command('write')
    .description('write samples from a CSV file (columns tag,time,value[,quality][,unit]) over gRPC')
    .requiredOption('--csv <file>', 'CSV file with a header row')
    .option('--batch-size <n>', 'samples per batch', '5000')
    .option('--in-flight <n>', 'batches sent before waiting for acknowledgements', '4')
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
  const totalBytes = statSync(options.csv).size;
  const client = ingestionClient(options.address);
  const stream = client.writeMeasurements(callCredentials(resolveToken(options)));
  const started = Date.now();
  const summary: Summary = { file: options.csv, rows: 0, batches: 0, acceptedCount: 0, filteredCount: 0, rejectedCount: 0, duplicateBatches: 0, elapsedS: 0, samplesPerSecond: 0, rejections: [] };

  const pending = new Map<string, () => void>();
  let streamError: Error | undefined;
  stream.on('data', (response: v1.WriteMeasurementsResponse) => {
    const ack = response.ack;
    if (!ack) return;
    if (ack.error) streamError = new Error(`batch ${ack.clientBatchId} failed: ${ack.error.code}: ${ack.error.message}`);
    summary.acceptedCount += ack.acceptedCount;
    summary.filteredCount += ack.filteredCount;
    summary.rejectedCount += ack.rejected.length;
    if (ack.duplicate) summary.duplicateBatches++;
    for (const r of ack.rejected) {
      if (summary.rejections.length < 100) summary.rejections.push({ batch: ack.clientBatchId, index: r.index, tagId: r.tagId, reason: r.reason, detail: r.detail });
    }
    pending.get(ack.clientBatchId)?.();
    pending.delete(ack.clientBatchId);
  });
  const ended = new Promise<void>((resolve, reject) => {
    stream.on('error', reject);
    stream.on('end', resolve);
  });
  ended.catch(() => undefined);

  let bytesRead = 0;
  const report = () =>
    out.progress(`${basename(options.csv)}: ${((100 * bytesRead) / Math.max(1, totalBytes)).toFixed(0)}%  ${summary.rows} rows  ${summary.acceptedCount} accepted  ${summary.rejectedCount} rejected`);
  const timer = setInterval(report, 1000);
  const inFlight: Promise<void>[] = [];
  const send = async (samples: v1.Sample[], lines: string[]) => {
    const id = `csv-${createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 32)}`;
    const acked = new Promise<void>((resolve) => pending.set(id, resolve));
    summary.batches++;
    if (!stream.write({ batch: { clientBatchId: id, samples } })) await new Promise((r) => stream.once('drain', r));
    inFlight.push(acked);
    if (inFlight.length >= maxInFlight) await Promise.race([inFlight.shift()!, ended]);
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
      batch.push(parseRow(line, lineNumber, columns));
      batchLines.push(line);
      summary.rows++;
      if (batch.length >= batchSize) {
        await send(batch, batchLines);
        batch = [];
        batchLines = [];
      }
      if (streamError) throw streamError;
    }
    if (batch.length > 0) await send(batch, batchLines);
    await Promise.race([Promise.all(inFlight), ended]);
    stream.end();
    await ended;
    if (streamError) throw streamError;
  } finally {
    clearInterval(timer);
    client.close();
  }
  bytesRead = totalBytes;
  report();
  if (!options.json && !options.quiet) process.stderr.write('\n');
  summary.elapsedS = (Date.now() - started) / 1000;
  summary.samplesPerSecond = Math.round(summary.rows / Math.max(summary.elapsedS, 1e-3));
  out.result(summary, () =>
    [
      `${summary.rows} rows in ${summary.batches} batches, ${summary.elapsedS.toFixed(1)} s (${summary.samplesPerSecond} samples/s)`,
      `accepted ${summary.acceptedCount} (of which ${summary.filteredCount} filtered by deadband), rejected ${summary.rejectedCount}, already written before: ${summary.duplicateBatches} batches`,
      ...summary.rejections.slice(0, 20).map((r) => `  rejected ${r.tagId} (batch ${r.batch} #${r.index}): ${r.reason} ${r.detail}`),
    ].join('\n'),
  );
  if (summary.rejectedCount > 0) process.exitCode = 3;
}

function positiveInt(text: string, name: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name}: expected a positive integer, got "${text}"`);
  return n;
}
