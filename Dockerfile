# syntax=docker/dockerfile:1
# The bot as a container: compiled JavaScript and production dependencies only, run by plain node as a non-root user.
#   docker build -t channel-panel-bot .
#   docker compose up --build        (compose.yaml: PostgreSQL 16 and two instances behind one port)
# Node 22 LTS on Debian slim; the project supports Node 20.19 or later (engines in package.json).
ARG NODE_IMAGE=node:22-bookworm-slim

# Debian's compiler, for better-sqlite3 when no prebuilt binary matches the platform.
FROM ${NODE_IMAGE} AS toolchain
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# .npmrc's yes=true lets botbuilder-dialogs' postinstall (npx rimraf) run.
COPY package.json package-lock.json .npmrc ./

# Stage 1: every dependency (TypeScript among them), then `npm run build` into dist/.
FROM toolchain AS build
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build.mjs scripts/
COPY bot bot
COPY cards cards
COPY scheduler scheduler
COPY manifest manifest
COPY demo demo
RUN npm run build

# Stage 2: production dependencies only; no tsx, no TypeScript.
FROM toolchain AS deps
RUN npm ci --omit=dev --no-audit --no-fund

# Stage 3: what runs. No compiler, no sources, no dev dependencies.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3978 \
    DATA_DIR=/data \
    PANELS_CONFIG=/app/config/panels.sample.yaml
WORKDIR /app
COPY --from=deps /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY package.json ./
COPY bin bin
COPY config config
# The SQLite file (one instance only) lives in /data; with DATABASE_URL it stays empty. The image's `node` user owns it.
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3978
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node is PID 1 (exec form, no shell in between), so `docker stop`'s SIGTERM reaches the bot's own handler: sends on
# the wire finish, the other claimed outbox messages go back to the outbox, the store closes, then it exits.
STOPSIGNAL SIGTERM
CMD ["node", "--disable-warning=DEP0111", "dist/bot/main.js"]
