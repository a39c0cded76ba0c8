'use strict';

// A nodeos stand-in for the Antelope interop tests (org.peermesh.testing.antelope.NodeosStandin starts it): no
// nodeos can be installed here, so this TCP server plays its net_plugin's part, with every message encoded and
// decoded by @wharfkit/antelope 1.2.0 (Serializer, P2P.*), except go_away, written in nodeos' form. It holds a
// synthetic linked chain, checks a peer's handshake as nodeos does, answers with its own signed handshake and a
// ping, answers pings, serves sync requests and sends new blocks to its peers.
//
//   node nodeos-standin.js --chain-id HEX --blocks N [--port 0] [--trx-every K]
//
// Options may come from the environment too (ANTELOPE_CHAIN_ID, ANTELOPE_BLOCKS, ...). The chain: block n's
// previous is block n-1's id (block 1's is all zero); an id is sha256 of the packed block_header with its first 4
// bytes replaced by the big-endian block number (wharfkit's BlockHeader.id). Headers have producer "eosio", no
// merkle roots and empty header_extensions (wharfkit cannot decode others); producer_signature is the stand-in's
// key over the id, not nodeos' digest; every K-th block (default 3) carries one signed packed_transaction.
//
// Standard output, one JSON object a line:
//   {"event":"chain","blocks":[{"num":1,"id":HEX},...]}   once, first: the blocks it starts with
//   {"event":"listening","port":N,"key":"PUB_K1_...","nodeId":HEX}
//   {"event":"connection","connection":C,"remote":"host:port"}
//   {"event":"message","connection":C,"type":T,"json":{...}}   a message received (wharfkit's JSON)
//   {"event":"handshake","connection":C,"generation":G,"result":R[,"reason":N,"why":W]}
//       R: "accepted", "ignored" (generation other than 1: nodeos checks only a first handshake's identity), or the
//       name of the go_away reason sent (fatal_other, self, duplicate, wrong_chain, authentication)
//   {"event":"sent","connection":C,"type":T[,"reason":N]}      a message other than a block written
//   {"event":"sent_block","connection":C,"num":N,"id":HEX,"via":"sync"|"live"}
//   {"event":"produced","num":N,"id":HEX}                      a block appended by the produce command
//   {"event":"error",["connection":C,]"message":M}
//   {"event":"close","connection":C}
// Standard input, one JSON object a line: {"produce":K} appends K blocks and sends each to the peers whose
// handshake it accepted; {"close":true} closes every connection. The process exits when standard input closes.

const net = require('net');
const {
  Checksum256, P2P, PackedTransaction, Serializer, SignedTransaction, Transaction
} = require('@wharfkit/antelope');
const common = require('./antelope-common');

const option = common.parseOptions(process.argv.slice(2), []);
const chainIdOption = option('chain-id');
if (chainIdOption === undefined)
  throw new Error('--chain-id is required');
const chainId = Checksum256.from(chainIdOption);
const initialBlocks = Number(option('blocks', '0'));
const trxEvery = Number(option('trx-every', '3'));
const listenPort = Number(option('port', '0'));

const identity = common.handshakeIdentity(true);
const nodeId = common.randomNodeId();

/** Block slot of block 1: the half-second slots since 2000 of 2024-01-01; block n is n-1 slots later. */
const FIRST_SLOT = 757382400 * 2;

// blocks[n - 1] is block n: {block: P2P.SignedBlock, id: BlockId}
const blocks = [];

function head() {
  return blocks.length;
}

function blockId(num) {
  return num === 0 ? common.ZERO_BLOCK_ID : blocks[num - 1].id;
}

/** A transfer signed by the stand-in's key for this chain, packed without compression. */
function packedTransfer(num) {
  const transaction = Transaction.from({
    expiration: '2024-01-01T00:10:00',
    ref_block_num: (num - 1) & 0xffff,
    ref_block_prefix: 0,
    max_net_usage_words: 0,
    max_cpu_usage_ms: 0,
    delay_sec: 0,
    context_free_actions: [],
    actions: [{
      account: 'eosio.token',
      name: 'transfer',
      authorization: [{actor: 'alice', permission: 'active'}],
      // Not a real transfer's arguments: nothing here runs actions, the bytes only have to travel.
      data: Buffer.from(`block ${num}`).toString('hex')
    }],
    transaction_extensions: []
  });
  const signature = identity.signDigest(transaction.signingDigest(chainId));
  return PackedTransaction.fromSigned(SignedTransaction.from({...transaction, signatures: [signature]}), 0);
}

