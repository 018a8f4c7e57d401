# syntax=docker/dockerfile:1.7
# One image for every Reflux service; the command picks the entry point:
#   docker run reflux:0.1.0 services/ingestion/src/main.ts      (gRPC 50051)
#   docker run reflux:0.1.0 services/ingestion/src/migrate.ts   (migration Job)
# Services run their TypeScript sources through scripts/register.cjs (SWC transpiles at load time),
# so the runtime needs @swc/core, a devDependency: production dependencies come from
# `npm ci --omit=dev`, and only the @swc scope is taken from a full install.

ARG NODE_IMAGE=node:20.19.5-bookworm-slim

# --- package manifests only, so dependency layers are cached until a manifest changes ---------
FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN mkdir -p /out \
 && find . -name package.json -not -path '*/node_modules/*' -exec cp --parents {} /out/ \; \
 && cp package-lock.json /out/

# --- production dependencies (install scripts run: embedded-postgres, protobufjs) --------------
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY --from=manifests /out/ ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --no-audit --no-fund

# --- full install, only to take the SWC compiler (and its platform binary) from ------------------
FROM ${NODE_IMAGE} AS swc
WORKDIR /app
COPY --from=manifests /out/ ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --ignore-scripts --no-audit --no-fund \
 && node -e "require('@swc/core').transformSync('const a: number = 1', { jsc: { parser: { syntax: 'typescript' } } })"

# --- runtime ----------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    GRPC_HOST=0.0.0.0
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=swc /app/node_modules/@swc ./node_modules/@swc
COPY package.json package-lock.json tsconfig.base.json ./
COPY scripts/register.cjs ./scripts/register.cjs
COPY deploy/grpc-health-check.cjs ./deploy/grpc-health-check.cjs
COPY proto ./proto
COPY libs ./libs
COPY services ./services
# Fails the build if the loader or the compiler is missing.
RUN node -r ./scripts/register.cjs -e "require('./libs/config/src/index.ts')"
# The `node` user (uid 1000) of the base image; files stay root-owned and read-only for it.
USER node
EXPOSE 50051 50052 50053 50054 50055 9464
ENTRYPOINT ["node", "--enable-source-maps", "-r", "./scripts/register.cjs"]
CMD ["services/ingestion/src/main.ts"]
