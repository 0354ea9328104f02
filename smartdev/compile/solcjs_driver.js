#!/usr/bin/env node
/*
 * smartdev's driver for solc-js (the npm `solc` package): plain Node, no npm deps.
 *
 *   node solcjs_driver.js <solcPackageDir>            one shot: standard-JSON on stdin,
 *                                                     solc's output JSON on stdout
 *   node solcjs_driver.js <solcPackageDir> --server   keep solc loaded; newline-delimited
 *                                                     {"id": N, "input": {...}} requests on stdin,
 *                                                     {"id": N, "output": {...}} answers on stdout
 *                                                     ({"id": N, "error": "..."} if solc threw);
 *                                                     exits when stdin closes
 *   node solcjs_driver.js <solcPackageDir> --daemon <socketPath> [--idle-seconds N]
 *                                                     keep solc loaded and serve the --server
 *                                                     protocol on a Unix socket, to any number of
 *                                                     connections, one request at a time in arrival
 *                                                     order (see "Daemon" below)
 *   node solcjs_driver.js <solcPackageDir> --prepare  write the fast variant (below), load it
 *                                                     once, print {"version": ...}, exit
 *   node solcjs_driver.js <solcPackageDir> --original ... load the package's own soljson.js
 *   node solcjs_driver.js <solcPackageDir> --no-warmup ... no warm-up compile while idle
 *
 * Environment: SMARTDEV_SOLCJS_V8_FLAGS replaces the V8 flags below (empty: none);
 * SMARTDEV_SOLCJS_DEBUG=1 prints timings to stderr.
 *
 * Compile errors are part of the output JSON; the exit code is 0 unless solc itself
 * could not be loaded or crashed (then a message on stderr and exit code 2/3).
 *
 * Speed. solc is loaded at once on launch, before any input arrives, so a caller can
 * spawn the driver early and write the input later; if no input is waiting once solc is
 * loaded, a tiny warm-up compile runs meanwhile (the first compile in a process costs
 * ~200 ms of one-time set-up; later ones ~20 ms for a small contract).
 * A 0.8.x soljson.js embeds its wasm as an lz4-compressed base64 string that costs
 * ~250 ms of pure JavaScript to decode on every load; 0.6/0.7 builds embed it as a base64
 * data: URI inside a 22 MB script. On first use the driver decodes it once and writes,
 * next to soljson.js, `soljson.wasm` (the binary) and `soljson-fast.js` (soljson.js
 * reading soljson.wasm instead), both atomically (temp file + rename). Builds without
 * embedded wasm (asm.js, e.g. 0.4/0.5) get a soljson-fast.js that re-exports soljson.js.
 *
 * Daemon. With --daemon the driver outlives its callers, so a later `smartdev compile`
 * skips the load: it first checks that no daemon answers on <socketPath> (else it exits 0
 * at once), loads solc, then listens (a stale socket file, where nothing listens, is
 * replaced) and writes its pid to <socketPath>.pid (atomically). It exits by itself, removing
 * both files, after --idle-seconds (default 600) without a connection or a request, when
 * the solc package is removed (checked after each request and every <=30 s), when another
 * process takes over the socket path, and on SIGTERM/SIGINT/SIGHUP. Its stdout is unused;
 * stderr is its log.
 */
'use strict';

const fs = require('fs');
const net = require('net');
const path = require('path');
const v8 = require('v8');

// V8 flags, set before the wasm is compiled (measured on 2 cores, medians):
// --wasm-lazy-validation: validate a wasm function when it is first called, not all ~20 MB
//   up front (solc runs a small part of its code for a typical compile);
// --wasm-tiering-budget (default 1.8M): tier up to TurboFan only really hot functions, so a
//   short compile is not slowed by optimizing jobs competing for the CPU. Small contract,
//   one shot: ~630 -> ~480 ms (like --liftoff-only); 34 OpenZeppelin contracts: 4.7 -> 4.2 s,
//   with the optimizer 15.5 -> 13.2 s (where --liftoff-only costs +15%).
// (--wasm-lazy-compilation is already the default of Node 20's V8; --no-wasm-tier-up,
// --single-threaded and --max-lazy were no better or worse.)
// SMARTDEV_SOLCJS_V8_FLAGS replaces them (an empty value: none).
const V8_FLAGS = process.env.SMARTDEV_SOLCJS_V8_FLAGS !== undefined
  ? process.env.SMARTDEV_SOLCJS_V8_FLAGS
  : '--wasm-lazy-validation --wasm-tiering-budget=20000000';
