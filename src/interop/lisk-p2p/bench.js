#!/usr/bin/env node
'use strict';
/*
 * The lisk-p2p side of PeerMesh's `bench lisk` scenario: the same workloads as PeerMesh's own scenarios, on
 * @liskhq/lisk-p2p 0.10.0 nodes listening on this machine, with the sockets on 127.0.0.1.
 *
 *   node bench.js <stream|request|broadcast3> <seconds per round> <rounds, the first a warm-up> <payload bytes> [in flight]
 *
 * The payload means what PeerMesh's --payload means: each message's data is a JSON string whose encoding, quotes
 * included, is that many bytes (see payloadData).
 *
 * Prints one JSON line per measured round on stdout, {"workload","round","rate"} plus "p50us" and "p99us" for
 * request; everything else goes to stderr. Exits non-zero if a node fails, a peer disconnects or a round is empty.
 *
 * Each node runs in a worker thread of its own: a lisk-p2p node is single-threaded by design, and PeerMesh's nodes
 * each get an event loop of their own, so one Node.js thread for all nodes would measure the sharing, not lisk-p2p.
 */
const net = require('net');
const { Worker, isMainThread, parentPort, workerData } = require('worker_threads');

const EVENT = 'bench';
const PROCEDURE = 'echo';
// Lisk's own defaults would stop the run: 100 ws messages per second per peer, above which each
// rateCalculationInterval (1 s, kept) costs wsMaxMessageRatePenalty reputation times the excess, until a ban.
const UNLIMITED = { wsMaxMessageRate: Number.MAX_SAFE_INTEGER, wsMaxMessageRatePenalty: 0 };
// lisk-p2p has no flow control of its own: send() writes to the WebSocket whatever the peer reads. The sender
// stops above this many unsent bytes on a socket and resumes when the socket drains.
const HIGH_WATER_BYTES = 1 << 20;
// Messages sent per event-loop turn before yielding, so that the sender's own socket events still run.
const BATCH = 512;

if (isMainThread) {
  main().catch(error => fail(error.stack || String(error)));
} else {
  runNode(workerData);
}

// ------------------------------------------------------------------------------------------------ coordinator

async function main() {
  const [workload, seconds, rounds, payload, inFlight = '1'] = process.argv.slice(2);
  const options = {
    workload,
    roundMillis: Math.round(Number(seconds) * 1000),
    rounds: Number(rounds),
    payload: Number(payload),
    inFlight: Number(inFlight),
  };
  if (!['stream', 'request', 'broadcast3'].includes(workload) || !(options.roundMillis > 0)
    || !(options.rounds >= 2) || !(options.payload >= 2) || !(options.inFlight >= 1)) {
    fail('usage: node bench.js <stream|request|broadcast3> <seconds per round> <rounds incl. one warm-up >= 2> '
      + '<payload bytes >= 2> [in flight]');
  }
  const receivers = [];
  for (let i = 0; i < (workload === 'broadcast3' ? 2 : 1); i++) {
    receivers.push(await startNode({ role: 'receiver', port: await freePort(), fixedPeers: [] }));
  }
  const sender = await startNode({
    role: 'sender',
    port: await freePort(),
    fixedPeers: receivers.map(r => ({ ipAddress: '127.0.0.1', port: r.port })),
  });
  await sender.ask({ type: 'awaitConnected' }, 15_000);
  const peerIds = receivers.map(r => `127.0.0.1:${r.port}`);
  log(`${workload}: sender connected to ${peerIds.join(', ')}`);

  if (workload !== 'request') {
    sender.post({ type: workload === 'stream' ? 'stream' : 'broadcast', peerIds, payload: options.payload });
  }
  for (let round = 0; round < options.rounds; round++) {
    const result = workload === 'request'
      ? await sender.ask({ type: 'requests', peerId: peerIds[0], ...options }, options.roundMillis + 10_000)
      : await countDeliveries(receivers, options.roundMillis);
    if (!(result.rate > 0)) {
      fail(`${workload}: round ${round} delivered nothing`);
    }
    if (round > 0) {
      console.log(JSON.stringify({ workload, round, ...result }));
    }
  }
  process.exit(0);
}

