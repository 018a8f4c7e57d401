import type { Tag } from '@reflux/plant-model';
import type { Sample } from './sample';

/**
 * Exception reporting as a historian interface does it (PI "exception deviation"): a sample passes
 * when it moves more than the tag's deadband from the last reported value, when its quality
 * changes, or when `maxIntervalS` has elapsed since the last report. Tags without exception
 * settings report every sample. Samples must arrive in time order per tag.
 */
export class ExceptionReporter {
  private readonly last = new Map<string, Sample>();

  constructor(private readonly tags: (tagId: string) => Tag) {}

  /** True when the sample should be sent; remembers it as the last report if so. */
  accept(sample: Sample): boolean {
    const settings = this.tags(sample.tagId).exception;
    const previous = this.last.get(sample.tagId);
    const report =
      !settings ||
      !previous ||
      previous.quality !== sample.quality ||
      Math.abs(sample.value - previous.value) > settings.deadband ||
      (settings.maxIntervalS !== undefined && sample.timestampMs - previous.timestampMs >= settings.maxIntervalS * 1000);
    if (report) this.last.set(sample.tagId, sample);
    return report;
  }

  filter(samples: readonly Sample[]): Sample[] {
    return samples.filter((sample) => this.accept(sample));
  }
}
