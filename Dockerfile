# syntax=docker/dockerfile:1.7
# One image for every Reflux service; the command picks the entry point:
#   docker run reflux:0.1.0 services/ingestion/src/main.ts      (gRPC 50051)
#   docker run reflux:0.1.0 services/ingestion/src/migrate.ts   (migration Job)
#   docker run reflux:0.1.0 services/control-room-gateway/src/main.ts   (HTTP 8080, the page built into the image)
# The services are compiled ahead of time (`npm run build`, scripts/build.mjs: SWC, the options of
# scripts/register.cjs) and run with scripts/runtime.cjs, which resolves the `@reflux/*` aliases and
# each `.ts` entry point to the `.js` compiled beside it. The runtime stage holds the compiled tree
# and the production dependencies of `npm ci --omit=dev` only: no compiler, no test servers.

ARG NODE_IMAGE=node:24.11.1-bookworm-slim

# --- package manifests only, so dependency layers are cached until a manifest changes ---------
FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN mkdir -p /out \
 && find . -name package.json -not -path '*/node_modules/*' -exec cp --parents {} /out/ \; \
 && cp package-lock.json /out/

# --- build: the full install (SWC) compiles the runtime tree into dist/ --------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY --from=manifests /out/ ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.base.json ./
COPY scripts/build.mjs scripts/runtime.cjs ./scripts/
COPY deploy/grpc-health-check.cjs ./deploy/grpc-health-check.cjs
COPY proto ./proto
COPY libs ./libs
COPY services ./services
RUN npm run build

# --- production dependencies (install scripts run: protobufjs) ----------------------------------
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY --from=manifests /out/ ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --no-audit --no-fund

# --- runtime ----------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    GRPC_HOST=0.0.0.0
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /src/dist ./
# Fails the build if an entry point does not load without the compiler.
RUN node -r ./scripts/runtime.cjs -e "require('./services/ingestion/src/ingestion.config.ts'); require('@reflux/grpc')"
# The `node` user (uid 1000) of the base image; files stay root-owned and read-only for it.
USER node
EXPOSE 50051 50052 50053 50054 50055 8080 9464
ENTRYPOINT ["node", "--enable-source-maps", "-r", "./scripts/runtime.cjs"]
CMD ["services/ingestion/src/main.ts"]
