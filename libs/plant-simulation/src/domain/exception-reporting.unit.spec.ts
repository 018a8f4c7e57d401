import type { Tag } from '@reflux/plant-model';
import { ExceptionReporter } from './exception-reporting';
import type { Sample } from './sample';

const tag = (exception?: Tag['exception']): Tag => ({
  id: 'TI-1',
  kind: 'temperature',
  streamId: 's',
  unit: 'degC',
  range: { min: 0, max: 100 },
  uncertainty: { standardDeviation: 0.1, basis: 'absolute' },
  samplingPeriodS: 1,
  exception,
});
const sample = (s: number, value: number, quality: Sample['quality'] = 'good'): Sample => ({
  tagId: 'TI-1',
  timestampMs: s * 1000,
  value,
  quality,
  statusCode: quality === 'good' ? 'Good' : 'Bad_SensorFailure',
});

describe('ExceptionReporter', () => {
  it('passes only moves beyond the deadband, quality changes and the max-interval heartbeat', () => {
    const reporter = new ExceptionReporter(() => tag({ deadband: 0.5, maxIntervalS: 10 }));
    const passed = reporter.filter([
      sample(0, 50), // first value
      sample(1, 50.3), // within deadband of 50
      sample(2, 50.6), // beyond
      sample(3, 50.2), // within deadband of 50.6
      sample(4, 50.2, 'bad'), // quality change
      sample(5, 50.2), // quality back
      sample(14, 50.3), // within deadband, 9 s later
      sample(15, 50.3), // heartbeat: 10 s since the last report
    ]);
    expect(passed.map((s) => s.timestampMs / 1000)).toEqual([0, 2, 4, 5, 15]);
  });

  it('passes every sample of a tag without exception settings', () => {
    const reporter = new ExceptionReporter(() => tag());
    expect(reporter.filter([sample(0, 1), sample(1, 1), sample(2, 1)])).toHaveLength(3);
  });
});
