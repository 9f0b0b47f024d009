// Starts the real `passerelle` binary for the browser tests, on a temporary SQLite database with
// the demonstration data, plus a tiny stub standing in for the neutral site the quick exit leads
// to. Everything listens on 127.0.0.1 only.
//
//   const server = await startServer();   // { baseUrl, exitDestination, db, dataDir, stop() }
//   after(() => server.stop());
//   startServer({ extraArgs: ['--smtp-url', …] }) adds options to `serve` (the professional space).
//   startServer({ demo: false }) serves a database without the demonstration data.
//   server.restart({ extraArgs }) serves the same database again, at the same address.
//
// PASSERELLE_BIN overrides the binary (default: build/passerelle at the repository root).

import { spawn, execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

const kStartupTimeoutMs = 15_000;
const kStopTimeoutMs = 5_000;
const kCommandTimeoutMs = 60_000;

const run = promisify(execFile);

export function binaryPath() {
  return process.env.PASSERELLE_BIN || join(repoRoot, 'build', 'passerelle');
}

function listen(server, port) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server.address().port));
  });
}

function close(server) {
  return new Promise((resolve) => server.close(() => resolve()));
}

// A port that was free a moment ago (the kernel picks it; we release it for the server).
async function freePort() {
  const probe = net.createServer();
  const port = await listen(probe, 0);
  await close(probe);
  return port;
}

// The neutral site: answers 200 "neutre" to everything.
async function startExitStub() {
  const stub = http.createServer((request, response) => {
    request.resume();
    response.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
    response.end('neutre');
  });
  const port = await listen(stub, 0);
  return { stub, port };
}

async function runCommand(args) {
  try {
    await run(binaryPath(), args, { cwd: repoRoot, timeout: kCommandTimeoutMs });
  } catch (error) {
    throw new Error(
      `passerelle ${args[0]} failed (${error.code ?? error.signal}):\n${error.stderr ?? ''}${error.stdout ?? ''}`,
    );
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitUntilHealthy(baseUrl, child, output) {
  const deadline = Date.now() + kStartupTimeoutMs;
  let lastProblem = 'no answer';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `passerelle serve exited early (${child.exitCode ?? child.signalCode}):\n${output.join('')}`,
      );
    }
    try {
      const response = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      if (response.status === 200) return;
      lastProblem = `GET /healthz answered ${response.status}`;
    } catch (error) {
      lastProblem = error.cause?.code ?? error.message;
    }
    await sleep(100);
  }
  throw new Error(
    `passerelle serve did not become healthy within ${kStartupTimeoutMs} ms (${lastProblem}):\n${output.join('')}`,
  );
}

function stopChild(child) {
  const gone = child.pid === undefined || child.exitCode !== null || child.signalCode !== null;
  if (gone) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), kStopTimeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export async function startServer({ extraArgs = [], demo = true } = {}) {
  const tmp = await mkdtemp(join(tmpdir(), 'passerelle-e2e-'));
  const { stub, port: stubPort } = await startExitStub();
  let child = null;
  const stop = async () => {
    if (child) await stopChild(child);
    await close(stub);
    await rm(tmp, { recursive: true, force: true });
  };
  try {
    const db = `sqlite:${join(tmp, 'p.db')}`;
    await access(binaryPath(), constants.X_OK).catch(() => {
      throw new Error(`${binaryPath()} is not an executable: build it first (make) or set PASSERELLE_BIN`);
    });
    await runCommand(['migrate', '--db', db]);
    if (demo) await runCommand(['demo', '--db', db, '--data-dir', join(tmp, 'data')]);
    await runCommand(['gazetteer', 'load', '--db', db]); // communes for /annuaire (build/gazetteer/communes.csv)

    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const exitDestination = `http://127.0.0.1:${stubPort}/neutre`;
    const output = [];
    const serve = async (args) => {
      child = spawn(
        binaryPath(),
        ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--data-dir', join(tmp, 'data'),
          '--exit-url', exitDestination, ...args],
        { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      child.on('error', (error) => output.push(`spawn error: ${error.message}\n`));
      child.stdout.on('data', (chunk) => output.push(chunk.toString()));
      child.stderr.on('data', (chunk) => output.push(chunk.toString()));
      await waitUntilHealthy(baseUrl, child, output);
    };
    await serve(extraArgs);
    // The same database, data directory and address, served again with `args` (what an operator
    // does to start a territory's site with `--territory`, or to load the territories again).
    const restart = async ({ extraArgs: args = extraArgs } = {}) => {
      await stopChild(child);
      await serve(args);
    };
    return { baseUrl, exitDestination, stop, restart, output, db, dataDir: join(tmp, 'data') };
  } catch (error) {
    await stop();
    throw error;
  }
}
