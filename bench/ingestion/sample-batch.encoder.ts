/**
 * A hand-written protobuf encoder for WriteMeasurementsRequest, so that the benchmark's client
 * spends little CPU per sample (client and service share this machine's two cores; a real gateway
 * runs elsewhere). The generic protobufjs path costs the client about as much CPU per sample as
 * the service. load-generator.ts checks the encoding against protobufjs before every run.
 */
export interface EncodableSample {
  readonly tagId: string;
  readonly timeMs: number;
  readonly value: number;
  readonly quality: number;
}

const ascii = new Map<string, Buffer>();
const bytesOf = (s: string): Buffer => {
  let b = ascii.get(s);
  if (!b) ascii.set(s, (b = Buffer.from(s, 'utf8')));
  return b;
};

const varintSize = (n: number): number => (n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : n < 2 ** 35 ? 5 : n < 2 ** 42 ? 6 : n < 2 ** 49 ? 7 : 8);

/** Encodes `{ batch: { client_batch_id, samples } }`; times must be ≥ 0 (Unix ms). */
export function encodeWriteRequest(clientBatchId: string, samples: readonly EncodableSample[]): Buffer {
  const id = bytesOf(clientBatchId);
  const sizes = new Array<number>(samples.length);
  const timeSizes = new Array<number>(samples.length);
  let batchSize = 1 + varintSize(id.length) + id.length;
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i];
    const tag = bytesOf(s.tagId);
    const seconds = Math.floor(s.timeMs / 1000);
    const nanos = (s.timeMs - seconds * 1000) * 1e6;
    const t = (seconds ? 1 + varintSize(seconds) : 0) + (nanos ? 1 + varintSize(nanos) : 0);
    timeSizes[i] = t;
    const size = 1 + varintSize(tag.length) + tag.length + 1 + varintSize(t) + t + 9 + (s.quality ? 1 + varintSize(s.quality) : 0);
    sizes[i] = size;
    batchSize += 1 + varintSize(size) + size;
  }
  const buf = Buffer.allocUnsafe(1 + varintSize(batchSize) + batchSize);
  let at = 0;
  const varint = (n: number) => {
    while (n >= 0x80) {
      buf[at++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    buf[at++] = n;
  };
  buf[at++] = 0x0a;
  varint(batchSize);
  buf[at++] = 0x0a;
  varint(id.length);
  at += id.copy(buf, at);
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i];
    const tag = bytesOf(s.tagId);
    buf[at++] = 0x12;
    varint(sizes[i]);
    buf[at++] = 0x0a;
    varint(tag.length);
    at += tag.copy(buf, at);
    buf[at++] = 0x12;
    varint(timeSizes[i]);
    const seconds = Math.floor(s.timeMs / 1000);
    const nanos = (s.timeMs - seconds * 1000) * 1e6;
    if (seconds) {
      buf[at++] = 0x08;
      varint(seconds);
    }
    if (nanos) {
      buf[at++] = 0x10;
      varint(nanos);
    }
    buf[at++] = 0x19;
    buf.writeDoubleLE(s.value, at);
    at += 8;
    if (s.quality) {
      buf[at++] = 0x20;
      varint(s.quality);
    }
  }
  if (at !== buf.length) throw new Error(`encoder size mismatch: wrote ${at} of ${buf.length} bytes`);
  return buf;
}
