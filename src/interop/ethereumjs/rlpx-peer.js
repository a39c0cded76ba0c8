'use strict';

// A real @ethereumjs/devp2p 10.0.0 RLPx node for the devp2p interop tests (org.peermesh.testing.ethereumjs
// .EthereumjsPeer starts it): ethereumjs' RLPx server (EIP-8 handshake, frames, Hello, Ping/Pong, Disconnect,
// snappy after a v5 Hello) listening on one port, dialing the peers it is told to, with sub-protocols chosen by
// --capabilities, reporting everything it receives and sends.
//
//   node rlpx-peer.js [--key HEX] [--host 127.0.0.1] [--port 0] [--client-id S] [--max-peers 10]
//                     [--capabilities MyProtocol/1,eth/68,test/1] [--timeout-ms 10000] [--hello-port N]
//                     [--network-id 1] [--genesis-hash HEX] [--hardfork prague] [--td HEX] [--best-hash HEX]
//                     [--eth-send-status] [--digest-over N]
//
// Every option may come from the environment instead: --key as ETHEREUMJS_KEY and so on.
//   --key          the node key, 32 bytes hex (default: a fresh one)
//   --port         the TCP port to listen on (0: any free one; the listening event tells which)
//   --max-peers    RLPx's maxPeers: a peer that dials in beyond it gets Hello, then Disconnect 0x04 (too many peers)
//   --timeout-ms   RLPx's timeout: dial timeout, and how long a Ping waits for its Pong before Disconnect 0x0b
//   --hello-port   the listenPort its Hello carries (default: none, an empty string, i.e. 0)
//   --capabilities name/version[:length],... ; known names:
//       MyProtocol   length 1: answers code 0 ["foo"] ("666f6f") with code 0 ["bar"] ("626172")
//       eth          62-68 (length 17), ethereumjs' ETH: it disconnects (0x0b) unless Statuses are exchanged within
//                    5 s; on the peer's Status it answers with a Status of the peer's td and bestHash and its own
//                    version, network id, genesis hash and fork id (from --network-id, --genesis-hash, --hardfork):
//                    the peer's own Status back when both are on the same chain. ethereumjs then checks version,
//                    network id, genesis and fork id and emits status, or disconnects 0x10.
//       test         length 2
//     any other name needs its length (e.g. foo/2:3); all of them report what they get and send nothing on their
//     own. Codes in the events and commands are relative to the capability's offset.
//   --digest-over  message and sent events of payloads over N bytes leave out payload and hex (size and sha256 say
//                  what they were), so that a 1 MiB message is not 4 MB of JSON in the test log (default: never)
//   --eth-send-status  sends its own Status (td --td, default the mainnet genesis difficulty; bestHash --best-hash,
//                      default the genesis hash) as soon as a peer is added, instead of waiting for the peer's: two
//                      ethereumjs peers need one side to start
//
// Standard output, one JSON object a line (ids are 128 hex digits, every byte string is lower-case hex without 0x):
//   {"event":"listening","port":N,"id":ID}
//   {"event":"peer_added","id":ID,"direction":"dialed"|"accepted","address":A,"port":N,
//    "hello":{"protocolVersion":N,"clientId":S,"capabilities":[{"name":S,"version":N}...],"port":N,"id":ID},
//    "shared":[{"name":S,"version":N,"offset":N,"length":N}...]}   shared in offset order
//   {"event":"message","peer":ID,"capability":"eth/68","code":N,"payload":RLP-JSON|null,"hex":H,"size":N,
//    "sha256":H}                         a sub-protocol message received: payload its RLP as nested arrays of hex
//                                        (null when the bytes are not one RLP value), hex the bytes (decompressed),
//                                        size their length and sha256 their hash (payload and hex left out over
//                                        --digest-over)
//   {"event":"sent","peer":ID,"capability":C,"code":N,"payload":RLP-JSON|null,"hex":H,"size":N,"sha256":H}
//                                        one that was sent
//   {"event":"status","peer":ID,"capability":"eth/68","networkId":H,"td":H,"bestHash":H,"genesisHash":H,
//    "forkId":[H,H]|null}                the eth Status exchange passed ethereumjs' checks (its 5 s timer is off)
//   {"event":"ping","peer":ID} / {"event":"pong","peer":ID}   a Ping / a Pong received
//   {"event":"peer_removed","id":ID,"reason":N|null,"reasonName":"TOO_MANY_PEERS"|null,"reasonText":"too many peers"
//    |null,"disconnectWe":B|null}        reason null: the connection closed without a Disconnect
//   {"event":"disconnect_received","peer":ID|null,"reason":N,"reasonName":..,"reasonText":..,"afterHello":B}
//                                        every Disconnect received, also one before the peer's Hello, after which
//                                        ethereumjs emits no peer:removed (so no peer_removed follows)
//   {"event":"error","peer":ID|null,"message":M}   a peer error (bad frame, failed Status check), a failed dial, a
//                                                  bad command
//   {"event":"closed"}                   after the close command: the server is down, every peer got 0x08
// Standard input, one JSON object a line:
//   {"connect":{"id":ID,"host":H,"port":N}}       dials a peer
//   {"send":{"peer":ID,"capability":"MyProtocol/1","code":N,"payload":RLP-JSON}}
//                                        sends RLP of payload, snappy-compressed when the peer's Hello is v5 or later
//                                        (ethereumjs leaves that to the sub-protocols); with "raw":H instead of
//                                        payload it sends the bytes H exactly as given
//   {"status":{"peer":ID[,"td":H][,"bestHash":H]}}  sends its eth Status now
//   {"ping":ID}                          sends a Ping; the Pong comes back as a pong event
//   {"disconnect":{"peer":ID,"reason":N}}   sends Disconnect (ethereumjs: a bare integer, never compressed)
//   {"close":true}                       ethereumjs' destroy(): stops listening, Disconnect 0x08 to every peer
// The process exits when standard input closes.

