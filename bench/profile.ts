/**
 * "Where the time goes": a CPU profile taken inside a child process (node:inspector) between two
 * IPC messages, summarised by the time spent in each function itself and by the part of the stack
 * it belongs to (our code, Socket.IO, the websocket library, JSON, the file system, GC, idle).
 */
import { Session } from "node:inspector/promises";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** What the child answers: total milliseconds, the share of each part, the top functions. */
export interface ProfileSummary {
  totalMs: number;
  parts: { part: string; ms: number; percent: number }[];
  top: { fn: string; part: string; ms: number; percent: number }[];
}

/** The part of the stack a frame belongs to, by its file. */
function partOf(frame: ProfileNode["callFrame"]): string {
  const { url, functionName } = frame;
  if (functionName === "(idle)") return "idle";
  if (functionName === "(garbage collector)") return "GC";
  if (functionName === "(program)") return "V8 and native";
  if (/JSON|stringify|parse/.test(functionName) && url === "") return "JSON";
  if (url.includes("/node_modules/ws/")) return "ws (websocket frames)";
  if (url.includes("/node_modules/socket.io-parser/") || url.includes("/node_modules/socket.io-adapter/") || url.includes("/node_modules/socket.io/")) return "Socket.IO";
  if (url.includes("/node_modules/engine.io/")) return "engine.io";
  if (url.includes("/node_modules/zod/")) return "zod (validation)";
  if (url.includes("/shared/")) return "shared rules and views";
  if (url.includes("/server/")) return "server";
  if (url.startsWith("node:") && /fs|stream|net/.test(url)) return "Node I/O";
  if (url.startsWith("node:")) return "Node core";
  if (url === "") return "V8 and native";
  return "other libraries";
}

export function summarise(profile: Profile, top = 15): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const totalUs = profile.endTime - profile.startTime;
  const parts = new Map<string, number>();
  const fns = new Map<string, { part: string; us: number }>();
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    const part = partOf(frame);
    parts.set(part, (parts.get(part) ?? 0) + us);
    const file = frame.url.replace(/^.*\/(node_modules\/[^/]+|server|shared)\//, "$1/");
    const key = `${frame.functionName || "(anonymous)"} ${file}:${frame.lineNumber + 1}`;
    const entry = fns.get(key) ?? { part, us: 0 };
    entry.us += us;
    fns.set(key, entry);
  }
  const ms = (us: number) => Math.round(us / 100) / 10;
  const percent = (us: number) => Math.round((1000 * us) / totalUs) / 10;
  return {
    totalMs: ms(totalUs),
    parts: [...parts].sort((a, b) => b[1] - a[1]).map(([part, us]) => ({ part, ms: ms(us), percent: percent(us) })),
    top: [...fns]
      .filter(([, e]) => e.part !== "idle")
      .sort((a, b) => b[1].us - a[1].us)
      .slice(0, top)
      .map(([fn, e]) => ({ fn, part: e.part, ms: ms(e.us), percent: percent(e.us) })),
  };
}

/** In a child: answers `{type: "profile", action: "start" | "stop"}` (the stop with the summary). */
export function answerProfileRequests(): void {
  let session: Session | null = null;
  process.on("message", async (message: { type: string; action?: string; id?: number }) => {
    if (message.type !== "profile") return;
    if (message.action === "start") {
      session = new Session();
      session.connect();
      await session.post("Profiler.enable");
      await session.post("Profiler.setSamplingInterval", { interval: 1000 });
      await session.post("Profiler.start");
      process.send!({ type: "profiling", id: message.id });
    } else if (session) {
      const { profile } = (await session.post("Profiler.stop")) as { profile: Profile };
      session.disconnect();
      session = null;
      process.send!({ type: "profiling", id: message.id, summary: summarise(profile) });
    }
  });
}

export function printProfile(title: string, summary: ProfileSummary): void {
  console.log(`\nwhere the server's time goes in the ${title} (${summary.totalMs} ms profiled):`);
  console.table(summary.parts);
  console.table(summary.top);
}