for (const flag of V8_FLAGS.split(/\s+/).filter(Boolean)) v8.setFlagsFromString(flag);

const FAST_JS = 'soljson-fast.js';
const FAST_WASM = 'soljson.wasm';
const IIFE_MARKER = 'Module["wasmBinary"] = ';
const DATA_URI_MARKER = 'wasmBinaryFile="data:application/octet-stream;base64,';

const DEBUG = !!process.env.SMARTDEV_SOLCJS_DEBUG;
function debug(message) {
  if (DEBUG) process.stderr.write(`smartdev-solcjs ${performance.now().toFixed(0)} ms: ${message}\n`);
}

function writeAtomic(file, data) {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
  } catch (err) {
    try { fs.unlinkSync(tmp); } catch (_) { /* already gone */ }
    throw err;
  }
}

function isWasm(bin) {
  return bin.length > 8 && bin[0] === 0 && bin[1] === 0x61 && bin[2] === 0x73 && bin[3] === 0x6d;
}

/* Split soljson.js into [fast JavaScript, wasm binary], or null if it embeds no wasm. */
function splitSoljson(src) {
  // 0.8.x: Module["wasmBinary"] = (function (source, uncompressedSize) {...})("<base64>", N);
  let start = src.indexOf(IIFE_MARKER + '(function');
  if (start >= 0) {
    const end = src.indexOf('\n', src.indexOf('})("', start));
    const expression = src.slice(start + IIFE_MARKER.length, end).replace(/;\s*$/, '');
    const bin = Buffer.from((0, eval)(expression)); // the build's own decoder, run once
    if (!isWasm(bin)) throw new Error('the embedded wasm did not decode to a wasm module');
    const load = 'require("fs").readFileSync(require("path").join(__dirname, "soljson.wasm"));';
    return [src.slice(0, start) + IIFE_MARKER + load + src.slice(end), bin];
  }
  // 0.6.x/0.7.x: var wasmBinaryFile="data:application/octet-stream;base64,<base64>";
  start = src.indexOf(DATA_URI_MARKER);
  if (start >= 0) {
    const dataStart = start + DATA_URI_MARKER.length;
    const end = src.indexOf('"', dataStart);
    const bin = Buffer.from(src.slice(dataStart, end), 'base64');
    if (!isWasm(bin)) throw new Error('the embedded data: URI is not a wasm module');
    // Not a data: URI any more, so emscripten reads it with locateFile() + readBinary(),
    // i.e. fs.readFileSync(__dirname + "/soljson.wasm").
    return [src.slice(0, start) + 'wasmBinaryFile="soljson.wasm"' + src.slice(end + 1), bin];
  }
  return null;
}

/* Write soljson.wasm + soljson-fast.js next to soljson.js (wasm first: fast.js marks completion). */
function prepareFast(dir) {
  for (const name of fs.readdirSync(dir)) { // temp files of a crashed earlier attempt
    if (/^soljson.*\.tmp$/.test(name)) {
      const file = path.join(dir, name);
      try {
        if (Date.now() - fs.statSync(file).mtimeMs > 3600e3) fs.unlinkSync(file);
      } catch (_) { /* someone else's */ }
    }
  }
  const split = splitSoljson(fs.readFileSync(path.join(dir, 'soljson.js'), 'latin1'));
  if (split === null) {
    writeAtomic(path.join(dir, FAST_JS), '// no embedded wasm (asm.js build)\nmodule.exports = require("./soljson.js");\n');
    return;
  }
  writeAtomic(path.join(dir, FAST_WASM), split[1]);
  writeAtomic(path.join(dir, FAST_JS), Buffer.from(split[0], 'latin1'));
}

