// A real SMTP server on 127.0.0.1 for tests (no mock of libcurl): it records what it receives and
// can fail the ways a real server fails. Node only, no dependency.
//
// As a module:
//   import { startSink } from '../smtp-sink/sink.mjs';
//   const sink = await startSink({ port: 0, mode: 'accept' });  // sink.port, sink.messages
//   sink.setMode('refuse-temporary');  await sink.close();
// As a program (JSON lines on stdout: {"event":"listening","port":N}, then one per message):
//   node tests/smtp-sink/sink.mjs [--port N] [--mode MODE] [--out DIR]
//
// Modes: accept | close (closes each connection at once) | refuse-temporary (421 greeting) |
// refuse-permanent (550 to RCPT TO) | drop-after-data (reads the message, closes without answer).
// A message: { from, to: [..], data } where data is the raw RFC 5322 text (CRLF, dot-unstuffed);
// decodeBody(data) gives the quoted-printable body as text.
import { mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MODES = new Set(['accept', 'close', 'refuse-temporary', 'refuse-permanent', 'drop-after-data']);

function angle(line) {
  const match = /<([^>]*)>/.exec(line);
  return match ? match[1] : '';
}

export async function startSink({ port = 0, mode = 'accept', onMessage = () => {} } = {}) {
  if (!MODES.has(mode)) throw new Error(`unknown mode ${mode}`);
  let currentMode = mode;
  const messages = [];
  const sockets = new Set();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    const connectionMode = currentMode;
    if (connectionMode === 'close') { socket.destroy(); return; }
    if (connectionMode === 'refuse-temporary') {
      socket.end('421 4.3.2 Service not available, try again later\r\n');
      return;
    }
    socket.write('220 sink.test ESMTP test sink\r\n');
    let buffer = '';
    let inData = false;
    let message = { from: '', to: [], data: '' };
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      let end;
      while ((end = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            if (connectionMode === 'drop-after-data') { socket.destroy(); return; }
            const received = { ...message, data: Buffer.from(message.data, 'latin1').toString('utf8') };
            messages.push(received);
            onMessage(received);
            socket.write('250 2.0.0 Queued\r\n');
          } else {
            message.data += (line.startsWith('.') ? line.slice(1) : line) + '\r\n';
          }
          continue;
        }
        const command = line.split(' ')[0].toUpperCase();
        if (command === 'EHLO') socket.write('250-sink.test\r\n250 SIZE 1000000\r\n');
        else if (command === 'HELO' || command === 'NOOP') socket.write('250 OK\r\n');
        else if (command === 'RSET') { message = { from: '', to: [], data: '' }; socket.write('250 OK\r\n'); }
        else if (command === 'MAIL') { message = { from: angle(line), to: [], data: '' }; socket.write('250 OK\r\n'); }
        else if (command === 'RCPT') {
          if (connectionMode === 'refuse-permanent') socket.write('550 5.1.1 Mailbox unavailable\r\n');
          else { message.to.push(angle(line)); socket.write('250 OK\r\n'); }
        } else if (command === 'DATA') { inData = true; socket.write('354 End data with <CR><LF>.<CR><LF>\r\n'); }
        else if (command === 'QUIT') { socket.end('221 2.0.0 Bye\r\n'); return; }
        else socket.write('502 5.5.2 Command not recognized\r\n');
      }
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    port: server.address().port,
    messages,
    setMode(next) {
      if (!MODES.has(next)) throw new Error(`unknown mode ${next}`);
      currentMode = next;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

// The text of a quoted-printable body (after the blank line), UTF-8.
export function decodeBody(data) {
  const body = data.slice(data.indexOf('\r\n\r\n') + 4).replace(/=\r\n/g, '');
  const bytes = [];
  for (let i = 0; i < body.length; i += 1) {
    if (body[i] === '=' && /^[0-9A-F]{2}$/.test(body.slice(i + 1, i + 3))) {
      bytes.push(parseInt(body.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(body.charCodeAt(i));
    }
  }
  return Buffer.from(bytes).toString('utf8').replace(/\r\n/g, '\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const option = (name, fallback) => {
    const at = args.indexOf(name);
    return at >= 0 && at + 1 < args.length ? args[at + 1] : fallback;
  };
  const out = option('--out', '');
  if (out) mkdirSync(out, { recursive: true });
  let count = 0;
  const sink = await startSink({
    port: Number(option('--port', '0')),
    mode: option('--mode', 'accept'),
    onMessage(message) {
      count += 1;
      if (out) writeFileSync(join(out, `${count}.json`), JSON.stringify(message));
      process.stdout.write(`${JSON.stringify({ event: 'message', ...message })}\n`);
    },
  });
  process.stdout.write(`${JSON.stringify({ event: 'listening', port: sink.port })}\n`);
  const stop = async () => { await sink.close(); process.exit(0); };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
