import { otlpTracesUrl } from './tracing';

describe('otlpTracesUrl', () => {
  it('appends /v1/traces to OTEL_EXPORTER_OTLP_ENDPOINT', () => {
    expect(otlpTracesUrl({ otlpEndpoint: 'http://collector:4318/' })).toEqual({ url: 'http://collector:4318/v1/traces', defaulted: false });
  });
  it('takes OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as given', () => {
    expect(otlpTracesUrl({ otlpEndpoint: 'http://a:4318', otlpTracesEndpoint: 'http://b:4318/custom' })).toEqual({ url: 'http://b:4318/custom', defaulted: false });
  });
  it('falls back to the specification default on localhost when neither is set', () => {
    expect(otlpTracesUrl({})).toEqual({ url: 'http://localhost:4318/v1/traces', defaulted: true });
  });
});
