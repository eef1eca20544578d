/**
 * The baseline of bench:upload: a minimal HTTP server that writes each PUT body to a file (on the same
 * disk as the Umbra server's uploads), and `curl -T` sending the same bytes to it.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { type TimedRun, timedRun } from "./process-cpu.js";

const SINK_SOURCE = `
const http = require("node:http"); const fs = require("node:fs"); const path = require("node:path");
const dir = process.argv[1]; let n = 0;
http.createServer((req, res) => {
  const out = fs.createWriteStream(path.join(dir, "put-" + n++));
  req.pipe(out);
  out.on("finish", () => { res.statusCode = 201; res.end(); });
}).listen(0, "127.0.0.1", function () { console.log("sink " + this.address().port); });
`;

export interface PlainSink {
  child: ChildProcess;
  port: number;
  stop: () => void;
}

export async function startPlainSink(dir: string): Promise<PlainSink> {
  const child = spawn(process.execPath, ["-e", SINK_SOURCE, dir], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve, reject) => {
    child.on("exit", (code) => reject(new Error(`the plain sink exited with ${code}`)));
    child.stdout!.on("data", (chunk: Buffer) => {
      const match = /sink (\d+)/.exec(chunk.toString());
      if (match) resolve(Number(match[1]));
    });
  });
  return { child, port, stop: () => child.kill() };
}

/** `curl -T FILE` (an HTTP PUT of the file) to the sink; fails unless the sink answered 201. */
export async function curlUpload(port: number, file: string): Promise<TimedRun> {
  const run = await timedRun([
    "curl",
    "--silent",
    "--show-error",
    "--fail",
    "--output",
    "/dev/null",
    "-T",
    file,
    `http://127.0.0.1:${port}/`,
  ]);
  if (run.code !== 0) throw new Error(`curl -T exited with ${run.code}`);
  return run;
}
