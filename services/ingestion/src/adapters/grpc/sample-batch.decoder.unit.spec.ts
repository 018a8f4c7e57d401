import type { ServiceDefinition } from '@grpc/proto-loader';
import { loadProtoPackage } from '@reflux/proto';
import type { SampleBatch } from '../../domain/sample';
import { INGESTION_PROTO, INGESTION_SERVICE } from './ingestion.grpc-service';
import { toMs, type TimestampMsg } from './ingestion.grpc-mappers';
import { decodeSampleBatchRequest, StringInterner, WireFormatError } from './sample-batch.decoder';

/** The generic path: protobufjs (proto-loader options of the platform) and the field mapping. */
const generic = (loadProtoPackage(INGESTION_PROTO)[INGESTION_SERVICE] as ServiceDefinition).WriteMeasurements;

interface PbSample {
  tagId?: string;
  time?: TimestampMsg | null;
  value?: number;
  quality?: number;
  unit?: string | null;
}
interface PbRequest {
  batch?: { clientBatchId?: string; samples?: PbSample[] } | null;
}

function genericDecode(buf: Buffer): { batch: SampleBatch } {
  const r = generic.requestDeserialize(buf) as PbRequest;
  return {
    batch: {
      clientBatchId: r.batch?.clientBatchId ?? '',
      samples: (r.batch?.samples ?? []).map((s) => {
        const sample = { tagId: s.tagId ?? '', timeMs: toMs(s.time), value: s.value ?? 0, quality: s.quality ?? 0 };
        return s.unit === undefined || s.unit === null ? sample : { ...sample, unit: s.unit };
      }),
    },
  };
}

const encode = (request: PbRequest): Buffer => generic.requestSerialize(request);

/** Deterministic pseudo-random numbers (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const TAGS = ['FI-1001.PV', 'TI-2001', '', 'température-réacteur', 'x'.repeat(33), '测量点-7', 'A\tB\nC'];
const UNITS = [undefined, '', 'kg/s', 'degC', 'm³/h'];

function randomSample(rnd: () => number): PbSample {
  const s: PbSample = {};
  if (rnd() < 0.95) s.tagId = TAGS[Math.floor(rnd() * TAGS.length)];
  if (rnd() < 0.9) {
    const seconds = Math.floor((rnd() - 0.2) * 4e9);
    s.time = { seconds: rnd() < 0.5 ? String(seconds) : seconds, nanos: Math.floor((rnd() - 0.05) * 1e9) };
  }
  if (rnd() < 0.9) s.value = rnd() < 0.1 ? [Number.NaN, Infinity, -0, 5e-324, -1.7976931348623157e308][Math.floor(rnd() * 5)] : (rnd() - 0.5) * 1e6;
  if (rnd() < 0.7) s.quality = [0, 0x40000000, 0x80000000, 0xffffffff, 0x00960000][Math.floor(rnd() * 5)];
  const unit = UNITS[Math.floor(rnd() * UNITS.length)];
  if (unit !== undefined) s.unit = unit;
  return s;
}

/** A length-delimited field: key, varint length, bytes. */
function field(no: number, bytes: Buffer): Buffer {
  const head = [(no << 3) | 2];
  for (let n = bytes.length; ; n >>>= 7) {
    if (n < 0x80) {
      head.push(n);
      break;
    }
    head.push((n & 0x7f) | 0x80);
  }
  return Buffer.concat([Buffer.from(head), bytes]);
}