const {RLPx, ETH, Peer} = require('@ethereumjs/devp2p');
const {Mainnet, createCustomCommon} = require('@ethereumjs/common');
const {bigIntToBytes, utf8ToBytes} = require('@ethereumjs/util');
const snappy = require('snappyjs');
const {createHash} = require('crypto');
const common = require('./devp2p-common');

const option = common.parseOptions(process.argv.slice(2), ['eth-send-status']);

const MAINNET_GENESIS = 'd4e56740f876aef8c010b86a40d5f56745a118d0906a34e69aec8c0db1cb8fa3';
const MAINNET_GENESIS_DIFFICULTY = 17179869184n;

const key = common.privateKey(option('key'));
const host = option('host', '127.0.0.1');
const port = Number(option('port', '0'));
const clientId = option('client-id', 'ethereumjs-devp2p/10.0.0 (PeerMesh interop)');
const maxPeers = Number(option('max-peers', '10'));
const timeoutMs = Number(option('timeout-ms', '10000'));
const helloPort = option('hello-port');
const genesisHash = common.fromHex(option('genesis-hash', MAINNET_GENESIS));
const td = option('td') !== undefined ? common.fromHex(option('td')) : bigIntToBytes(MAINNET_GENESIS_DIFFICULTY);
const bestHash = option('best-hash') !== undefined ? common.fromHex(option('best-hash')) : genesisHash;
const ethSendStatus = option('eth-send-status', false);
const digestOver = option('digest-over') !== undefined ? Number(option('digest-over')) : Infinity;

// Mainnet's forks with the fork hashes computed from --genesis-hash (the mainnet genesis gives the table's own).
const chainCommon = createCustomCommon({
  chainId: Number(option('network-id', '1')),
  hardforks: Mainnet.hardforks.map((hardfork) => ({...hardfork, forkHash: null}))
}, Mainnet, {hardfork: option('hardfork', 'prague')});
chainCommon.setForkHashes(genesisHash);

// A Disconnect that comes before the peer's Hello (geth's and PeerMesh's refusals right after the key exchange, as
// 0x05 already connected) is decoded by ethereumjs but never reported: its Peer emits close only once connected.
const handleDisconnect = Peer.prototype._handleDisconnect;
Peer.prototype._handleDisconnect = function (payload) {
  handleDisconnect.call(this, payload);
  common.emit({event: 'disconnect_received', peer: peerId(this), ...common.reason(this._disconnectReason),
    afterHello: this._hello !== null});
};

/** Peer ids we dialed: ethereumjs does not tell afterwards. */
const dialed = new Set();

function peerId(peer) {
  const id = peer.getId();
  return id ? common.toHex(id) : null;
}

/** A payload as the peer expects it: snappy-compressed once its Hello says p2p v5 or later. */
function toWire(peer, bytes) {
  const hello = peer.getHelloMessage();
  return hello !== null && hello.protocolVersion >= 5 ? snappy.compress(bytes) : bytes;
}

function fromWire(peer, bytes) {
  const hello = peer.getHelloMessage();
  return hello !== null && hello.protocolVersion >= 5 ? snappy.uncompress(bytes) : bytes;
}

