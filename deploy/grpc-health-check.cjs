#!/usr/bin/env node
// Container health check for docker compose (Kubernetes uses its native gRPC probe instead):
//   node deploy/grpc-health-check.cjs [port=GRPC_PORT] [service=""] [timeoutMs=2000]
// Calls grpc.health.v1.Health/Check on 127.0.0.1 and exits 0 only for SERVING. The request and
// response are encoded by hand (one string field, one enum field), so no .proto is needed.
'use strict';
const { Buffer } = require('node:buffer');
const grpc = require('@grpc/grpc-js');

const port = Number(process.argv[2] ?? process.env.GRPC_PORT);
const service = process.argv[3] ?? '';
const timeoutMs = Number(process.argv[4] ?? 2000);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  process.stderr.write('usage: grpc-health-check.cjs <port> [service] [timeoutMs]\n');
  process.exit(2);
}

// HealthCheckRequest { string service = 1; }
function encodeRequest(name) {
  const bytes = Buffer.from(name, 'utf8');
  if (bytes.length === 0) return Buffer.alloc(0);
  if (bytes.length > 127) throw new Error('service name too long');
  return Buffer.concat([Buffer.from([0x0a, bytes.length]), bytes]);
}

// HealthCheckResponse { ServingStatus status = 1; } — UNKNOWN 0, SERVING 1, NOT_SERVING 2, SERVICE_UNKNOWN 3
function decodeResponse(buf) {
  let status = 0;
  for (let i = 0; i < buf.length; ) {
    const tag = buf[i++];
    if (tag === 0x08) {
      let value = 0;
      let shift = 0;
      let b;
      do {
        b = buf[i++];
        value |= (b & 0x7f) << shift;
        shift += 7;
      } while (b & 0x80);
      status = value;
    } else break;
  }
  return status;
}

const NAMES = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'];
const client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
client.makeUnaryRequest(
  '/grpc.health.v1.Health/Check',
  encodeRequest,
  decodeResponse,
  service,
  new grpc.Metadata(),
  { deadline: Date.now() + timeoutMs },
  (error, status) => {
    client.close();
    if (error) {
      process.stderr.write(`health check failed: ${error.message}\n`);
      process.exit(1);
    }
    process.stdout.write(`${NAMES[status] ?? status}\n`);
    process.exit(status === 1 ? 0 : 1);
  },
);