function appendBlock() {
  const num = head() + 1;
  const header = P2P.BlockHeader.from({
    timeSlot: FIRST_SLOT + num - 1,
    producer: 'eosio',
    confirmed: 0,
    previous: blockId(num - 1),
    transaction_mroot: common.ZERO_BLOCK_ID,
    action_mroot: common.ZERO_BLOCK_ID,
    schedule_version: 0,
    header_extensions: []
  });
  const id = header.id;
  const transactions = num % trxEvery === 0 ? [packedTransfer(num)] : [];
  const block = P2P.SignedBlock.from({
    ...header,
    producer_signature: identity.signDigest(id),
    transactions: transactions.map((packed) => ({
      status: 0,
      cpu_usage_us: 100,
      net_usage_words: Math.ceil(Serializer.encode({object: packed}).length / 8),
      trx: ['packed_transaction', packed]
    })),
    block_extensions: []
  });
  blocks.push({block, id});
  return {num, id: id.hexString};
}

for (let i = 0; i < initialBlocks; i++)
  appendBlock();
common.emit({event: 'chain', blocks: blocks.map((entry, index) => ({num: index + 1, id: entry.id.hexString}))});

const connections = new Map();
let nextConnectionId = 1;

class Connection {
  constructor(socket) {
    this.id = nextConnectionId++;
    this.socket = socket;
    this.pending = Buffer.alloc(0);
    this.handshakesSent = 0;
    /** The peer's accepted handshake: from then on it gets live blocks. */
    this.peer = null;
    /** The blocks a sync_request asked for that are still to be written: {next, end}. */
    this.sync = null;
    this.closing = false;
    socket.on('data', (data) => this.receive(data));
    socket.on('drain', () => this.pumpSync());
    socket.on('error', (err) => common.emit({event: 'error', connection: this.id, message: err.message}));
    socket.on('close', () => {
      connections.delete(this.id);
      common.emit({event: 'close', connection: this.id});
    });
  }

  /** Cuts the frames out of the stream; nodeos closes, with no go_away, on a bad length or an undecodable message. */
  receive(data) {
    this.pending = Buffer.concat([this.pending, data]);
    while (!this.closing && this.pending.length >= 4) {
      const length = this.pending.readUInt32LE(0);
      if (length === 0 || length > common.MAX_FRAME_LENGTH)
        return this.fail(`frame length ${length}`);
      if (this.pending.length < 4 + length)
        return;
      const payload = this.pending.subarray(4, 4 + length);
      this.pending = this.pending.subarray(4 + length);
      let message;
      try {
        message = Serializer.decode({type: P2P.NetMessage, data: payload});
      } catch (err) {
        return this.fail(`undecodable message ${payload.toString('hex')}: ${err.message}`);
      }
      common.emit({event: 'message', connection: this.id, type: message.variantName,
        json: common.toJson(message.value)});
      this.handle(message.value);
    }
  }

  handle(value) {
    if (value instanceof P2P.HandshakeMessage)
      this.handleHandshake(value);
    else if (value instanceof P2P.TimeMessage)
      this.handleTime(value);
    else if (value instanceof P2P.SyncRequestMessage)
      this.handleSyncRequest(value);
  }

  /** nodeos' order of checks; the identity ones only for generation 1, as nodeos does. */
  handleHandshake(handshake) {
    const generation = Number(handshake.generation);
    const invalid = common.handshakeInvalidity(handshake);
    if (invalid)
      return this.refuse(generation, 'fatal_other', invalid);
    if (generation !== 1) {
      common.emit({event: 'handshake', connection: this.id, generation, result: 'ignored'});
      return;
    }
    if (handshake.nodeId.equals(nodeId))
      return this.refuse(generation, 'self', 'our own node_id');
    for (const other of connections.values()) {
      if (other !== this && other.peer && other.peer.nodeId.equals(handshake.nodeId))
        return this.refuse(generation, 'duplicate', `node_id already connected as ${other.id}`);
    }
    if (!handshake.chainId.equals(chainId))
      return this.refuse(generation, 'wrong_chain', `chain ${handshake.chainId.hexString}`);
    const signature = common.verifyHandshakeSignature(handshake);
    if (signature.signed && !signature.ok)
      return this.refuse(generation, 'authentication', `recovered ${signature.recovered}, key ${handshake.key}`);
    this.peer = handshake;
    common.emit({event: 'handshake', connection: this.id, generation, result: 'accepted'});
    if (this.handshakesSent === 0) {
      this.sendHandshake();
      this.send(P2P.TimeMessage.from({org: 0, rec: 0, xmt: common.nowNs(), dst: 0}));
    }
  }

