// The fuzz targets' oracle servers (doctoc-server.js, markdown-toc-server.js) speak this on
// stdin and stdout, each field a little-endian u32 length and its bytes:
//   request: ARGS (a JSON array of command-line words), DOCUMENT (UTF-8)
//   answer:  one status byte, then TEXT: 0 = the tool ran, TEXT is the file after it (the
//            document itself where the tool left it alone); 1 = the tool threw, TEXT says what.
// Synchronous reads and writes on the file descriptors: the tools' own output (logs) must not
// reach stdout, and the servers answer one request at a time.
"use strict";

const fs = require("fs");

function readExact(n) {
  const buffer = Buffer.alloc(n);
  let got = 0;
  while (got < n) {
    let read;
    try {
      read = fs.readSync(0, buffer, got, n - got, null);
    } catch (e) {
      if (e.code === "EAGAIN") continue;
      throw e;
    }
    if (read === 0) return null;
    got += read;
  }
  return buffer;
}

function readField() {
  const header = readExact(4);
  if (header === null) return null;
  const length = header.readUInt32LE(0);
  return length === 0 ? Buffer.alloc(0) : readExact(length);
}

function writeAll(buffer) {
  let off = 0;
  while (off < buffer.length) {
    try {
      off += fs.writeSync(1, buffer, off, buffer.length - off);
    } catch (e) {
      if (e.code !== "EAGAIN") throw e;
    }
  }
}

function answer(status, text) {
  const header = Buffer.alloc(5);
  header.writeUInt8(status, 0);
  header.writeUInt32LE(text.length, 1);
  writeAll(Buffer.concat([header, text]));
}

/// Answers requests until stdin ends: `run(words, document)` gives the file after the tool
/// (a Buffer), or throws.
function serve(run) {
  for (;;) {
    const args = readField();
    if (args === null) return;
    const document = readField();
    if (document === null) return;
    let result;
    try {
      result = run(JSON.parse(args.toString("utf8")), document);
    } catch (e) {
      answer(1, Buffer.from(String(e && e.stack ? e.stack : e), "utf8"));
      continue;
    }
    answer(0, result);
  }
}

module.exports = { serve };
