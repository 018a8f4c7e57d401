import { createHash } from 'node:crypto';
import type { IncomingSample } from './sample';

/**
 * What makes a batch the same batch: the writer (the authenticated caller's subject, so two
 * connectors that both number their batches `batch-0001` do not collide), its client batch id, and
 * a hash of its content. The same writer, id and hash is a retry (a duplicate); the same writer and
 * id with another hash is a conflict.
 */
export interface BatchIdentity {
  readonly writer: string;
  readonly clientBatchId: string;
  /** SHA-256 of the samples as sent (tag, time, value, quality, unit, in batch order). */
  readonly payloadHash: Buffer;
}

/** SHA-256 over the samples as sent; NaN values hash alike whatever their bit pattern. */
export function batchPayloadHash(samples: readonly IncomingSample[]): Buffer {
  const numbers = new Float64Array(samples.length * 3);
  const hash = createHash('sha256');
  let text = '';
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i];
    numbers[3 * i] = s.timeMs;
    numbers[3 * i + 1] = Number.isNaN(s.value) ? Number.NaN : s.value;
    numbers[3 * i + 2] = s.quality ?? 0;
    text += `${s.tagId}\u0000${s.unit ?? ''}\u0001`;
    if (text.length > 65_536) {
      hash.update(text);
      text = '';
    }
  }
  hash.update(text);
  hash.update(new Uint8Array(numbers.buffer));
  return hash.digest();
}
