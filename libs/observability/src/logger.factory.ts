import { trace } from '@opentelemetry/api';
import pino, { type DestinationStream, type Logger, type LevelWithSilent } from 'pino';
import { REDACTED_LOG_PATHS, maskUrlPasswords, maskUrlPasswordsDeep } from './log-redaction';

export interface LoggerOptions {
  /** `service` field of every line. */
  readonly service: string;
  readonly level?: LevelWithSilent;
  /** Where lines go; stdout (fd 1, synchronous) by default. */
  readonly destination?: DestinationStream;
  /** Extra fields on every line (`instance`, `version`). */
  readonly base?: Readonly<Record<string, unknown>>;
  /** More pino redact paths in addition to the defaults. */
  readonly redact?: readonly string[];
}

/**
 * JSON lines on stdout, one per event: `{"level":"info","time":"…","service":"ingestion","msg":"…"}`.
 * Level is a label (what log shippers expect), time ISO-8601 UTC. Authorization headers, passwords,
 * tokens and API keys are replaced by `[redacted]`; passwords inside URLs (in fields and in the
 * message) become `***`. Lines written inside a span carry `trace_id` and `span_id`. The logger is created once in main.ts and injected everywhere else.
 */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: options.service, ...options.base },
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (object) => maskUrlPasswordsDeep(object) as Record<string, unknown>,
      },
      redact: { paths: [...REDACTED_LOG_PATHS, ...(options.redact ?? [])], censor: '[redacted]' },
      // Correlates log lines with traces: trace_id/span_id of the active span, when there is one.
      mixin: () => {
        const sc = trace.getActiveSpan()?.spanContext();
        return sc && trace.isSpanContextValid(sc) ? { trace_id: sc.traceId, span_id: sc.spanId } : {};
      },
      serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
      hooks: {
        logMethod(args, method) {
          const masked = args.map((a) => (typeof a === 'string' ? maskUrlPasswords(a) : a)) as typeof args;
          method.apply(this, masked);
        },
      },
    },
    options.destination ?? pino.destination({ fd: 1, sync: true }),
  );
}
