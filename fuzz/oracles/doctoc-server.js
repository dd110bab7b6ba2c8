// doctoc 2.5.0's command line, kept running for the `doctoc` fuzz target: each request is one
// `doctoc ARGS... FILE` run on a document held in memory, answered with what doctoc writes
// (the protocol: framing.js).
//
//   node doctoc-server.js TOOL_DIR     (TOOL_DIR: ../shared/tools/doctoc-2.5.0)
//
// Nothing of doctoc is copied here: its own `doctoc.js` is evaluated again for each request
// (the modules it loads stay loaded, as in one run over many files), with `process.argv` set to
// the request's words and the file's path, and with `fs` answering for that one path from
// memory. So the options go through doctoc's own command line (minimist and its checks), and the
// file through its `transform` and its write.
"use strict";

const fs = require("fs");
const path = require("path");
const { serve } = require("./framing");

const toolDir = process.argv[2];
if (!toolDir) {
  process.stderr.write("usage: node doctoc-server.js TOOL_DIR\n");
  process.exit(2);
}
const cli = require.resolve(path.resolve(toolDir, "node_modules/doctoc/doctoc.js"));

// The one file doctoc reads and writes: never on disk.
const VIRTUAL = path.join(path.sep, "doctoc-server", "document.md");
let current = "";
let written = null;
const real = { statSync: fs.statSync, readFileSync: fs.readFileSync, writeFileSync: fs.writeFileSync };
fs.statSync = function (p, ...rest) {
  return p === VIRTUAL ? { isDirectory: () => false, isFile: () => true } : real.statSync.call(fs, p, ...rest);
};
fs.readFileSync = function (p, ...rest) {
  if (p !== VIRTUAL) return real.readFileSync.call(fs, p, ...rest);
  if (rest[0] !== "utf8") throw new Error("doctoc-server: the document read otherwise than as utf8");
  return current;
};
fs.writeFileSync = function (p, data, ...rest) {
  if (p !== VIRTUAL) return real.writeFileSync.call(fs, p, data, ...rest);
  if (rest[0] !== "utf8") throw new Error("doctoc-server: the document written otherwise than as utf8");
  written = Buffer.from(data, "utf8");
};
// doctoc logs through loglevel, which binds the console's methods: none may write to stdout.
for (const method of ["log", "info", "warn", "error", "debug", "trace"]) console[method] = () => {};
// Usage errors end the process in doctoc; here they are an answer.
process.exit = (code) => {
  throw new Error(`doctoc exited with status ${code}`);
};

serve((words, document) => {
  current = document.toString("utf8");
  written = null;
  process.argv = [process.argv[0], cli, ...words, VIRTUAL];
  process.exitCode = undefined;
  delete require.cache[cli];
  require(cli);
  return written === null ? document : written;
});
