import { createLogger } from './logger.factory';

function capture() {
  const lines: Record<string, unknown>[] = [];
  return { lines, destination: { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) } };
}

describe('createLogger', () => {
  it('writes one JSON object per line with service, label level and ISO time', () => {
    const { lines, destination } = capture();
    createLogger({ service: 'ingestion', level: 'debug', destination }).debug({ batch: 3 }, 'accepted');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'debug', service: 'ingestion', batch: 3, msg: 'accepted' });
    expect(String(lines[0].time)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('drops lines below the configured level', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ service: 's', level: 'warn', destination });
    logger.info('quiet');
    logger.warn('loud');
    expect(lines.map((l) => l.msg)).toEqual(['loud']);
  });

  it('redacts authorization headers, passwords, tokens and API keys', () => {
    const { lines, destination } = capture();
    createLogger({ service: 's', destination }).info(
      { request: { headers: { authorization: 'Bearer abc.def', 'x-api-key': 'k', accept: 'json' } }, metadata: { authorization: 'Bearer x' }, db: { password: 'pw', user: 'u' }, token: 't' },
      'call',
    );
    const line = JSON.stringify(lines[0]);
    expect(line).not.toMatch(/abc\.def|"pw"|Bearer x|"k"|"t"/);
    expect(lines[0]).toMatchObject({
      request: { headers: { authorization: '[redacted]', 'x-api-key': '[redacted]', accept: 'json' } },
      metadata: { authorization: '[redacted]' },
      db: { password: '[redacted]', user: 'u' },
      token: '[redacted]',
    });
  });

  it('masks passwords inside URLs in fields and in the message', () => {
    const { lines, destination } = capture();
    createLogger({ service: 's', destination }).info({ target: { url: 'postgres://reflux:hunter2@db:5432/reflux' } }, 'connecting to redis://:s3cret@cache:6379');
    expect(lines[0]).toMatchObject({ target: { url: 'postgres://reflux:***@db:5432/reflux' }, msg: 'connecting to redis://:***@cache:6379' });
  });

  it('serialises errors with message and stack', () => {
    const { lines, destination } = capture();
    createLogger({ service: 's', destination }).error({ err: new Error('boom') }, 'failed');
    expect(lines[0].err).toMatchObject({ type: 'Error', message: 'boom' });
    expect(String((lines[0].err as { stack: string }).stack)).toContain('logger.factory.unit.spec.ts');
  });
});
