import type { z } from 'zod';

type Ctx = z.RefinementCtx;

// Rules run even when single fields failed (zod `when`), so a field may hold a non-value marker;
// only trust a field through these helpers.
const isSet = (v: unknown): boolean => typeof v === 'string' || typeof v === 'number' || Array.isArray(v);
const isTrue = (v: unknown): boolean => v === true;

function issue(ctx: Ctx, variable: string, message: string): void {
  ctx.addIssue({ code: 'custom', path: [variable], message });
}

const PLACEHOLDER = /CHANGE[_-]?ME/i;
const SECRET_VARIABLES = ['DATABASE_URL', 'REDIS_URL', 'AUTH_JWT_SECRET', 'KAFKA_SASL_PASSWORD'];

/** Cross-field rules of the platform variables. Kept as one function so `.extend()` keeps them. */
export function platformRules(c: Record<string, unknown>, ctx: Ctx): void {
  for (const name of SECRET_VARIABLES) {
    const value = c[name];
    if (typeof value === 'string' && PLACEHOLDER.test(value)) {
      issue(ctx, name, 'still holds the CHANGE_ME placeholder of the example Secret; set the real value (see deploy/README.md)');
    }
  }
  if (c.EVENT_BUS === 'kafka' && c.KAFKA_BROKERS === undefined) {
    issue(ctx, 'KAFKA_BROKERS', 'required when EVENT_BUS=kafka (comma-separated host:port list)');
  }
  if (c.EVENT_BUS === 'postgres') {
    for (const name of ['KAFKA_BROKERS', 'KAFKA_CLIENT_ID', 'KAFKA_SSL_CA_FILE', 'KAFKA_SASL_MECHANISM', 'KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD']) {
      if (isSet(c[name])) issue(ctx, name, 'set, but EVENT_BUS=postgres does not use Kafka; set EVENT_BUS=kafka or remove it');
    }
  }
  const sasl = ['KAFKA_SASL_MECHANISM', 'KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'];
  const saslSet = sasl.filter((n) => isSet(c[n]));
  if (saslSet.length > 0 && saslSet.length < sasl.length && c.EVENT_BUS !== 'postgres') {
    for (const n of sasl.filter((x) => !isSet(c[x]))) issue(ctx, n, `required together with ${saslSet.join(', ')} (SASL needs mechanism, username and password)`);
  }
  if (isSet(c.DATABASE_SSL_CA_FILE) && typeof c.DATABASE_URL === 'string' && /[?&]sslmode=disable(&|$)/.test(c.DATABASE_URL)) {
    issue(ctx, 'DATABASE_SSL_CA_FILE', 'set, but DATABASE_URL has sslmode=disable; use sslmode=verify-full (or require) or remove it');
  }
  if (isSet(c.KAFKA_SSL_CA_FILE) && c.KAFKA_SSL === false) {
    issue(ctx, 'KAFKA_SSL_CA_FILE', 'set, but KAFKA_SSL is false; set KAFKA_SSL=true');
  }

  if (isSet(c.TLS_CERT_FILE) && c.TLS_KEY_FILE === undefined) issue(ctx, 'TLS_KEY_FILE', 'required together with TLS_CERT_FILE (a server certificate needs its private key)');
  if (isSet(c.TLS_KEY_FILE) && c.TLS_CERT_FILE === undefined) issue(ctx, 'TLS_CERT_FILE', 'required together with TLS_KEY_FILE (a private key needs its certificate)');
  if (isSet(c.TLS_CLIENT_CA_FILE) && c.TLS_CERT_FILE === undefined) {
    issue(ctx, 'TLS_CLIENT_CA_FILE', 'set, but the server has no TLS_CERT_FILE/TLS_KEY_FILE; client certificates need TLS');
  }
  if (isTrue(c.TLS_REQUIRE_CLIENT_CERT) && !isSet(c.TLS_CLIENT_CA_FILE)) {
    issue(ctx, 'TLS_CLIENT_CA_FILE', 'required when TLS_REQUIRE_CLIENT_CERT=true (the CA that signs client certificates)');
  }

  if (isSet(c.AUTH_JWT_SECRET) && isSet(c.AUTH_JWT_PUBLIC_KEY_FILE)) {
    issue(ctx, 'AUTH_JWT_PUBLIC_KEY_FILE', 'set together with AUTH_JWT_SECRET; choose one: HMAC (secret) or RSA/ECDSA (public key)');
  }
  const jwtKeys = ['AUTH_JWT_SECRET', 'AUTH_JWT_PUBLIC_KEY_FILE'].filter((n) => isSet(c[n]));
  if (isTrue(c.AUTH_JWT_DEVELOPMENT) && isSet(c.AUTH_JWT_PUBLIC_KEY_FILE)) {
    issue(ctx, 'AUTH_JWT_DEVELOPMENT', 'marks AUTH_JWT_SECRET as the local development secret; an identity provider key (AUTH_JWT_PUBLIC_KEY_FILE) always needs AUTH_JWT_ISSUER and AUTH_JWT_AUDIENCE');
  } else if (jwtKeys.length > 0 && !isTrue(c.AUTH_JWT_DEVELOPMENT) && c.AUTH_DISABLED !== true) {
    for (const name of ['AUTH_JWT_ISSUER', 'AUTH_JWT_AUDIENCE']) {
      if (c[name] === undefined) {
        issue(ctx, name, `required with ${jwtKeys[0]} (a token issued for another application must not be accepted); only the local development secret may omit it (AUTH_JWT_DEVELOPMENT=true)`);
      }
    }
  }
  const anyAuth = ['AUTH_JWT_SECRET', 'AUTH_JWT_PUBLIC_KEY_FILE', 'AUTH_API_KEYS'].some((n) => isSet(c[n]) || hasFieldIssue(c[n]));
  if (c.AUTH_DISABLED === false && !anyAuth) {
    issue(ctx, 'AUTH_DISABLED', 'no authentication configured: set AUTH_JWT_SECRET, AUTH_JWT_PUBLIC_KEY_FILE or AUTH_API_KEYS, or set AUTH_DISABLED=true explicitly');
  }

  // OTEL_TRACES_EXPORTER=otlp without an endpoint is valid: the specification's default applies (see configWarnings).
  if (isSet(c.OTEL_TRACES_SAMPLER_ARG) && typeof c.OTEL_TRACES_SAMPLER === 'string' && !c.OTEL_TRACES_SAMPLER.endsWith('traceidratio')) {
    issue(ctx, 'OTEL_TRACES_SAMPLER_ARG', `set, but OTEL_TRACES_SAMPLER=${c.OTEL_TRACES_SAMPLER} takes no argument`);
  }
}

// A field that failed its own parse holds a zod marker object rather than undefined.
function hasFieldIssue(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
