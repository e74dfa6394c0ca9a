# berth's own image (docs/service.md): build the esbuild bundle, then ship it with production
# dependencies only, as a fixed non-root user. Build: docker build -t berth:dev .
FROM node:20.19.5-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts && npm cache clean --force
COPY bin/ bin/
COPY src/ src/
COPY scripts/build.mjs scripts/build.mjs
COPY tsconfig.json ./
RUN npm run build

FROM node:20.19.5-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force && rm -rf /root/.npm /tmp/*

FROM node:20.19.5-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY bin/ ./bin/
COPY package.json ./
USER 10001:10001
EXPOSE 9119
ENTRYPOINT ["node", "/app/bin/berth.js"]
CMD ["serve"]
