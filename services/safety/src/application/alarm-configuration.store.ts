import { EVENT_STORE_ERROR_CODES, type EventStore } from '@reflux/event-store';
import type { AlarmConfiguration } from '../domain/alarm-config';
import { parseAlarmConfiguration } from '../domain/alarm-config.schema';
import { SafetyError, SafetyErrorCode } from '../domain/safety.errors';

export const configStreamId = (plantId: string): string => `safety-config-${plantId}`;

export interface AlarmConfigurationVersioned {
  readonly type: 'AlarmConfigurationVersioned';
  readonly data: { readonly plantId: string; readonly version: number; readonly document: unknown; readonly source: 'file' | 'grpc'; readonly origin: string; readonly by: string };
}

export interface VersionedConfiguration {
  readonly version: number;
  readonly config: AlarmConfiguration;
  readonly document: unknown;
}

/**
 * Versions of a plant's alarm configuration as events (`safety-config-<plant>`; version n is stream
 * version n − 1). A file is imported when it differs from the last file imported, so a change made
 * over gRPC survives a restart with the same file.
 */
export class AlarmConfigurationStore {
  constructor(private readonly store: EventStore) {}

  async current(plantId: string): Promise<VersionedConfiguration | undefined> {
    const [last] = await this.store.readStream(configStreamId(plantId), { direction: 'backwards', maxCount: 1 });
    if (!last) return undefined;
    const d = (last as unknown as AlarmConfigurationVersioned).data;
    return { version: d.version, document: d.document, config: parseAlarmConfiguration(d.document) };
  }

  /** Imports a configuration file's document unless it is the one imported last; returns the configuration in force. */
  async importFile(document: unknown, origin: string): Promise<VersionedConfiguration> {
    const config = parseAlarmConfiguration(document);
    const events = await this.store.readStream(configStreamId(config.plantId));
    const versions = events.map((e) => (e as unknown as AlarmConfigurationVersioned).data);
    const lastFile = [...versions].reverse().find((v) => v.source === 'file');
    if (lastFile && JSON.stringify(lastFile.document) === JSON.stringify(document)) {
      const last = versions[versions.length - 1];
      return { version: last.version, document: last.document, config: parseAlarmConfiguration(last.document) };
    }
    return this.append(config, document, versions.length, 'file', origin, 'system');
  }

  /** A new version from an editor who started from `expectedVersion`. */
  async put(plantId: string, document: unknown, expectedVersion: number, by: string): Promise<VersionedConfiguration> {
    const config = parseAlarmConfiguration(document);
    if (config.plantId !== plantId)
      throw new SafetyError(SafetyErrorCode.invalidConfiguration, `the document is for plant "${config.plantId}", not "${plantId}"`, {
        violations: [{ field: 'document_json.plantId', description: `must be "${plantId}"` }],
      });
    return this.append(config, document, expectedVersion, 'grpc', 'grpc', by);
  }

  private async append(config: AlarmConfiguration, document: unknown, expectedVersion: number, source: 'file' | 'grpc', origin: string, by: string): Promise<VersionedConfiguration> {
    const version = expectedVersion + 1;
    const event: AlarmConfigurationVersioned = { type: 'AlarmConfigurationVersioned', data: { plantId: config.plantId, version, document, source, origin, by } };
    try {
      await this.store.appendToStream(configStreamId(config.plantId), [{ type: event.type, data: event.data, metadata: { actor: by } }], { expectedVersion: expectedVersion - 1 });
    } catch (error) {
      if ((error as { code?: unknown }).code === EVENT_STORE_ERROR_CODES.WRONG_EXPECTED_VERSION)
        throw new SafetyError(SafetyErrorCode.configVersionConflict, `the alarm configuration of ${config.plantId} is no longer at version ${expectedVersion}; reload it and apply the change again`, {
          violations: [{ field: 'expected_version', description: 'is not the current version' }],
          cause: error,
        });
      throw error;
    }
    return { version, config, document };
  }
}
