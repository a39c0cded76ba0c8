'use strict';

// The seed's MyProtocol served by a service in another language: a plain Node.js client of PeerMesh's TCP event-bus
// bridge (no npm package), which is what a team serving a devp2p capability from outside the JVM writes. It
// registers on the capability's address, answers each ["foo"] with ["bar"] through the send command, and reports
// what it received and what the node acknowledged as JSON lines for the Java test.
//
//   node bus-my-protocol.js --port <bridge port> [--prefix peermesh]

const net = require('net');
const {emit, describe, parseOptions, readCommands} = require('../json-lines');

const option = parseOptions(process.argv.slice(2), [], 'BUS_MY_PROTOCOL_');
const prefix = option('prefix', 'peermesh');
const capability = 'MyProtocol';
const socket = net.connect(Number(option('port')), option('host', '127.0.0.1'));

/** A bridge frame: a 4-byte big-endian length, then the JSON object in UTF-8. */
function frame(object) {
  const body = Buffer.from(JSON.stringify(object), 'utf8');
  const header = Buffer.alloc(4);
  header.writeUInt32BE(body.length);
  return Buffer.concat([header, body]);
}

let pending = Buffer.alloc(0);
socket.on('data', (chunk) => {
  pending = Buffer.concat([pending, chunk]);
  while (pending.length >= 4 && pending.length >= 4 + pending.readUInt32BE(0)) {
    const message = JSON.parse(pending.subarray(4, 4 + pending.readUInt32BE(0)).toString('utf8'));
    pending = pending.subarray(4 + pending.readUInt32BE(0));
    handle(message);
  }
});

function handle(message) {
  if (message.type === 'err') {
    emit({event: 'error', message: JSON.stringify(message)});
  } else if (message.address === 'registered') {
    emit({event: 'registered', body: message.body});
  } else if (message.address === `${prefix}.devp2p.${capability}.0`) {
    const {peer, items} = message.body;
    emit({event: 'received', peer, items});
    // Items arrive as nested JSON, strings as 0x hex: "foo" is 0x666f6f. A plain string goes back as its UTF-8.
    if (Array.isArray(items) && items[0] === '0x' + Buffer.from('foo').toString('hex')) {
      socket.write(frame({type: 'send', address: `${prefix}.devp2p.command.send`, replyAddress: 'sent',
        body: {peer, capability, code: 0, items: ['bar']}}));
    }
  } else if (message.address === 'sent') {
    emit({event: 'sent', body: message.body});
  }
}

socket.on('connect', () => {
  // The bridge acknowledges a registration on its replyAddress once the consumer is in place, cluster-wide.
  socket.write(frame({type: 'register', address: `${prefix}.devp2p.${capability}.0`, replyAddress: 'registered'}));
});
socket.on('error', (err) => emit({event: 'error', message: describe(err)}));
socket.on('close', () => {
  emit({event: 'closed'});
  process.exit(0);
});
readCommands(() => {}, () => socket.destroy());