  sendHandshake() {
    this.handshakesSent++;
    const time = common.nowNs();
    const lib = Math.max(head() - 1, 0);
    this.send(P2P.HandshakeMessage.from({
      networkVersion: common.NETWORK_VERSION,
      chainId,
      nodeId,
      key: identity.publicKey,
      time,
      ...identity.sign(time),
      p2pAddress: `127.0.0.1:${server.address().port} - ${nodeId.hexString.slice(0, 7)}`,
      lastIrreversibleBlockNumber: lib,
      lastIrreversibleBlockId: blockId(lib),
      headNum: head(),
      headId: blockId(head()),
      os: 'linux',
      agent: 'nodeos stand-in (wharfkit/antelope 1.2.0)',
      generation: this.handshakesSent
    }));
  }

  /** A ping (org 0, xmt set) gets nodeos' answer; xmt 0 (wharfkit's heartbeat) only shows the peer is alive. */
  handleTime(time) {
    if (String(time.org) !== '0' || String(time.xmt) === '0')
      return;
    const arrival = common.nowNs();
    this.send(P2P.TimeMessage.from({org: time.xmt, rec: arrival, xmt: common.nowNs(), dst: 0}));
  }

  handleSyncRequest(request) {
    const end = Number(request.endBlock);
    this.sync = end === 0 ? null : {next: Number(request.startBlock), end};
    this.pumpSync();
  }

  /** Writes requested blocks while the socket takes them; 'drain' resumes. Past its head, go_away benign_other. */
  pumpSync() {
    while (this.sync && !this.closing) {
      const {next, end} = this.sync;
      if (next > end) {
        this.sync = null;
        return;
      }
      if (next > head() || next === 0) {
        this.sync = null;
        this.goAway('benign_other');
        return;
      }
      this.sync.next++;
      if (!this.sendBlock(next, 'sync'))
        return;
    }
  }

  sendBlock(num, via) {
    const {block, id} = blocks[num - 1];
    const drained = this.socket.write(common.frame(common.encodeMessage(block)));
    common.emit({event: 'sent_block', connection: this.id, num, id: id.hexString, via});
    return drained;
  }

  send(value) {
    const message = P2P.NetMessage.from(value);
    this.socket.write(common.frame(common.encodeMessage(message.value)));
    common.emit({event: 'sent', connection: this.id, type: message.variantName, json: common.toJson(message.value)});
  }

  refuse(generation, reasonName, why) {
    common.emit({event: 'handshake', connection: this.id, generation, result: reasonName,
      reason: common.goAwayReason(reasonName), why});
    this.goAway(reasonName);
  }

  /** go_away in nodeos' form, node_id zero as nodeos leaves it but for duplicate; nodeos closes after it. */
  goAway(reasonName) {
    const reason = common.goAwayReason(reasonName);
    const goAwayNodeId = reasonName === 'duplicate' ? nodeId : common.ZERO_CHECKSUM;
    this.socket.write(common.frame(common.nodeosGoAwayPayload(reason, goAwayNodeId)));
    common.emit({event: 'sent', connection: this.id, type: 'go_away_message', reason});
    this.end();
  }

  fail(message) {
    common.emit({event: 'error', connection: this.id, message});
    this.closing = true;
    this.socket.destroy();
  }

  end() {
    this.closing = true;
    this.socket.end();
  }
}

const server = net.createServer((socket) => {
  const connection = new Connection(socket);
  connections.set(connection.id, connection);
  common.emit({event: 'connection', connection: connection.id,
    remote: `${socket.remoteAddress}:${socket.remotePort}`});
});

server.on('error', (err) => {
  common.emit({event: 'error', message: err.message});
  process.exit(1);
});

server.listen(listenPort, '127.0.0.1', () => {
  common.emit({event: 'listening', port: server.address().port, key: String(identity.publicKey),
    nodeId: nodeId.hexString});
});

function produce(count) {
  for (let i = 0; i < count; i++) {
    const {num, id} = appendBlock();
    common.emit({event: 'produced', num, id});
    for (const connection of connections.values()) {
      if (connection.peer && !connection.closing)
        connection.sendBlock(num, 'live');
    }
  }
}

common.readCommands((command) => {
  if (command.produce !== undefined)
    produce(Number(command.produce));
  else if (command.close)
    connections.forEach((connection) => connection.end());
  else
    throw new Error('expected produce or close');
}, () => process.exit(0));