function loadSoljson(dir, original) {
  if (!original) {
    const fast = path.join(dir, FAST_JS);
    try {
      if (!fs.existsSync(fast)) {
        fs.accessSync(dir, fs.constants.W_OK); // read-only (e.g. system-wide) install: original
        prepareFast(dir);
      }
      return require(fast);
    } catch (err) {
      process.stderr.write(`smartdev: using the original soljson.js (fast variant failed: ${err.message})\n`);
    }
  }
  return require(path.join(dir, 'soljson.js'));
}

function packageVersion(dir) {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version || '';
  } catch (_) {
    return '';
  }
}

function loadSolc(dir, original) {
  const soljson = loadSoljson(dir, original);
  const wrapper = require(path.join(dir, 'wrapper.js'));
  const setup = typeof wrapper === 'function' ? wrapper : wrapper.default;
  return setup(soljson);
}

// Compiled while the driver waits for its first input, so that solc's one-time set-up
// (lazily built tables, memory growth, first calls of wasm functions) is already done when
// the real input arrives. Valid Solidity from 0.4.21 on; older versions still warm up.
const WARMUP_INPUT = JSON.stringify({
  language: 'Solidity',
  sources: { 'smartdev-warmup.sol': { content: 'contract SmartdevWarmup { uint x; event E(uint v); function f(uint a) public returns (uint) { x = a; emit E(a); return a + 1; } }\n' } },
  settings: {
    optimizer: { enabled: false, runs: 200 },
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
  },
});

function readCallback(file) {
  return { error: `File not found: ${file}` };
}

/* Calls onLine(line) for each complete newline-terminated line of a text stream. */
function lineSplitter(onLine) {
  let pending = []; // pieces of a line not yet complete
  return (chunk) => {
    let newline;
    while ((newline = chunk.indexOf('\n')) >= 0) { // only the new chunk is scanned
      pending.push(chunk.slice(0, newline));
      chunk = chunk.slice(newline + 1);
      const line = pending.join('');
      pending = [];
      if (line.trim()) onLine(line);
    }
    if (chunk) pending.push(chunk);
  };
}

/* One request line of the --server/--daemon protocol -> [answer line, solc is broken]. */
function answer(compile, line) {
  let request;
  try {
    request = JSON.parse(line);
  } catch (err) {
    return [JSON.stringify({ id: null, error: `bad request: ${err.message}` }) + '\n', false];
  }
  const id = request.id === undefined ? null : request.id;
  const input = typeof request.input === 'string' ? request.input : JSON.stringify(request.input);
  let output;
  try {
    output = compile(input);
  } catch (err) {
    // A WebAssembly.RuntimeError leaves solc's state unusable.
    return [JSON.stringify({ id, error: String(err && err.stack || err) }) + '\n',
      err instanceof WebAssembly.RuntimeError];
  }
  debug(`compiled request ${id}`);
  if (output.indexOf('\n') >= 0) output = JSON.stringify(JSON.parse(output));
  return [`{"id":${JSON.stringify(id)},"output":${output}}\n`, false];
}

function parseArgs(argv) {
  const options = { dir: null, flags: new Set(), socket: null, idleSeconds: 600 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--daemon') options.socket = argv[++i] || '';
    else if (arg === '--idle-seconds') options.idleSeconds = Number(argv[++i]);
    else if (arg.startsWith('--')) options.flags.add(arg);
    else if (options.dir === null) options.dir = arg;
  }
  return options;
}

