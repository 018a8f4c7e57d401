import type { Command } from 'commander';
import { buildProgram } from '../main';
import { cliTransport } from './tls';

/** Every command of the program, with its full name (`history latest`). */
function verbs(command: Command, prefix = ''): { name: string; command: Command }[] {
  return command.commands.flatMap((c) => {
    const name = `${prefix}${c.name()}`;
    return [{ name, command: c }, ...verbs(c, `${name} `)];
  });
}

describe('CLI TLS options', () => {
  it('are offered by every verb that calls gRPC (has --address), and only by those', () => {
    const all = verbs(buildProgram());
    const grpc = all.filter((v) => v.command.options.some((o) => o.long === '--address'));
    expect(grpc.map((v) => v.name)).toEqual(expect.arrayContaining(['tags', 'write', 'history latest', 'alarms', 'alarms journal', 'balance show', 'schedule show', 'supply allocation', 'safety replay']));
    for (const v of grpc) {
      expect([v.name, v.command.options.map((o) => o.long).filter((l) => l?.startsWith('--tls'))]).toEqual([v.name, ['--tls', '--tls-ca', '--tls-cert', '--tls-key', '--tls-server-name']]);
    }
    for (const v of all.filter((x) => !grpc.includes(x))) expect([v.name, v.command.options.some((o) => o.long === '--tls')]).toEqual([v.name, false]);
  });

  it('is plaintext without flags or variables, TLS with --tls or REFLUX_TLS=true, and refuses another REFLUX_TLS value', () => {
    expect(cliTransport({}, {}).tls).toBe(false);
    expect(cliTransport({}, { REFLUX_TLS: 'false' }).tls).toBe(false);
    expect(cliTransport({ tls: true }, {}).tls).toBe(true);
    expect(cliTransport({}, { REFLUX_TLS: 'true', REFLUX_TLS_SERVER_NAME: 'ingestion.reflux.svc' })).toMatchObject({ tls: true, options: { 'grpc.ssl_target_name_override': 'ingestion.reflux.svc' } });
    expect(() => cliTransport({}, { REFLUX_TLS: 'maybe' })).toThrow('REFLUX_TLS: expected true or false, got "maybe"');
  });

  it('names the flag and its variable of a setting that needs TLS or its partner', () => {
    expect(() => cliTransport({ tlsServerName: 'ingestion' }, {})).toThrow('--tls-server-name (REFLUX_TLS_SERVER_NAME): set, but TLS is off');
    expect(() => cliTransport({ tls: true, tlsKey: '/x.key' }, {})).toThrow('--tls-cert (REFLUX_TLS_CERT_FILE): required together with --tls-key (REFLUX_TLS_KEY_FILE)');
  });
});
