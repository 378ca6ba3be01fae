# Production image: the app only; PostgreSQL is a separate service (see docker-compose.yml).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY prisma ./prisma
COPY prisma.config.ts tsconfig.json ./
COPY scripts/prisma-generate.mjs ./scripts/
RUN node scripts/prisma-generate.mjs

FROM node:20-bookworm-slim
# The credit report PDF embeds a CJK font from this package (see src/features/reports/pdf.ts, REPORT_FONT).
RUN apt-get update && apt-get install -y --no-install-recommends fonts-wqy-microhei && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/src/generated ./src/generated
COPY package.json tsconfig.json prisma.config.ts ./
COPY prisma ./prisma
COPY src ./src
COPY views ./views
COPY public ./public
COPY scripts ./scripts
# UPLOAD_DIR (attachments, imports waiting for their job, large exports): owned by the app's user, 0700.
RUN mkdir -p /app/data/uploads && chown -R node:node /app/data && chmod 700 /app/data/uploads
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s CMD node -e "fetch('http://127.0.0.1:3000/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# tsx runs the TypeScript sources directly (esbuild, no separate build step to drift from the code).
CMD ["node", "--import", "tsx", "src/server.ts"]