function load(solcDir, flags) {
  let solc;
  try {
    if (flags.has('--prepare')) {
      try {
        prepareFast(solcDir);
      } catch (err) {
        process.stderr.write(`smartdev: no fast variant of soljson.js: ${err.message}\n`);
      }
    }
    solc = loadSolc(solcDir, flags.has('--original'));
  } catch (err) {
    process.stderr.write(`smartdev: cannot load solc-js from ${solcDir}: ${err && err.stack || err}\n`);
    process.exit(2);
  }
  // solc-js before 0.5 takes the import callback as a bare function, later ones as {import}.
  const [major, minor] = packageVersion(solcDir).split('.').map(Number);
  const callbacks = major === 0 && minor < 5 ? readCallback : { import: readCallback };
  debug(`solc ${solc.version()} loaded`);
  return [solc, (input) => solc.compile(input, callbacks)];
}

function main() {
  const options = parseArgs(process.argv.slice(2));
  const { dir, flags } = options;
  const daemon = options.socket !== null;
  if (!dir || (daemon && (!options.socket || !(options.idleSeconds > 0)))) {
    process.stderr.write('usage: node solcjs_driver.js <solcPackageDir> '
      + '[--server|--prepare|--daemon <socketPath> [--idle-seconds N]] [--original] [--no-warmup]\n');
    process.exit(64);
  }
  const solcDir = path.resolve(dir);
  if (daemon) {
    const socketPath = path.resolve(options.socket);
    // Another daemon already there: nothing to do (and no solc to load).
    const probe = net.connect(socketPath);
    probe.on('connect', () => { probe.destroy(); debug('a daemon already listens'); process.exit(0); });
    probe.on('error', () => {
      probe.destroy();
      const [, compile] = load(solcDir, flags);
      runDaemon(solcDir, socketPath, options.idleSeconds * 1000, compile, !flags.has('--no-warmup'));
    });
    return;
  }
  const [solc, compile] = load(solcDir, flags);
  if (flags.has('--prepare')) {
    process.stdout.write(JSON.stringify({ version: solc.version() }) + '\n');
    return;
  }

  // Nothing to do until input arrives: warm solc up meanwhile (skipped if input is waiting).
  let received = false;
  if (!flags.has('--no-warmup')) {
    setImmediate(() => {
      if (received) return;
      try { compile(WARMUP_INPUT); } catch (_) { /* only a warm-up */ }
      debug('warmed up');
    });
  }
  process.stdin.setEncoding('utf8');

  if (!flags.has('--server')) {
    let input = '';
    process.stdin.on('data', (chunk) => { received = true; input += chunk; });
    process.stdin.on('end', () => {
      received = true;
      let output;
      try {
        output = compile(input);
      } catch (err) {
        process.stderr.write(`smartdev: solc-js crashed: ${err && err.stack || err}\n`);
        process.exit(3);
      }
      debug('compiled');
      process.stdout.write(output);
    });
    return;
  }

  const split = lineSplitter((line) => {
    const [text, broken] = answer(compile, line);
    process.stdout.write(text);
    if (broken) process.exit(3); // solc's state is gone
  });
  process.stdin.on('data', (chunk) => { received = true; split(chunk); });
  process.stdin.on('end', () => { received = true; split('\n'); }); // a last line without newline
}