/**
 * Messages delivered per second over the round, summed over the receivers: broadcast3's figure counts a message
 * that reached both B and C twice, as PeerMesh's broadcast-3 does.
 */
async function countDeliveries(receivers, roundMillis) {
  const counts = await Promise.all(receivers.map(r => r.ask({ type: 'count', roundMillis }, roundMillis + 10_000)));
  return { rate: counts.reduce((sum, c) => sum + c.rate, 0) };
}

/** A lisk-p2p node in a worker thread, once it listens. */
async function startNode(config) {
  const worker = new Worker(__filename, { workerData: config });
  const replies = [];
  worker.on('message', message => {
    if (message.type === 'failed') {
      fail(`${config.role} on port ${config.port}: ${message.error}`);
    }
    const { type, ...body } = message;
    replies.shift()?.(body);
  });
  worker.on('error', error => fail(`${config.role} on port ${config.port}: ${error.stack || error}`));
  const node = {
    port: config.port,
    post: message => worker.postMessage(message),
    /** Posts a command and waits for the worker's next reply: each coordinator command has exactly one. */
    ask: (message, timeoutMillis) => new Promise(resolve => {
      const timer = setTimeout(() => fail(`${config.role}: no answer to ${message.type} within ${timeoutMillis} ms`),
        timeoutMillis);
      replies.push(reply => {
        clearTimeout(timer);
        resolve(reply);
      });
      worker.postMessage(message);
    }),
  };
  await node.ask({ type: 'start' }, 15_000);
  return node;
}

/** A port free on every interface: lisk-p2p listens on 0.0.0.0 when hostIp is unset, as it must be (see below). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '0.0.0.0', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function log(line) {
  process.stderr.write(`[lisk-p2p] ${line}\n`);
}

function fail(reason) {
  log(`failed: ${reason}`);
  process.exit(1);
}

// ------------------------------------------------------------------------------------------------------- node

function runNode({ role, port, fixedPeers }) {
  const { P2P, events } = require('@liskhq/lisk-p2p');
  const p2p = new P2P({
    port,
    // hostIp stays unset: lisk-p2p takes it as the node's own address and drops seed and fixed peers on it, so
    // 127.0.0.1 would drop every peer of this bench.
    nodeInfo: {
      chainID: Buffer.alloc(4, 0x42),
      networkVersion: '1.0',
      nonce: '', // lisk-p2p sets its own random nonce
      advertiseAddress: true,
      options: {},
    },
    fixedPeers,
    // The receivers never dial: each would otherwise dial the sender it heard of and be refused as a duplicate.
    maxOutboundConnections: role === 'sender' ? fixedPeers.length : 0,
    // Discovery adds nothing between nodes that all know each other; PeerMesh's bench nodes dial their seeds only.
    populatorInterval: 60_000,
    ...UNLIMITED,
  });
  let deliveries = 0;
  p2p.on(events.EVENT_MESSAGE_RECEIVED, message => {
    if (message.event === EVENT) {
      deliveries++;
    }
  });
  p2p.on(events.EVENT_REQUEST_RECEIVED, request => {
    if (request.procedure === PROCEDURE) {
      request.end(request.data);
    }
  });
  const connected = new Set();
  let connectedWaiter = null;
  p2p.on(events.EVENT_CONNECT_OUTBOUND, peer => {
    connected.add(peer.peerId);
    if (connectedWaiter && connected.size === fixedPeers.length) {
      connectedWaiter();
    }
  });
  for (const lost of [events.EVENT_CLOSE_OUTBOUND, events.EVENT_CLOSE_INBOUND]) {
    p2p.on(lost, ({ peerInfo, code, reason }) => {
      parentPort.postMessage({ type: 'failed', error: `lost ${peerInfo.peerId}: ${code} ${reason}` });
    });
  }
  p2p.on(events.EVENT_BAN_PEER, peerId => parentPort.postMessage({ type: 'failed', error: `banned ${peerId}` }));

  parentPort.on('message', async command => {
    try {
      switch (command.type) {
        case 'start':
          await p2p.start();
          parentPort.postMessage({ type: 'started' });
          break;
        case 'awaitConnected':
          connectedWaiter = () => parentPort.postMessage({ type: 'connected' });
          if (connected.size === fixedPeers.length) {
            connectedWaiter();
          }
          break;
        case 'count': {
          const before = deliveries;
          const start = process.hrtime.bigint();
          setTimeout(() => {
            const seconds = Number(process.hrtime.bigint() - start) / 1e9;
            parentPort.postMessage({ type: 'counted', rate: (deliveries - before) / seconds });
          }, command.roundMillis);
          break;
        }
        case 'stream':
          pump(p2p, command.peerIds, data => p2p.sendToPeer({ event: EVENT, data }, command.peerIds[0]),
            payloadData(command.payload));
          break;
        case 'broadcast':
          pump(p2p, command.peerIds, data => p2p.broadcast({ event: EVENT, data }), payloadData(command.payload));
          break;
        case 'requests':
          parentPort.postMessage(await requests(p2p, command));
          break;
        default:
          throw new Error(`unknown command ${command.type}`);
      }
    } catch (error) {
      parentPort.postMessage({ type: 'failed', error: error.stack || String(error) });
    }
  });
}

/**
 * A message's data of {@code bytes} bytes as PeerMesh's bench counts them (its Payload class): a string of
 * bytes - 2 'a's. lisk-p2p encodes data that is not a Buffer as its JSON text, here the string and its quotes, so
 * the message carries {@code bytes} bytes of application data, as a PeerMesh message of the same string does (each
 * then adds its own framing: lisk-p2p sends those bytes as base64 in a socketcluster JSON packet).
 */
