'use strict';

// A real @ethereumjs/devp2p 10.0.0 DPT (discv4) node for the devp2p interop tests (org.peermesh.testing.ethereumjs
// .DptNode starts it): ethereumjs' DPT on one UDP port, without DNS discovery, bootstrapping from the nodes it is
// told to and reporting its table.
//
//   node dpt-node.js [--key HEX] [--host 127.0.0.1] [--port 0] [--tcp-port N] [--timeout-ms 4000]
//                    [--refresh-ms 60000] [--no-find-neighbours]
//
// Every option may come from the environment instead: --key as ETHEREUMJS_KEY and so on.
//   --key        the node key, 32 bytes hex (default: a fresh one)
//   --port       the UDP port to bind on --host (0: any free one; the listening event tells which). The Ping's
//                "from" endpoint is --host with this port (and --tcp-port), so that the pinged node pings back
//   --timeout-ms how long a Ping waits for its Pong
//   --refresh-ms DPT's refreshInterval: a tenth of it apart, it sends FindNode to a tenth of its table
//   --no-find-neighbours   DPT's shouldFindNeighbours false: no FindNode, and the nodes learnt from Neighbors and
//                          from a Ping are not pinged and added
//
// Standard output, one JSON object a line (ids are 128 hex digits):
//   {"event":"listening","udpPort":N,"id":ID}
//   {"event":"peer_added","id":ID,"address":A,"udpPort":N,"tcpPort":N|null}   a node entered its table
//   {"event":"peer_removed","id":ID,"address":A,"udpPort":N,"tcpPort":N|null} a node left it
//   {"event":"bootstrapped","address":A,"udpPort":N,"id":ID|null}   a bootstrap command ended: id null when the
//                                                                  node did not answer the Ping (an error precedes)
//   {"event":"added","id":ID,"address":A,"udpPort":N,"tcpPort":N|null}   an addPeer command's node answered
//   {"event":"peers","peers":[{"id":ID,"address":A,"udpPort":N,"tcpPort":N|null}...]}   its table
//   {"event":"error","message":M}        a Ping timeout, an undecodable packet, a bad command
// Standard input, one JSON object a line:
//   {"bootstrap":{"host":H,"udpPort":N}}   pings the node, adds it, and asks it for neighbours of its own id
//   {"addPeer":{"host":H,"udpPort":N[,"tcpPort":N]}}   pings the node and adds it
//   {"peers":true}                       prints its table
// The process exits when standard input closes.

const {DPT} = require('@ethereumjs/devp2p');
const common = require('./devp2p-common');

const option = common.parseOptions(process.argv.slice(2), ['no-find-neighbours']);

const key = common.privateKey(option('key'));
const host = option('host', '127.0.0.1');
const port = Number(option('port', '0'));
const tcpPort = option('tcp-port');

// DPT keeps this object: its udpPort is filled in once the socket is bound.
const endpoint = {address: host, udpPort: port === 0 ? null : port, tcpPort: tcpPort === undefined ? null : Number(tcpPort)};

const dpt = new DPT(key, {
  endpoint,
  timeout: Number(option('timeout-ms', '4000')),
  refreshInterval: Number(option('refresh-ms', '60000')),
  shouldFindNeighbours: !option('no-find-neighbours', false),
  shouldGetDnsPeers: false
});
const id = common.toHex(dpt.id);

function peerJson(peer) {
  return {
    id: peer.id ? common.toHex(peer.id) : null,
    address: peer.address,
    udpPort: peer.udpPort ?? null,
    tcpPort: peer.tcpPort ?? null
  };
}

dpt.events.on('listening', () => {
  endpoint.udpPort = dpt._server._socket.address().port;
  common.emit({event: 'listening', udpPort: endpoint.udpPort, id});
});
dpt.events.on('peer:added', (peer) => common.emit({event: 'peer_added', ...peerJson(peer)}));
dpt.events.on('peer:removed', (peer) => common.emit({event: 'peer_removed', ...peerJson(peer)}));
dpt.events.on('error', (err) => common.emit({event: 'error', message: common.describe(err)}));

function target(spec) {
  const peer = {address: spec.host || '127.0.0.1', udpPort: Number(spec.udpPort)};
  if (spec.tcpPort !== undefined)
    peer.tcpPort = Number(spec.tcpPort);
  return peer;
}

common.readCommands(async (command) => {
  if (command.bootstrap !== undefined) {
    const peer = target(command.bootstrap);
    // DPT reports a failure as an error event and resolves anyway.
    await dpt.bootstrap(peer);
    const known = dpt.getPeers().find((entry) => entry.address === peer.address && entry.udpPort === peer.udpPort);
    common.emit({event: 'bootstrapped', address: peer.address, udpPort: peer.udpPort,
      id: known && known.id ? common.toHex(known.id) : null});
  } else if (command.addPeer !== undefined) {
    const peer = await dpt.addPeer(target(command.addPeer));
    common.emit({event: 'added', ...peerJson(peer)});
  } else if (command.peers) {
    common.emit({event: 'peers', peers: dpt.getPeers().map(peerJson)});
  } else {
    throw new Error('expected bootstrap, addPeer or peers');
  }
}, () => {
  process.stdout.write('', () => process.exit(0));
});

dpt.bind(port, host);