function messageEvent(name, protocol, code, bytes) {
  const event = {event: name, peer: peerId(protocol.peer), capability: protocol.capability, code};
  if (bytes.length <= digestOver) {
    event.payload = common.decodeToJson(bytes);
    event.hex = common.toHex(bytes);
  }
  event.size = bytes.length;
  event.sha256 = createHash('sha256').update(bytes).digest('hex');
  return event;
}

/**
 * The send function handed to a sub-protocol, wrapped so each message sent is reported. ethereumjs' own range
 * check (off by one: it lets code == length through) stays in `send`.
 */
function reportingSend(protocol, send) {
  return (code, data) => {
    let plain = null;
    try {
      plain = fromWire(protocol.peer, data);
    } catch (err) {
      // Not snappy (a raw send): report the bytes as sent.
    }
    send(code, data);
    common.emit(messageEvent('sent', protocol, code, plain !== null ? plain : data));
  };
}

/**
 * A sub-protocol of its own, as ethereumjs constructs them: `new C(version, peer, send)`, then `_handleMessage(code,
 * payload)` with code relative to its offset and the payload decompressed. Not derived from ethereumjs' Protocol,
 * whose constructor starts the 5 s Status timer of eth.
 */
function ownProtocol(name, onMessage) {
  return class {
    constructor(version, peer, send) {
      this.name = name;
      this.version = version;
      this.capability = `${name}/${version}`;
      this.peer = peer;
      this.send = reportingSend(this, send);
    }

    _handleMessage(code, data) {
      common.emit(messageEvent('message', this, code, data));
      if (onMessage)
        onMessage.call(this, code, data);
    }

    sendRaw(code, bytes) {
      this.send(code, bytes);
    }
  };
}

/** MyProtocol (the ESC guide's example): code 0 ["foo"] is answered with code 0 ["bar"]. */
const MyProtocol = ownProtocol('MyProtocol', function (code, data) {
  const payload = common.decodeToJson(data);
  if (code === 0 && Array.isArray(payload) && payload.length === 1 && payload[0] === common.toHex(utf8ToBytes('foo')))
    this.send(0, toWire(this.peer, common.encodeJson([common.toHex(utf8ToBytes('bar'))])));
});

/** ethereumjs' ETH reporting what it gets and sends, and answering a Status it gets before sending its own. */
class ReportingEth extends ETH {
  constructor(version, peer, send) {
    let self = null;
    super(version, peer, (code, data) => self.send(code, data));
    self = this;
    this.name = 'eth';
    this.version = version;
    this.capability = `eth/${version}`;
    this.peer = peer;
    this.send = reportingSend(this, send);
    this.events.on('status', (status) => common.emit({
      event: 'status',
      peer: peerId(peer),
      capability: this.capability,
      networkId: common.toHex(status.chainId),
      td: common.toHex(status.td),
      bestHash: common.toHex(status.bestHash),
      genesisHash: common.toHex(status.genesisHash),
      forkId: status.forkId !== undefined ? common.toJson(status.forkId) : null
    }));
  }

  _handleMessage(code, data) {
    common.emit(messageEvent('message', this, code, data));
    super._handleMessage(code, data);
    if (code === 0 && this._status === null && this._peerStatus !== null)
      this.sendOwnStatus(this._peerStatus[2], this._peerStatus[3]);
  }

  sendOwnStatus(statusTd, statusBestHash) {
    this.sendStatus({td: statusTd, bestHash: statusBestHash, genesisHash});
  }

  sendRaw(code, bytes) {
    this.send(code, bytes);
  }
}

/** A capability from `name/version[:length]`. */
function capability(spec) {
  const match = /^([^/:]+)\/(\d+)(?::(\d+))?$/.exec(spec.trim());
  if (!match)
    throw new Error(`bad capability ${spec} (expected name/version[:length])`);
  const [, name, versionText, lengthText] = match;
  const version = Number(versionText);
  if (name === 'eth') {
    if (!ETH[`eth${version}`])
      throw new Error(`ethereumjs has no eth/${version}`);
    return {name, version, length: ETH[`eth${version}`].length, constructor: ReportingEth};
  }
  if (name === 'MyProtocol')
    return {name, version, length: lengthText ? Number(lengthText) : 1, constructor: MyProtocol};
  if (name === 'test')
    return {name, version, length: lengthText ? Number(lengthText) : 2, constructor: ownProtocol(name)};
  if (!lengthText)
    throw new Error(`capability ${spec} needs its length: ${name}/${version}:N`);
  return {name, version, length: Number(lengthText), constructor: ownProtocol(name)};
}

const capabilities = option('capabilities', 'MyProtocol/1,eth/68,test/1').split(',').map(capability);