function payloadData(bytes) {
  return 'a'.repeat(bytes - 2);
}

/**
 * Sends for ever, as fast as the sockets to {@code peerIds} take it: a batch per event-loop turn, and a pause
 * until the socket drains whenever one holds {@link HIGH_WATER_BYTES} unsent.
 */
function pump(p2p, peerIds, send, data) {
  const sockets = peerIds.map(peerId => webSocketTo(p2p, peerId));
  const step = () => {
    for (let i = 0; i < BATCH; i++) {
      const full = sockets.find(ws => ws.bufferedAmount >= HIGH_WATER_BYTES);
      if (full) {
        full._socket.once('drain', step);
        return;
      }
      send(data);
    }
    setImmediate(step);
  };
  step();
}

/**
 * The ws WebSocket under the outbound connection to {@code peerId}. lisk-p2p exposes no backpressure, so this
 * reaches into its peer pool (PeerPool#getPeer) and socketcluster-client's transport, as of lisk-p2p 0.10.0.
 */
function webSocketTo(p2p, peerId) {
  const peer = p2p._peerPool.getPeer(peerId);
  const ws = peer && peer._socket && peer._socket.transport && peer._socket.transport.socket;
  if (!ws || typeof ws.bufferedAmount !== 'number') {
    throw new Error(`no outbound WebSocket to ${peerId}`);
  }
  return ws;
}

/** One round of requests, {@code inFlight} outstanding at any time: rate and round-trip percentiles. */
async function requests(p2p, { peerId, payload, inFlight, roundMillis }) {
  const data = payloadData(payload);
  // The echo answers with the request's data as the receiver got it, the Buffer of the string's JSON text.
  const answer = Buffer.from(JSON.stringify(data));
  const rtts = [];
  const start = process.hrtime.bigint();
  const end = start + BigInt(roundMillis) * 1_000_000n;
  const loop = async () => {
    while (process.hrtime.bigint() < end) {
      const sent = process.hrtime.bigint();
      const response = await p2p.requestFromPeer({ procedure: PROCEDURE, data }, peerId);
      rtts.push(Number(process.hrtime.bigint() - sent));
      if (!response.data || !response.data.equals(answer)) {
        throw new Error(`answer of ${response.data ? response.data.length : 'no'} bytes, not the ${answer.length} `
          + `of the string sent`);
      }
    }
  };
  await Promise.all(Array.from({ length: inFlight }, loop));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  rtts.sort((a, b) => a - b);
  return { type: 'requested', rate: rtts.length / seconds, p50us: percentile(rtts, 50), p99us: percentile(rtts, 99) };
}

/** Nearest rank, in microseconds, as PeerMesh's Latencies computes it. */
function percentile(sortedNanos, p) {
  const rank = Math.ceil((p / 100) * sortedNanos.length);
  return sortedNanos[Math.max(0, rank - 1)] / 1000;
}
