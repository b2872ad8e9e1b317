// Runs one real clacks-p2p 0.3.3 node for the Clatter interop tests and benchmark.
//
//   node driver.js '{"hostname":"127.0.0.1","port":9101,"sendrate":20,"key":"k.pem","cert":"c.pem"}'
//
// Binds 127.0.0.1 only (clacks-p2p itself listens on every interface), moves clacks-p2p's console output to
// stderr, prints one JSON event per line on stdout (ready, wire, received, queued, peerDiscovered, peerUpdated,
// reply, error) and reads one JSON command per line on stdin (enqueue, enqueueMany, addPeer, announce, ignore,
// peers, peek, stats, exit). It exits when stdin closes, so a dead test JVM never leaks nodes.
'use strict';

const fs = require('fs');
const https = require('https');
const readline = require('readline');

const opts = JSON.parse(process.argv[2] || '{}');
const emit = (o) => process.stdout.write(JSON.stringify(o) + '\n');

console.log = console.error; // clacks-p2p prints stack traces with console.log
process.on('uncaughtException', (e) => {
  emit({ event: 'error', code: e && e.code, message: String(e && e.message || e) });
  process.exit(3);
});

const listen = https.Server.prototype.listen;
https.Server.prototype.listen = function (port, ...rest) {
  if (rest.length === 0 || typeof rest[0] !== 'string') {
    return listen.call(this, port, '127.0.0.1', ...rest);
  }
  return listen.call(this, port, ...rest);
};

const Clacks = require('clacks-p2p');
const clacks = Clacks(fs.readFileSync(opts.key), fs.readFileSync(opts.cert), {
  hostname: opts.hostname || '127.0.0.1',
  port: opts.port,
  sendrate: opts.sendrate || 10,
});
if (opts.killtimeout !== undefined) {
  clacks.getOptions().killtimeout = opts.killtimeout;
}

const stats = { received: 0, queued: 0, wire: 0 };
const quiet = !!opts.quiet; // benchmark mode: count, do not print per-message events
const peerView = (p) => ({ hostname: p.hostname, port: p.port, status: p.status });

clacks.extend(function (peer, payload, req) {
  stats.wire++;
  if (!quiet) {
    emit({ event: 'wire', method: req.method, url: req.url, headers: req.headers, payload });
  }
  return true;
});
clacks.onMessageRecieved(function (payload) {
  stats.received++;
  if (!quiet) {
    emit({ event: 'received', message: payload.message, sender: payload.sender, friend: payload.friend || null });
  }
});
clacks.onMessageQueued(function (message) {
  stats.queued++;
  if (!quiet) {
    emit({ event: 'queued', message });
  }
});
clacks.onPeerDiscovered((p) => emit({ event: 'peerDiscovered', peer: peerView(p) }));
clacks.onPeerUpdated((p) => emit({ event: 'peerUpdated', peer: peerView(p) }));

function allPeers() {
  const all = clacks.getPeers();
  const out = [];
  for (const status of Object.keys(all)) {
    for (const id of Object.keys(all[status])) {
      out.push(peerView(all[status][id]));
    }
  }
  return out;
}

const rl = readline.createInterface({ input: process.stdin });
rl.on('line', (line) => {
  let c;
  try {
    c = JSON.parse(line);
  } catch (e) {
    emit({ event: 'reply', error: 'bad command' });
    return;
  }
  switch (c.cmd) {
    case 'enqueue': clacks.enqueue(c.message); break;
    case 'enqueueMany':
      for (let i = 0; i < c.count; i++) clacks.enqueue((c.prefix || 'm') + i);
      break;
    case 'addPeer': clacks.addPeer(c.hostname, c.port, c.status); break;
    case 'announce': clacks.announce(c.hostname, c.port); break;
    case 'ignore': clacks.ignore(c.hostname, c.port); break;
    case 'peers': emit({ event: 'reply', id: c.id, peers: allPeers() }); return;
    case 'peek': emit({ event: 'reply', id: c.id, queue: clacks.peek().slice(0, 100), length: clacks.peek().length }); return;
    case 'stats': {
      if (c.gc && typeof global.gc === 'function') global.gc(); // run node with --expose-gc for heap figures
      const m = process.memoryUsage();
      emit({ event: 'reply', id: c.id, stats, queue: clacks.peek().length, rss: m.rss, heapUsed: m.heapUsed });
      return;
    }
    case 'exit': process.exit(0); return;
    default: emit({ event: 'reply', id: c.id, error: 'unknown command ' + c.cmd }); return;
  }
  emit({ event: 'reply', id: c.id, ok: c.cmd });
});
rl.on('close', () => process.exit(0));

setImmediate(() => emit({ event: 'ready', port: opts.port, pid: process.pid }));