const rlpx = new RLPx(key, {
  clientId: utf8ToBytes(clientId),
  timeout: timeoutMs,
  maxPeers,
  capabilities,
  common: chainCommon,
  listenPort: helloPort === undefined ? null : Number(helloPort)
});
const id = common.toHex(rlpx.id);

function findPeer(idHex) {
  const wanted = String(idHex).toLowerCase().replace(/^0x/, '');
  const peer = rlpx.getPeers().find((candidate) => peerId(candidate) === wanted);
  if (!peer)
    throw new Error(`no peer ${wanted}`);
  return peer;
}

function findProtocol(peer, name) {
  const protocol = peer.getProtocols().find((candidate) =>
    candidate.capability === name || candidate.name === name);
  if (!protocol)
    throw new Error(`peer ${peerId(peer)} shares no ${name}`);
  return protocol;
}

rlpx.events.on('listening', () => {
  common.emit({event: 'listening', port: rlpx._server.address().port, id});
});

rlpx.events.on('peer:added', (peer) => {
  const ident = peerId(peer);
  const hello = peer.getHelloMessage();
  // Ping and Pong are handled inside the Peer: wrap its handlers to see them.
  const handlePing = peer._handlePing.bind(peer);
  peer._handlePing = () => {
    common.emit({event: 'ping', peer: ident});
    handlePing();
  };
  const handlePong = peer._handlePong.bind(peer);
  peer._handlePong = () => {
    common.emit({event: 'pong', peer: ident});
    handlePong();
  };
  common.emit({
    event: 'peer_added',
    id: ident,
    direction: dialed.has(ident) ? 'dialed' : 'accepted',
    address: peer._socket.remoteAddress,
    port: peer._socket.remotePort,
    hello: {
      protocolVersion: hello.protocolVersion,
      clientId: hello.clientId,
      capabilities: hello.capabilities.map((c) => ({name: c.name, version: c.version})),
      port: hello.port,
      id: common.toHex(hello.id)
    },
    shared: peer._protocols.map((entry) => ({name: entry.protocol.name, version: entry.protocol.version,
      offset: entry.offset, length: entry.length}))
  });
  if (ethSendStatus) {
    const eth = peer.getProtocols().find((protocol) => protocol instanceof ReportingEth);
    if (eth)
      eth.sendOwnStatus(td, bestHash);
  }
});

rlpx.events.on('peer:removed', (peer, reason, disconnectWe) => {
  const ident = peerId(peer);
  dialed.delete(ident);
  common.emit({event: 'peer_removed', id: ident, ...common.reason(reason),
    disconnectWe: disconnectWe === undefined ? null : disconnectWe});
});

rlpx.events.on('peer:error', (peer, err) => {
  common.emit({event: 'error', peer: peerId(peer), message: common.describe(err)});
});

rlpx.events.on('error', (err) => {
  common.emit({event: 'error', peer: null, message: common.describe(err)});
});

common.readCommands(async (command) => {
  if (command.connect !== undefined) {
    const {id: target, host: targetHost, port: targetPort} = command.connect;
    const targetId = common.fromHex(target);
    dialed.add(common.toHex(targetId));
    try {
      await rlpx.connect({id: targetId, address: targetHost || '127.0.0.1', tcpPort: Number(targetPort)});
    } catch (err) {
      dialed.delete(common.toHex(targetId));
      common.emit({event: 'error', peer: common.toHex(targetId), message: `connect: ${common.describe(err)}`});
    }
  } else if (command.send !== undefined) {
    const {peer: target, capability: name, code, payload, raw} = command.send;
    const peer = findPeer(target);
    const protocol = findProtocol(peer, name);
    const bytes = raw !== undefined ? common.fromHex(raw) : toWire(peer, common.encodeJson(payload));
    protocol.sendRaw(Number(code), bytes);
  } else if (command.status !== undefined) {
    const {peer: target, td: statusTd, bestHash: statusBestHash} = command.status;
    const eth = findProtocol(findPeer(target), 'eth');
    eth.sendOwnStatus(statusTd !== undefined ? common.fromHex(statusTd) : td,
      statusBestHash !== undefined ? common.fromHex(statusBestHash) : bestHash);
  } else if (command.ping !== undefined) {
    findPeer(command.ping)._sendPing();
  } else if (command.disconnect !== undefined) {
    findPeer(command.disconnect.peer).disconnect(Number(command.disconnect.reason ?? 0));
  } else if (command.close) {
    rlpx.destroy();
    common.emit({event: 'closed'});
  } else {
    throw new Error('expected connect, send, status, ping, disconnect or close');
  }
}, () => {
  process.stdout.write('', () => process.exit(0));
});

rlpx.listen(port, host);