/* --daemon: serve the --server protocol on a Unix socket until idle (see the top). */
function runDaemon(solcDir, socketPath, idleMs, compile, warmup) {
  const pidFile = `${socketPath}.pid`;
  const connections = new Set();
  let lastActivity = Date.now();
  let received = false;
  let identity = null; // dev:ino:ctime of our socket file, to tell it from a successor's
  let stopping = false;
  let serverClosed = false;
  let exitCode = 0;
  let server = null;

  const fileIdentity = (file) => {
    try {
      const st = fs.statSync(file);
      return `${st.dev}:${st.ino}:${st.ctimeMs}`;
    } catch (_) {
      return null;
    }
  };
  const ownsSocket = () => identity !== null && fileIdentity(socketPath) === identity;
  const ownsPidFile = () => {
    try { return fs.readFileSync(pidFile, 'utf8').trim() === String(process.pid); } catch (_) { return false; }
  };
  const removeFiles = () => {
    if (ownsSocket()) try { fs.unlinkSync(socketPath); } catch (_) { /* gone */ }
    if (ownsPidFile()) try { fs.unlinkSync(pidFile); } catch (_) { /* gone */ }
  };
  const packageExists = () => fs.existsSync(path.join(solcDir, 'soljson.js'));
  const maybeExit = () => {
    if (stopping && serverClosed && connections.size === 0) process.exit(exitCode);
  };
  const closeServer = () => {
    if (serverClosed) return;
    serverClosed = true;
    server.close();
    maybeExit();
  };
  // Stop: take the files away at once (new callers then start a new daemon), still serve
  // connections already waiting in the listen backlog, and exit once every connection is
  // closed (endConnections: close them now instead of waiting for their callers).
  const shutdown = (reason, endConnections) => {
    if (stopping) return;
    stopping = true;
    debug(`stopping: ${reason}`);
    if (reason !== 'idle') process.stderr.write(`smartdev: solc-js daemon ${process.pid} stopping: ${reason}\n`);
    removeFiles();
    setTimeout(() => {
      if (endConnections) endAll();
      closeServer();
    }, 100);
  };
  // Close every connection: after what was written to it, or at once 1 s later.
  const endAll = () => {
    for (const conn of connections) conn.end();
    setTimeout(() => { for (const conn of connections) conn.destroy(); }, 1000);
  };

  server = net.createServer((conn) => {
    connections.add(conn);
    lastActivity = Date.now();
    conn.setEncoding('utf8');
    conn.on('data', lineSplitter((line) => {
      received = true;
      lastActivity = Date.now();
      const [text, broken] = answer(compile, line);
      if (!conn.destroyed) conn.write(text);
      lastActivity = Date.now();
      if (broken) {
        exitCode = 3;
        shutdown('solc-js crashed', true);
      } else if (!packageExists()) {
        shutdown(`the solc package ${solcDir} was removed`, true);
      }
    }));
    conn.on('error', () => { /* the caller went away; 'close' follows */ });
    conn.on('close', () => {
      connections.delete(conn);
      lastActivity = Date.now();
      maybeExit();
    });
  });

  let attempts = 0;
  server.on('error', (err) => {
    if (err.code === 'EADDRINUSE' && attempts < 5) {
      attempts += 1;
      const probe = net.connect(socketPath);
      probe.on('connect', () => { probe.destroy(); debug('a daemon already listens'); process.exit(0); });
      probe.on('error', () => { // nothing listens there: a stale socket (or some other file)
        probe.destroy();
        try { fs.unlinkSync(socketPath); } catch (_) { /* someone else removed it */ }
        server.listen(socketPath);
      });
      return;
    }
    process.stderr.write(`smartdev: the solc-js daemon cannot listen on ${socketPath}: ${err.message}\n`);
    process.exit(2);
  });
  server.on('listening', () => {
    identity = fileIdentity(socketPath);
    try {
      writeAtomic(pidFile, `${process.pid}\n`);
    } catch (err) {
      process.stderr.write(`smartdev: cannot write ${pidFile}: ${err.message}\n`);
    }
    debug(`listening on ${socketPath}`);
    setInterval(() => {
      if (stopping) return;
      if (!ownsSocket()) { // removed, or taken over by another daemon: leave quietly
        stopping = true;
        if (ownsPidFile()) try { fs.unlinkSync(pidFile); } catch (_) { /* gone */ }
        endAll();
        closeServer();
      } else if (!packageExists()) {
        shutdown(`the solc package ${solcDir} was removed`, true);
      } else if (connections.size === 0 && Date.now() - lastActivity >= idleMs) {
        shutdown('idle', false);
      }
    }, Math.max(50, Math.min(30000, idleMs / 4)));
    if (warmup) {
      setImmediate(() => {
        if (received) return;
        try { compile(WARMUP_INPUT); } catch (_) { /* only a warm-up */ }
        debug('warmed up');
      });
    }
  });
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) {
    process.on(signal, () => {
      debug(signal);
      removeFiles();
      process.exit(0);
    });
  }
  server.listen(socketPath);
}

main();
