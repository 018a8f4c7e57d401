import * as grpc from '@grpc/grpc-js';
import { DomainError } from '@reflux/decider';
import { PLAINTEXT_TRANSPORT, type GrpcClientTransport } from '@reflux/grpc';
import { loadProtoPackage, type refluxIngestionV1 as v1 } from '@reflux/proto';
import type { RawSample, SampleHistory } from '../../application/sample-history.port';

type Unary<Req, Res> = (request: Req, metadata: grpc.Metadata, options: grpc.CallOptions, callback: (error: grpc.ServiceError | null, response: Res) => void) => grpc.ClientUnaryCall;
interface IngestionRawClient extends grpc.Client {
  readRaw: Unary<v1.ReadRawRequest, v1.ReadRawResponse>;
  listTags: Unary<v1.ListTagsRequest, v1.ListTagsResponse>;
}

/** Ingestion refuses the token safety calls it with. */
export class IngestionAccessError extends Error {
  override readonly name = 'IngestionAccessError';
}
type ClientConstructor = new (address: string, credentials: grpc.ChannelCredentials, options?: grpc.ClientOptions) => IngestionRawClient;

/** ReadRaw takes at most 1,000 tags per call. */
const TAGS_PER_CALL = 1000;
const PAGE_SIZE = 100_000;

const toTimestamp = (ms: number) => ({ seconds: String(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1e6 });

/** Samples from ingestion's ReadRaw (paged, tags in chunks of 1,000 read in parallel). */
export class IngestionSampleHistory implements SampleHistory {
  private readonly client: IngestionRawClient;

  constructor(private readonly options: { address: string; token: () => string; timeoutMs: number; transport?: GrpcClientTransport }) {
    const loaded = grpc.loadPackageDefinition(loadProtoPackage('reflux/ingestion/v1/ingestion.proto')) as unknown as { reflux: { ingestion: { v1: { IngestionService: ClientConstructor } } } };
    const transport = options.transport ?? PLAINTEXT_TRANSPORT;
    this.client = new loaded.reflux.ingestion.v1.IngestionService(options.address, transport.credentials, { ...transport.options, 'grpc.max_receive_message_length': 256 * 1024 * 1024 });
  }

  async readRaw(tagIds: readonly string[], fromMs: number, toMs: number, signal?: AbortSignal): Promise<RawSample[]> {
    const chunks: string[][] = [];
    for (let i = 0; i < tagIds.length; i += TAGS_PER_CALL) chunks.push(tagIds.slice(i, i + TAGS_PER_CALL));
    const parts = await Promise.all(chunks.map((chunk) => this.readChunk(chunk, fromMs, toMs, signal)));
    return parts.flat();
  }

  close(): void {
    this.client.close();
  }

  /**
   * Start-up check that ingestion accepts safety's token (one ListTags of one tag): a refusal
   * (UNAUTHENTICATED, PERMISSION_DENIED) throws IngestionAccessError naming the settings to align;
   * an unreachable ingestion is reported, not fatal.
   */
  verifyAccess(timeoutMs = 5_000): Promise<{ reachable: true } | { reachable: false; reason: string }> {
    const metadata = new grpc.Metadata();
    const token = this.options.token();
    if (token) metadata.set('authorization', `Bearer ${token}`);
    return new Promise((resolve, reject) => {
      this.client.listTags({ plantId: '', pageSize: 1, pageToken: '' }, metadata, { deadline: Date.now() + timeoutMs }, (error) => {
        if (!error) return resolve({ reachable: true });
        if (error.code === grpc.status.UNAUTHENTICATED || error.code === grpc.status.PERMISSION_DENIED) {
          return reject(
            new IngestionAccessError(
              `ingestion at ${this.options.address} refuses safety's token (${grpc.status[error.code]}: ${error.details}); safety mints it from AUTH_JWT_SECRET, AUTH_JWT_ISSUER and AUTH_JWT_AUDIENCE: give both services the same values, or set INGESTION_TOKEN to a token with the viewer role`,
            ),
          );
        }
        resolve({ reachable: false, reason: `${grpc.status[error.code]}: ${error.details}` });
      });
    });
  }

  private async readChunk(tagIds: string[], fromMs: number, toMs: number, signal?: AbortSignal): Promise<RawSample[]> {
    const out: RawSample[] = [];
    let pageToken = '';
    do {
      const response = await this.call({ tagIds, range: { startTime: toTimestamp(fromMs), endTime: toTimestamp(toMs) }, pageSize: PAGE_SIZE, pageToken }, signal);
      for (const s of response.samples) out.push({ tagId: s.tagId, timeMs: Number(s.time!.seconds) * 1000 + Math.round(s.time!.nanos / 1e6), value: s.value, quality: s.quality });
      pageToken = response.nextPageToken;
    } while (pageToken !== '');
    return out;
  }

  private call(request: v1.ReadRawRequest, signal?: AbortSignal): Promise<v1.ReadRawResponse> {
    const metadata = new grpc.Metadata();
    const token = this.options.token();
    if (token) metadata.set('authorization', `Bearer ${token}`);
    return new Promise((resolve, reject) => {
      const pending = this.client.readRaw(request, metadata, { deadline: Date.now() + this.options.timeoutMs }, (error, response) => {
        signal?.removeEventListener('abort', cancel);
        if (!error) return resolve(response);
        const transient = [grpc.status.UNAVAILABLE, grpc.status.DEADLINE_EXCEEDED, grpc.status.RESOURCE_EXHAUSTED, grpc.status.ABORTED].includes(error.code);
        reject(new DomainError('SAFETY.HISTORY_UNAVAILABLE', `ingestion ReadRaw failed: ${error.details || error.message}`, { retriable: transient, cause: error }));
      });
      const cancel = () => pending.cancel();
      signal?.addEventListener('abort', cancel, { once: true });
    });
  }
}
