/**
 * What the header-deadline front (lib/http/header_deadline.ts) costs a request: a 1 KiB static
 * answer from a plain `Deno.serve` and from the same handler behind the front, each in a child
 * process of its own, loaded in turn by Debian's `wrk` (one thread, 32 keep-alive connections),
 * three rounds after a warm-up. Reported per server: requests/s and the CPU time its process
 * spent per request (user + system, all threads, from /proc), which a shared machine disturbs
 * far less than throughput; the front's cost is the difference.
 *
 *     deno run -A bench/header_deadline_load.ts [seconds=3]
 *
 * Printed on the 2-core development VM (about half as fast as the one earlier figures came
 * from), another helper's benchmark sharing it (load average 2.9–3.0), 2026-12-05, `deno run -A
 * bench/header_deadline_load.ts 3`, the tree before and after the front reached the inner server
 * over a Unix socket instead of loopback TCP (the client's address now carried in a header of
 * the front's own rather than looked up by loopback port), one right after the other:
 *
 *     before: median CPU per request: plain 26.8 µs, behind the front 59.9 µs (the front: 33.1 µs)
 *     after:  median CPU per request: plain 28.3 µs, behind the front 55.9 µs (the front: 27.6 µs)
 *             (rounds, after: plain 30.2, 28.3, 26.7 µs; front 65.4, 55.9, 53.8 µs)
 */
import process from "node:process";

const WRK = "/usr/bin/wrk";
const body = new TextEncoder().encode("x".repeat(1024));
const handler = () => new Response(body, { headers: { "content-type": "text/plain" } });

if (Deno.args[0] === "serve-plain" || Deno.args[0] === "serve-front") {
  const onListen = (addr: Deno.NetAddr) => console.log(String(addr.port));
  if (Deno.args[0] === "serve-plain") {
    Deno.serve({ hostname: "127.0.0.1", port: 0, onListen }, handler);
  } else {
    const { serveWithHeaderDeadline } = await import("../lib/http/header_deadline.ts");
    const server = serveWithHeaderDeadline(
      { hostname: "127.0.0.1", port: 0, headerTimeoutMs: 10_000, onListen },
      handler,
    );
    // Shut down on SIGTERM, so the front removes its socket directory.
    Deno.addSignalListener("SIGTERM", () => server.shutdown().then(() => Deno.exit(0)));
  }
} else {
  const seconds = Math.max(1, Math.min(30, Number(Deno.args[0] ?? 3)));
  const cpuUs = (pid: number) => {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 1e4; // clock ticks of 10 ms
  };
  const start = async (mode: string) => {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", new URL(import.meta.url).pathname, `serve-${mode}`],
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    const { value } = await reader.read();
    reader.releaseLock();
    return { mode, child, url: `http://127.0.0.1:${Number(value!.trim())}/` };
  };
  const wrk = async (url: string, duration: number) => {
    const out = await new Deno.Command(WRK, {
      args: ["-t1", "-c32", `-d${duration}s`, url],
      stdout: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    const m = text.match(/(\d+) requests in/);
    if (!out.success || !m) throw new Error(`wrk failed:\n${text}`);
    return { requests: Number(m[1]), rps: Number(text.match(/Requests\/sec:\s+([\d.]+)/)![1]) };
  };
  const servers = [await start("plain"), await start("front")];
  try {
    for (const s of servers) await wrk(s.url, 2);
    const rows = [];
    const perRequest: Record<string, number[]> = { plain: [], front: [] };
    for (let round = 1; round <= 3; round++) {
      for (const s of servers) {
        const before = cpuUs(s.child.pid);
        const r = await wrk(s.url, seconds);
        const us = (cpuUs(s.child.pid) - before) / r.requests;
        perRequest[s.mode].push(us);
        rows.push({
          round,
          server: s.mode,
          "req/s": Math.round(r.rps),
          "CPU µs/req": us.toFixed(1),
        });
      }
    }
    console.table(rows);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1];
    const [plain, front] = [median(perRequest.plain), median(perRequest.front)];
    console.log(
      `median CPU per request: plain ${plain.toFixed(1)} µs, behind the front ${
        front.toFixed(1)
      } µs (the front: ${(front - plain).toFixed(1)} µs); load average ${
        Deno.readTextFileSync("/proc/loadavg").split(" ").slice(0, 3).join(" ")
      }; this process ${(process.cpuUsage().user / 1e3).toFixed(0)} ms user`,
    );
  } finally {
    for (const s of servers) s.child.kill("SIGTERM");
    await Promise.all(servers.map((s) => s.child.status));
  }
}
