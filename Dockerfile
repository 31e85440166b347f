# The app as a container image: Node 24 (the version the repository pins), production
# dependencies only, and no build step (Node runs the TypeScript itself). One image serves any
# number of app processes: run it once per process behind a reverse proxy (docs/scale-out.md).
# The commands of `huduma` run as `node src/cli/main.ts <command>` in it.
FROM node:24-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
# What the app reads at run time: its code, the migrations, and docs/errors.md (/docs/errors).
COPY src ./src
COPY migrations ./migrations
COPY docs ./docs
RUN mkdir /data && chown node:node /data
USER node
ENV HOST=0.0.0.0 PORT=3000 HUDUMA_DATA_DIR=/data
EXPOSE 3000
CMD ["node", "src/main.ts"]
