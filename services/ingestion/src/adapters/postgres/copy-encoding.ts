import type { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/**
 * PostgreSQL's binary COPY format (COPY … FROM STDIN (FORMAT binary)), for the columns ingestion
 * writes. Binary rows cost the server far less than text rows — no timestamp or float parsing — and
 * cost this process less to produce: in this repo's measurements, about 1.6× the rows per second of
 * text COPY into the same indexed table, at a third of the encoding time.
 *
 * Layout (PostgreSQL docs, "COPY", Binary Format): an 11-byte signature, int32 flags, int32 header
 * extension length; per row an int16 field count, then per field an int32 byte length and the
 * value in the type's binary send format (big-endian); an int16 −1 trailer.
 */
const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
/** 2000-01-01T00:00:00Z, the epoch of PostgreSQL's timestamp send format, in Unix ms. */
const PG_EPOCH_MS = 946_684_800_000;
const TWO_32 = 4_294_967_296;

export class BinaryCopyWriter {
  private buf: Buffer;
  private at = 0;
  /** UTF-8 bytes of recent strings (tag ids repeat in every scan). */
  private static readonly utf8 = new Map<string, Buffer>();

  constructor(expectedBytes = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(Math.max(64, expectedBytes));
    this.reserve(SIGNATURE.length + 8);
    SIGNATURE.copy(this.buf, 0);
    this.at = SIGNATURE.length;
    this.buf.writeInt32BE(0, this.at);
    this.buf.writeInt32BE(0, this.at + 4);
    this.at += 8;
  }

  /** Starts a row of `fields` fields. */
  row(fields: number): this {
    this.reserve(2);
    this.buf.writeInt16BE(fields, this.at);
    this.at += 2;
    return this;
  }

  text(s: string): this {
    let bytes = BinaryCopyWriter.utf8.get(s);
    if (!bytes) {
      bytes = Buffer.from(s, 'utf8');
      if (BinaryCopyWriter.utf8.size >= 200_000) BinaryCopyWriter.utf8.clear();
      BinaryCopyWriter.utf8.set(s, bytes);
    }
    this.reserve(4 + bytes.length);
    this.buf.writeInt32BE(bytes.length, this.at);
    bytes.copy(this.buf, this.at + 4);
    this.at += 4 + bytes.length;
    return this;
  }

  /** timestamptz from Unix milliseconds (integral ms; sent as µs since 2000-01-01). */
  timestampMs(ms: number): this {
    return this.int64(Math.round((ms - PG_EPOCH_MS) * 1000));
  }

  /** int8 from a safe integer. */
  int64(n: number): this {
    this.reserve(12);
    const hi = Math.floor(n / TWO_32);
    this.buf.writeInt32BE(8, this.at);
    this.buf.writeInt32BE(hi, this.at + 4);
    this.buf.writeUInt32BE(n - hi * TWO_32, this.at + 8);
    this.at += 12;
    return this;
  }

  float64(x: number): this {
    this.reserve(12);
    this.buf.writeInt32BE(8, this.at);
    this.buf.writeDoubleBE(x, this.at + 4);
    this.at += 12;
    return this;
  }

  int32(n: number): this {
    this.reserve(8);
    this.buf.writeInt32BE(4, this.at);
    this.buf.writeInt32BE(n | 0, this.at + 4);
    this.at += 8;
    return this;
  }

  int16(n: number): this {
    this.reserve(6);
    this.buf.writeInt32BE(2, this.at);
    this.buf.writeInt16BE(n, this.at + 4);
    this.at += 6;
    return this;
  }

  /** The complete COPY payload (with the trailer); the writer is not to be used afterwards. */
  finish(): Buffer {
    this.reserve(2);
    this.buf.writeInt16BE(-1, this.at);
    this.at += 2;
    return this.buf.subarray(0, this.at);
  }

  private reserve(bytes: number): void {
    if (this.at + bytes <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + bytes));
    this.buf.copy(next, 0, 0, this.at);
    this.buf = next;
  }
}

/** Runs `COPY … FROM STDIN` with the whole payload; resolves once the server has taken it. */
export async function copyIn(client: ClientBase, statement: string, payload: Buffer | string): Promise<void> {
  const stream = client.query(copyFrom(statement));
  await new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
    stream.end(payload);
  });
}
