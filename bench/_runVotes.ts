import { voteBurst } from "./scenarios.ts";
const n = Number(process.env.N ?? 2000);
const r = await voteBurst(n);
for (const row of r.rows) console.log(row.metric, JSON.stringify(row.ours.runs), row.baseline ? JSON.stringify(row.baseline.runs) : "");
process.exit(0);
