// markdown-toc 1.2.0's `markdown-toc -i ARGS... FILE`, kept running for the `markdown_toc` fuzz
// target: each request is one run on a document held in memory, answered with what it writes
// (the protocol: framing.js).
//
//   node markdown-toc-server.js TOOL_DIR     (TOOL_DIR: ../shared/tools/markdown-toc-1.2.0)
//
// The command line's own steps, as tests/markdown_toc_oracle.rs's driver takes them: its
// minimist (the one markdown-toc's utils load) with the options its cli.js declares, then
// `insert` on the file's text and a write of the result (UTF-8). cli.js itself reads the file
// through a stream, which would answer after this synchronous loop; these are its only steps.
"use strict";

const path = require("path");
const { serve } = require("./framing");

const toolDir = process.argv[2];
if (!toolDir) {
  process.stderr.write("usage: node markdown-toc-server.js TOOL_DIR\n");
  process.exit(2);
}
const toc = require(path.resolve(toolDir, "node_modules/markdown-toc"));
const utils = require(path.resolve(toolDir, "node_modules/markdown-toc/lib/utils"));

serve((words, document) => {
  const args = utils.minimist([...words, "-i", "document.md"], {
    boolean: ["i", "json", "firsth1", "stripHeadingTags"],
    string: ["append", "bullets"],
    default: { firsth1: true, stripHeadingTags: true },
  });
  return Buffer.from(toc.insert(document.toString(), args), "utf8");
});