describe('decodeSampleBatchRequest', () => {
  it('decodes 300 generated requests exactly as the generic protobufjs path and mapping do', () => {
    const rnd = random(42);
    for (let k = 0; k < 300; k++) {
      const request: PbRequest =
        rnd() < 0.03 ? {} : { batch: { clientBatchId: rnd() < 0.9 ? `gateway-${k}` : '', samples: Array.from({ length: Math.floor(rnd() * 40) }, () => randomSample(rnd)) } };
      const wire = encode(request);
      expect(decodeSampleBatchRequest(wire)).toEqual(genericDecode(wire));
    }
  });

  it('reads a missing timestamp as NaN and negative seconds and nanos as protobuf int64/int32', () => {
    const wire = encode({ batch: { clientBatchId: 'b', samples: [{ tagId: 'T' }, { tagId: 'T', time: { seconds: '-1', nanos: 999_000_000 } }] } });
    const { batch } = decodeSampleBatchRequest(wire);
    expect(batch.samples[0].timeMs).toBeNaN();
    expect(batch.samples[1].timeMs).toBe(-1000 + 999);
    expect(batch.samples[0]).toEqual({ tagId: 'T', timeMs: Number.NaN, value: 0, quality: 0 });
  });

  it('skips fields it does not know, of every wire type, at every level', () => {
    const known = encode({ batch: { clientBatchId: 'b', samples: [{ tagId: 'T', time: { seconds: '100', nanos: 5_000_000 }, value: 2.5, quality: 7 }] } });
    // Unknown fields: 15 varint, 16 fixed64, 17 length-delimited, 18 fixed32.
    const unknown = Buffer.from([0x78, 0x96, 0x01, 0x81, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 0x8a, 0x01, 2, 0xaa, 0xbb, 0x95, 0x01, 1, 2, 3, 4]);
    const time = Buffer.concat([unknown, Buffer.from([0x08, 100]), unknown, Buffer.from([0x10, 0xc0, 0x96, 0xb1, 0x02])]); // seconds 100, nanos 5,000,000
    const sample = Buffer.concat([
      unknown,
      Buffer.from([0x0a, 1, 0x54]), // tag_id "T"
      field(2, time),
      Buffer.from([0x19]),
      Buffer.from(new Float64Array([2.5]).buffer), // value (little-endian on this platform, as protobuf)
      unknown,
      Buffer.from([0x20, 7]), // quality
    ]);
    const batch = Buffer.concat([unknown, Buffer.from([0x0a, 1, 0x62]), field(2, sample)]);
    const request = Buffer.concat([unknown, field(1, batch), unknown]);
    expect(genericDecode(request)).toEqual(genericDecode(known));
    expect(decodeSampleBatchRequest(request)).toEqual(genericDecode(known));
  });

  it('refuses truncated and malformed messages with a WireFormatError', () => {
    const wire = encode({ batch: { clientBatchId: 'batch-1', samples: [{ tagId: 'FI-1', time: { seconds: '1', nanos: 0 }, value: 1 }] } });
    for (let cut = 1; cut < wire.length; cut++) expect(() => decodeSampleBatchRequest(wire.subarray(0, cut))).toThrow(WireFormatError);
    expect(() => decodeSampleBatchRequest(Buffer.from([0x0b]))).toThrow(/wire type 3/);
    expect(() => decodeSampleBatchRequest(Buffer.from([0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]))).toThrow(/longer than 10 bytes/);
  });
});

describe('StringInterner', () => {
  it('gives back the string of the bytes, through hash collisions and past its bound', () => {
    const interner = new StringInterner();
    // More distinct strings than the table holds (it starts afresh), each asked for twice; with
    // 30-bit hashes this many strings also share some hashes.
    const n = StringInterner.MAX_ENTRIES + 50_000;
    const ids = Array.from({ length: n }, (_, i) => (i % 7 === 0 ? `température-${i}` : `FI-${i}.PV`));
    for (const pass of [1, 2]) {
      for (let i = 0; i < n; i++) {
        const bytes = Buffer.from(ids[i], 'utf8');
        const got = interner.get(bytes, 0, bytes.length);
        if (got !== ids[i]) throw new Error(`pass ${pass}: ${JSON.stringify(got)} for ${JSON.stringify(ids[i])}`);
      }
    }
    const long = 'x'.repeat(StringInterner.MAX_BYTES + 1);
    expect(interner.get(Buffer.from(`[${long}]`), 1, long.length + 1)).toBe(long);
    expect(interner.get(Buffer.from([0x41, 0xff, 0x42]), 0, 3)).toBe(Buffer.from([0x41, 0xff, 0x42]).toString('utf8'));
  });
});
