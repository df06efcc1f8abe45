import { resolve } from "node:path";
import { createGiaoBanServer } from "./app.ts";
import { buildClientIfNeeded } from "./clientBuild.ts";
import { createDemo } from "./demo.ts";
import { parseTrustProxy } from "./http/trustProxy.ts";
import { lanAddress } from "./lanAddress.ts";

async function main() {
  const port = Number(process.env.PORT ?? 3000);
  const dataDir = resolve(process.env.DATA_DIR ?? "./data");
  if (process.env.SKIP_CLIENT_BUILD !== "1") await buildClientIfNeeded(console.log);
  // Without PUBLIC_URL, links and QR codes carry this machine's address on the hall's network:
  // "localhost" on a phone is the phone. Only when we listen on every interface, on a known port.
  const host = process.env.HOST;
  const listensEverywhere = host === undefined || host === "" || host === "0.0.0.0" || host === "::";
  const lan = !process.env.PUBLIC_URL && listensEverywhere && port !== 0 ? lanAddress() : null;
  const publicUrl = process.env.PUBLIC_URL || (lan ? `http://${lan}:${port}` : undefined);
  if (process.env.REDIS_URL && !process.env.DATABASE_URL) {
    console.warn("REDIS_URL is set without DATABASE_URL: it is ignored, and this server keeps its data in DATA_DIR alone.");
  }
  const server = await createGiaoBanServer({
    dataDir,
    databaseUrl: process.env.DATABASE_URL || undefined,
    redisUrl: process.env.REDIS_URL || undefined,
    redisPrefix: process.env.REDIS_PREFIX || undefined,
    internalUrl: process.env.INTERNAL_URL || undefined,
    adminToken: process.env.ADMIN_TOKEN || undefined,
    publicUrl,
    trustProxy: parseTrustProxy(process.env.TRUST_PROXY),
  });
  const listening = await server.listen(port, process.env.HOST);
  // After listening: in a cluster, that is when the stored conferences are taken or replicated.
  const isEmpty = (await server.registry.stored()).length === 0;
  const base = publicUrl ?? `http://localhost:${listening}`;
  const where = !process.env.DATABASE_URL ? `data in ${dataDir}` : process.env.REDIS_URL ? "data in PostgreSQL, one server of a cluster" : "data in PostgreSQL";
  console.log(`Giao Ban is listening on ${base} (${where})`);
  if (lan) {
    console.log(`Links use this machine's address on the local network (${lan}), so phones on the same Wi-Fi reach them; set PUBLIC_URL to choose another.`);
  }
  if (isEmpty && process.env.DEMO !== "0") {
    const demo = await createDemo(server.registry, base);
    console.log(
      [
        "",
        "Demo conference created: the 2021 conference of provincial unions.",
        `  Chair (chủ trì):         ${demo.chair}`,
        `  Secretary (thư ký):      ${demo.secretary}`,
        `  Projector (màn hình):    ${demo.projector}`,
        `  Delegates join here:     ${demo.join}`,
        `  Join code:               ${demo.joinCode}`,
        "These links carry their tokens and are shown only now; keep them.",
        "",
      ].join("\n"),
    );
  }
  const stop = async (signal: string) => {
    console.log(`${signal}: storing what is pending and stopping…`);
    await server.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
