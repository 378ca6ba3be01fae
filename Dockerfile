# Production image: the app only; PostgreSQL is a separate service (see docker-compose.yml).
# The build stage compiles the TypeScript to dist/; the image runs it with node, without a TypeScript loader.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY prisma ./prisma
COPY prisma.config.ts tsconfig.json tsconfig.build.json ./
COPY scripts/prisma-generate.mjs ./scripts/
COPY src ./src
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
# No system font: the PDFs embed Noto Sans Hans from node_modules and the Extension B fallback from assets/
# (docs/pdf-fonts.md).
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY prisma ./prisma
COPY views ./views
COPY public ./public
COPY assets ./assets
# UPLOAD_DIR (attachments, imports waiting for their job, large exports): owned by the app's user, 0700.
RUN mkdir -p /app/data/uploads && chown -R node:node /app/data && chmod 700 /app/data/uploads
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s CMD node -e "fetch('http://127.0.0.1:3000/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--enable-source-maps", "dist/server.js"]
