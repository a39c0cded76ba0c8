'use strict';

// A real @wharfkit/antelope 1.2.0 P2P client for the Antelope interop tests (org.peermesh.testing.antelope
// .WharfkitClient starts it): a P2PClient over a SimpleEnvelopeP2PProvider over a net.Socket, set up as wharfkit's
// P2P guide shows, that dials one peer, sends a handshake and reports everything it receives. One connection per
// process: the process exits once the connection has closed, or when standard input closes.
//
//   node p2p-client.js --port N --chain-id HEX [--host 127.0.0.1] [--p2p-address S] [--unsigned]
//                      [--heartbeat-ms N] [--generation N] [--handshake JSON]
//
// Every option may come from the environment instead: --chain-id as ANTELOPE_CHAIN_ID, --unsigned as
// ANTELOPE_UNSIGNED=1 and so on. --unsigned sends the all-zero key, token and signature. --heartbeat-ms turns on
// P2PClient's heartbeatTimoutMs (sic): a time_message {org: Date.now() in ms, rec 0, xmt 0, dst 0} every N ms.
// --generation is the first handshake's (default 1: nodeos checks a handshake's chain and key, and answers it, only
// when its generation is 1; the guide's 4 gets no answer from nodeos). --handshake overrides fields of the first
// handshake, as the handshake command below does.
//
// Standard output, one JSON object a line:
//   {"event":"ready","key":"PUB_K1_...","nodeId":HEX}   connected; the handshake follows at once
//   {"event":"sent","type":T,"json":{...}}               a message written to the socket
//   {"event":"message","type":T,"json":{...},"hex":H}    a message received: T its variant name, json wharfkit's
//                                                        JSON of it, hex its payload (variant index and fields);
//                                                        a signed_block also has "blockId", wharfkit's id of it
//   {"event":"handshake_verified","ok":B,"signed":B,"tokenOk":B,"recovered":"PUB_K1_..."|null}
//                                                        after each handshake_message received: ok when the key
//                                                        recovered from sig over token is its key and token is
//                                                        sha256(int64 LE time)
//   {"event":"error","message":M[,"hex":H]}              a socket error, an undecodable message, a bad command
//   {"event":"close"}                                    the connection has closed
// Standard input, one JSON object a line:
//   {"send":T,"message":{...}}   sends the NetMessage variant T (e.g. "sync_request_message") from wharfkit JSON
//   {"handshake":{...}}          sends another handshake: fields given override the defaults; time is now unless
//                                given, token and sig are made for that time unless given; generation counts on
//   {"close":true}               ends the connection

const net = require('net');
const {Checksum256, P2P, P2PClient, SimpleEnvelopeP2PProvider} = require('@wharfkit/antelope');
const common = require('./antelope-common');

const option = common.parseOptions(process.argv.slice(2), ['unsigned']);

function required(name) {
  const value = option(name);
  if (value === undefined)
    throw new Error(`--${name} is required`);
  return value;
}

const host = option('host', '127.0.0.1');
const port = Number(required('port'));
const chainId = Checksum256.from(required('chain-id'));
const identity = common.handshakeIdentity(!option('unsigned', false));
const nodeId = common.randomNodeId();
const heartbeatMs = option('heartbeat-ms');
const firstGeneration = Number(option('generation', '1'));
const firstOverrides = JSON.parse(option('handshake', '{}'));

const socket = new net.Socket();
const provider = new SimpleEnvelopeP2PProvider(socket);
// Registered before the P2PClient's own handler, so it sees each payload just before the client decodes it: the
// events can carry the raw bytes (a nodeos go_away, which wharfkit decodes with its node_id shifted, for one).
let currentPayloadHex = null;
provider.on('data', (payload) => {
  currentPayloadHex = Buffer.from(payload).toString('hex');
});
const client = new P2PClient({
  provider,
  heartbeatTimoutMs: heartbeatMs === undefined ? undefined : Number(heartbeatMs)
});

let handshakesSent = 0;

function send(value) {
  const message = P2P.NetMessage.from(value);
  client.send(message.value);
  common.emit({event: 'sent', type: message.variantName, json: common.toJson(message.value)});
}

function sendHandshake(overrides) {
  handshakesSent++;
  const time = overrides.time !== undefined ? overrides.time : common.nowNs();
  const {token, sig} = identity.sign(time);
  const address = `${socket.localAddress}:${socket.localPort} - ${nodeId.hexString.slice(0, 7)}`;
  send(P2P.HandshakeMessage.from({
    networkVersion: common.NETWORK_VERSION,
    chainId,
    nodeId,
    key: identity.publicKey,
    token,
    sig,
    p2pAddress: option('p2p-address', address),
    // No chain of its own: nothing irreversible, no head.
    lastIrreversibleBlockNumber: 0,
    lastIrreversibleBlockId: common.ZERO_BLOCK_ID,
    headNum: 0,
    headId: common.ZERO_BLOCK_ID,
    os: 'nodejs',
    agent: 'wharfkit/antelope 1.2.0 (PeerMesh interop)',
    generation: handshakesSent === 1 ? firstGeneration : handshakesSent,
    ...overrides,
    time
  }));
}

/** nodeos' answer to a ping (org 0, xmt set): org = their xmt, rec = when it arrived, xmt = now, dst 0. */
function answerPing(ping, arrivalNs) {
  if (String(ping.org) !== '0' || String(ping.xmt) === '0')
    return;
  send(P2P.TimeMessage.from({org: ping.xmt, rec: arrivalNs, xmt: common.nowNs(), dst: 0}));
}

client.on('message', (message) => {
  const arrivalNs = common.nowNs();
  const event = {event: 'message', type: message.variantName, json: common.toJson(message.value),
    hex: currentPayloadHex};
  if (message.value instanceof P2P.SignedBlock)
    event.blockId = message.value.id.hexString;
  common.emit(event);
  if (message.value instanceof P2P.HandshakeMessage)
    common.emit({event: 'handshake_verified', ...common.verifyHandshakeSignature(message.value)});
  else if (message.value instanceof P2P.TimeMessage)
    answerPing(message.value, arrivalNs);
});

client.on('error', (err) => {
  common.emit({event: 'error', message: String(err && err.message ? err.message : err), hex: currentPayloadHex});
});

client.on('close', () => {
  common.emit({event: 'close'});
  // The heartbeat ticker of P2PClient keeps firing after the end: only leaving stops it.
  process.stdout.write('', () => process.exit(0));
});

socket.on('connect', () => {
  common.emit({event: 'ready', key: String(identity.publicKey), nodeId: nodeId.hexString});
  sendHandshake(firstOverrides);
});

common.readCommands((command) => {
  if (command.send !== undefined)
    send([command.send, command.message]);
  else if (command.handshake !== undefined)
    sendHandshake(command.handshake);
  else if (command.close)
    client.end();
  else
    throw new Error('expected send, handshake or close');
}, () => {
  client.destroy();
  process.exit(0);
});

socket.connect(port, host);
