import { Option, type Command } from 'commander';
import { ConfigError } from '@reflux/config';
import { grpcClientTransport, type GrpcClientTransport } from '@reflux/grpc';

/** The TLS options of a verb that calls gRPC (commander's camel-cased names of the flags below). */
export interface TlsOptions {
  readonly tls?: boolean;
  readonly tlsCa?: string;
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  readonly tlsServerName?: string;
}

/**
 * Flags and their environment variables, named like the services' client settings
 * (`INGESTION_TLS`, `INGESTION_TLS_CA_FILE`, … in libs/grpc's grpcClientTransport) with the prefix REFLUX_TLS.
 */
const FLAGS = [
  { flag: '--tls', env: 'REFLUX_TLS', suffix: '', description: 'call over TLS, verifying the server with the system CAs (implied by --tls-ca)' },
  { flag: '--tls-ca <file>', env: 'REFLUX_TLS_CA_FILE', suffix: '_CA_FILE', description: 'PEM CA that signed the server certificate (turns TLS on)' },
  { flag: '--tls-cert <file>', env: 'REFLUX_TLS_CERT_FILE', suffix: '_CERT_FILE', description: 'PEM client certificate, for servers that require mutual TLS (with --tls-key)' },
  { flag: '--tls-key <file>', env: 'REFLUX_TLS_KEY_FILE', suffix: '_KEY_FILE', description: 'PEM private key of --tls-cert' },
  { flag: '--tls-server-name <name>', env: 'REFLUX_TLS_SERVER_NAME', suffix: '_SERVER_NAME', description: 'name the server certificate must carry when the address is another (a port-forward, an IP)' },
] as const;

/**
 * Adds --tls, --tls-ca, --tls-cert, --tls-key and --tls-server-name to every verb that calls gRPC:
 * the verbs with an `--address` option, at any depth. Their actions build their clients with `cliTransport`.
 */
export function addTlsOptionsToGrpcVerbs(command: Command): void {
  if (command.options.some((o) => o.long === '--address') && !command.options.some((o) => o.long === '--tls')) {
    for (const { flag, env, description } of FLAGS) command.addOption(new Option(flag, `${description} (env: ${env})`));
  }
  for (const sub of command.commands) addTlsOptionsToGrpcVerbs(sub);
}

/**
 * The transport of a verb's gRPC client: plaintext unless --tls or --tls-ca (or REFLUX_TLS,
 * REFLUX_TLS_CA_FILE) is given. Files are read now, so a missing or non-PEM file stops the verb
 * before any call, naming the flag and its variable.
 */
export function cliTransport(options: TlsOptions, env: NodeJS.ProcessEnv = process.env): GrpcClientTransport {
  const text = (value: string | undefined) => (value === undefined || value.trim() === '' ? undefined : value.trim());
  const flagOn = env['REFLUX_TLS'] !== undefined && /^(true|1|yes|on)$/i.test(env['REFLUX_TLS'].trim());
  if (env['REFLUX_TLS'] !== undefined && !flagOn && !/^(false|0|no|off|)$/i.test(env['REFLUX_TLS'].trim())) throw new Error(`TLS options: REFLUX_TLS: expected true or false, got "${env['REFLUX_TLS']}"`);
  const settings = {
    enabled: options.tls ?? flagOn,
    caFile: options.tlsCa ?? text(env['REFLUX_TLS_CA_FILE']),
    certFile: options.tlsCert ?? text(env['REFLUX_TLS_CERT_FILE']),
    keyFile: options.tlsKey ?? text(env['REFLUX_TLS_KEY_FILE']),
    serverName: options.tlsServerName ?? text(env['REFLUX_TLS_SERVER_NAME']),
  };
  try {
    return grpcClientTransport(settings, 'REFLUX_TLS');
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const named = (text: string) => FLAGS.reduce((t, f) => t.replace(new RegExp(`\\bREFLUX_TLS${f.suffix}\\b(?!_)`, 'g'), `${f.flag.split(' ')[0]} (${f.env})`), text);
    throw new Error(`TLS options: ${error.issues.map((i) => `${named(i.variable)}: ${named(i.message)}`).join('; ')}`);
  }
}
