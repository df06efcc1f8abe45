import { resolve } from "node:path";
import { createGiaoBanServer } from "./app.ts";
import { buildClientIfNeeded } from "./clientBuild.ts";
import { createDemo } from "./demo.ts";
import { parseTrustProxy } from "./http/trustProxy.ts";

async function main() {
  const port = Number(process.env.PORT ?? 3000);
  const dataDir = resolve(process.env.DATA_DIR ?? "./data");
  if (process.env.SKIP_CLIENT_BUILD !== "1") await buildClientIfNeeded(console.log);
  const server = await createGiaoBanServer({
    dataDir,
    adminToken: process.env.ADMIN_TOKEN || undefined,
    publicUrl: process.env.PUBLIC_URL || undefined,
    trustProxy: parseTrustProxy(process.env.TRUST_PROXY),
  });
  const isEmpty = server.registry.all().next().done;
  const listening = await server.listen(port, process.env.HOST);
  const base = process.env.PUBLIC_URL ?? `http://localhost:${listening}`;
  console.log(`Giao Ban is listening on ${base} (data in ${dataDir})`);
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
