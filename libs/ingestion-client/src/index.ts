export { BufferedIngestionWriter, IngestionWriteFailedError, type BufferedIngestionWriterOptions, type WriterState } from './buffered-ingestion-writer';
export { ingestionStreamClient, isTransient, type IngestionStreamClient, type WriteStream } from './ingestion-stream.client';
export { PI_SYSTEM_STATE_NAMES, piSystemStateCode } from './pi-system-states';
export { reconnectDelayMs } from './reconnect-backoff';
