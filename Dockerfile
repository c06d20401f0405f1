# syntax=docker/dockerfile:1
# One image for every part of the stack; the command picks the part (see docker-compose.yml):
#   node bin/connected-app.js emulator …                       the local Stytch emulator
#   node --enable-source-maps dist/current/auth-server.js      the Authorization URL front end
#   node --enable-source-maps dist/current/client-app.js       the sample Connected App
#   node --enable-source-maps dist/current/mcp-server.js       the sample MCP server
# The entry points are built in the image by scripts/build.mjs (esbuild, which comes with tsx, a production
# dependency) and run by plain node: no TypeScript loader in the running processes (~40 MiB less each).

ARG NODE_VERSION=20

# --- deps: production dependencies only, built with the tools better-sqlite3 needs when no prebuilt binary fits.
FROM node:${NODE_VERSION}-bookworm-slim AS deps
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-fund --no-audit \
 && npm cache clean --force

# --- runtime: no compiler, no dev dependencies, no package cache; runs as the unprivileged `node` user.
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps --chown=root:root /app/node_modules ./node_modules
COPY --chown=root:root package.json tsconfig.json ./
COPY --chown=root:root bin ./bin
COPY --chown=root:root scripts/build.mjs ./scripts/
COPY --chown=root:root src ./src
COPY --chown=root:root auth-server ./auth-server
COPY --chown=root:root client-app ./client-app
COPY --chown=root:root mcp-server ./mcp-server
# Built as root, so that the build is read-only for the app, like the code it was built from.
RUN node scripts/build.mjs
# The code is owned by root and read-only for the app. Only /app/.data is writable: the SQLite files and the
# generated local secrets go there (the apps' default paths are relative: `.data/…`). Mount a volume on it.
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
EXPOSE 3000 3001 9010 9011
CMD ["node", "bin/connected-app.js", "--help"]
