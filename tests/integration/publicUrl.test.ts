import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { networkInterfaces } from "node:os";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { lanAddress } from "../../server/lanAddress.ts";
import { api, createConference, makeDataDir, startServer } from "../support/server.ts";

describe("the links' base", () => {
  it("is told to pages (for their QR codes) and used in every link the API hands out", async () => {
    const server = await startServer({ publicUrl: "http://192.0.2.10:3000" });
    try {
      expect((await api(server.url, "/api/server")).body).toEqual({ publicUrl: "http://192.0.2.10:3000" });
      const conference = await createConference(server.url, { title: "Giao ban" });
      const joined = await api(server.url, `/api/conferences/${conference.id}/join`, {
        body: { joinCode: conference.joinCode, name: "Đại biểu", attendance: "hall" },
      });
      expect(joined.body.url).toMatch(/^http:\/\/192\.0\.2\.10:3000\/c\//);
    } finally {
      await server.dispose();
    }
    const plain = await startServer();
    try {
      expect((await api(plain.url, "/api/server")).body).toEqual({ publicUrl: null });
    } finally {
      await plain.dispose();
    }
  });

  it("is the machine's address on the local network when PUBLIC_URL is not set, and npm start says so", async () => {
    const lan = lanAddress();
    const external = Object.values(networkInterfaces()).flat().filter((n) => n && n.family === "IPv4" && !n.internal);
    expect(lan === null).toBe(external.length === 0);
    if (lan) expect(external.map((n) => n!.address)).toContain(lan);

    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, () => {
        const { port: free } = probe.address() as { port: number };
        probe.close(() => resolve(free));
      });
    });
    const output = await new Promise<string>((resolve) => {
      void makeDataDir().then((dataDir) => {
        const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
          cwd: fileURLToPath(new URL("../..", import.meta.url)),
          env: { ...process.env, PORT: String(port), HOST: "", PUBLIC_URL: "", DEMO: "1", SKIP_CLIENT_BUILD: "1", DATA_DIR: dataDir },
          stdio: ["ignore", "pipe", "pipe"],
        });
        let text = "";
        child.stdout.on("data", (chunk: Buffer) => {
          text += chunk;
          if (text.includes("Join code:")) child.kill("SIGKILL");
        });
        child.stderr.on("data", (chunk: Buffer) => (text += chunk));
        child.on("exit", () => resolve(text));
      });
    });
    if (lan) {
      expect(output).toContain(`Giao Ban is listening on http://${lan}:${port}`);
      expect(output).toContain(`address on the local network (${lan})`);
      expect(output).toMatch(new RegExp(`Delegates join here: +http://${lan.replace(/\./g, "\\.")}:${port}/c/`));
    } else {
      expect(output).toContain(`Giao Ban is listening on http://localhost:${port}`);
    }
  });
});
