/**
 * A server in its own process, for tests that kill it: `node --import tsx tests/support/childServer.ts`
 * with DATA_DIR set. Prints `PORT <n>` once it listens.
 */
import { createGiaoBanServer } from "../../server/app.ts";
import { RELAXED_LIMITS } from "./server.ts";

const dataDir = process.env.DATA_DIR;
if (!dataDir) throw new Error("DATA_DIR is required");
const server = await createGiaoBanServer({ dataDir, serveClient: false, limits: RELAXED_LIMITS });
const port = await server.listen(0, "127.0.0.1");
process.stdout.write(`PORT ${port}\n`);
