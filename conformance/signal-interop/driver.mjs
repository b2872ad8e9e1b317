// Drives the real DXOS signal client (@dxos/messaging 0.8.3) for the Clatter interop tests.
// Usage: node driver.mjs ws://127.0.0.1:PORT/.well-known/dx/signal
// Commands on stdin, one JSON object a line:
//   {"cmd":"join","topic":HEX,"peer":HEX}   {"cmd":"leave","topic":HEX,"peer":HEX}
//   {"cmd":"subscribe","peer":HEX}          {"cmd":"send","from":HEX,"to":HEX,"data":HEX}
//   {"cmd":"mlisten","peer":HEX}            {"cmd":"msend","from":HEX,"to":HEX,"data":HEX}   (Messenger: ack + retry)
//   {"cmd":"close"}
// Events on stdout, one JSON object a line:
//   {"ev":"ready"} {"ev":"status","state":N} {"ev":"available","peer":HEX,"until":MS|null}
//   {"ev":"left","peer":HEX} {"ev":"message","from":HEX,"to":HEX,"type":URL,"data":HEX} {"ev":"error","error":TEXT}
//   {"ev":"reliable","from":HEX,"data":HEX} (delivered by Messenger)  {"ev":"acked","to":HEX,"data":HEX}
import { createInterface } from 'node:readline';
import { Messenger, SignalClient } from '@dxos/messaging';
import { PublicKey } from '@dxos/keys';

const url = process.argv[2];
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const key = (hex) => PublicKey.from(hex);
const hex = (k) => (typeof k === 'string' ? k : PublicKey.from(k).toHex());

const client = new SignalClient(url);
client.statusChanged.on((s) => out({ ev: 'status', state: s.state }));
client.swarmEvent.on((e) => {
  if (e.peerAvailable) {
    const until = e.peerAvailable.until ? new Date(e.peerAvailable.until).getTime() : null;
    out({ ev: 'available', peer: hex(e.peerAvailable.peer.peerKey), until });
  } else if (e.peerLeft) {
    out({ ev: 'left', peer: hex(e.peerLeft.peer.peerKey) });
  }
});
client.onMessage.on((m) => {
  out({
    ev: 'message',
    from: hex(m.author.peerKey),
    to: hex(m.recipient.peerKey),
    type: m.payload.type_url,
    data: Buffer.from(m.payload.value).toString('hex'),
  });
});

await client.open();
const messenger = new Messenger({ signalManager: client });
out({ ev: 'ready' });

const rl = createInterface({ input: process.stdin });
for await (const line of rl) {
  if (!line.trim()) continue;
  try {
    const c = JSON.parse(line);
    switch (c.cmd) {
      case 'join':
        await client.join({ topic: key(c.topic), peer: { peerKey: c.peer } });
        break;
      case 'leave':
        await client.leave({ topic: key(c.topic), peer: { peerKey: c.peer } });
        break;
      case 'subscribe':
        await client.subscribeMessages({ peerKey: c.peer });
        break;
      case 'send':
        await client.sendMessage({
          author: { peerKey: c.from },
          recipient: { peerKey: c.to },
          payload: { type_url: 'clatter.test.Payload', value: Buffer.from(c.data, 'hex') },
        });
        out({ ev: 'sent', to: c.to });
        break;
      case 'mlisten':
        await messenger.listen({
          peer: { peerKey: c.peer },
          payloadType: 'clatter.test.Reliable',
          onMessage: async (m) =>
            out({ ev: 'reliable', from: hex(m.author.peerKey), data: Buffer.from(m.payload.value).toString('hex') }),
        });
        break;
      case 'msend':
        // Not awaited: the ack may take several retries (1 s apart) while a connection comes back.
        messenger
          .sendMessage({
            author: { peerKey: c.from },
            recipient: { peerKey: c.to },
            payload: { type_url: 'clatter.test.Reliable', value: Buffer.from(c.data, 'hex') },
          })
          .then(
            () => out({ ev: 'acked', to: c.to, data: c.data }),
            (err) => out({ ev: 'error', error: 'msend: ' + String(err) }),
          );
        break;
      case 'close':
        await messenger.close();
        await client.close();
        out({ ev: 'closed' });
        process.exit(0);
        break;
      default:
        out({ ev: 'error', error: 'unknown command ' + c.cmd });
    }
  } catch (err) {
    out({ ev: 'error', error: String(err && err.stack ? err.stack : err) });
  }
}
await client.close();
process.exit(0);
