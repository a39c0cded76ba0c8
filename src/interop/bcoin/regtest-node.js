'use strict';

// A real bcoin full node on regtest, in memory, listening on 127.0.0.1 only, for the Bitcoin interop tests
// (org.peermesh.testing.bitcoin.BcoinNode starts it). It never looks for peers by itself: no DNS seeds, no UPnP,
// no external address discovery; it only talks to whoever connects to it, or to what `addnode` names.
//
//   node regtest-node.js --p2p-port N --rpc-port N --wallet-port N --api-key KEY [--log-level warning]
//
// Standard output carries exactly one line, once the node is open and its P2P port listens:
//   {"ready":true,"p2pPort":N,"rpcPort":N,"walletPort":N}
// Logs go to standard error. The node closes and the process exits when standard input closes (so a dying parent
// takes it along), on SIGTERM or on SIGINT.

const util = require('util');
const Logger = require('blgr');
const Network = require('bcoin/lib/protocol/network');
const FullNode = require('bcoin/lib/node/fullnode');
const walletPlugin = require('bcoin/lib/wallet/plugin');

function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--') || i + 1 >= argv.length)
      throw new Error(`bad argument: ${arg} (expected --name value)`);
    args[arg.slice(2)] = argv[++i];
  }
  return args;
}

function port(args, name) {
  const value = Number(args[name]);
  if (!Number.isInteger(value) || value <= 0 || value > 65535)
    throw new Error(`--${name} needs a port number, got ${args[name]}`);
  return value;
}

function fail(err) {
  process.stderr.write(`regtest-node: ${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const p2pPort = port(args, 'p2p-port');
  const rpcPort = port(args, 'rpc-port');
  const walletPort = port(args, 'wallet-port');
  const apiKey = args['api-key'];
  if (!apiKey)
    throw new Error('--api-key is required');
  const logLevel = args['log-level'] || 'warning';

  // Some of bcoin (the wallet RPC's addresses, for one) formats with the primary network, not the node's.
  Network.set('regtest');

  // blgr writes its console lines to stdout, which is reserved for the ready line here: send them to stderr.
  const logger = new Logger();
  logger.writeConsole = function writeConsole(level, module, list) {
    if (!this.console)
      return false;
    const name = Logger.levelsByVal[level];
    process.stderr.write(`[${name}] ${module ? `(${module}) ` : ''}${util.format(...list)}\n`);
    return true;
  };

  const node = new FullNode({
    network: 'regtest',
    memory: true,
    workers: false,
    logger,
    logConsole: true,
    logLevel,
    listen: true,
    host: '127.0.0.1',
    port: p2pPort,
    publicHost: '127.0.0.1',
    publicPort: p2pPort,
    httpHost: '127.0.0.1',
    httpPort: rpcPort,
    apiKey,
    seeds: [],
    maxOutbound: 1,
    upnp: false,
    // The wallet plugin reads the "wallet-" options: in memory too, its own HTTP port, the same API key.
    walletHttpHost: '127.0.0.1',
    walletHttpPort: walletPort,
    walletApiKey: apiKey,
    walletMemory: true
  });
  node.use(walletPlugin);

  // Never reach out for a public address, a gateway or DNS seeds.
  node.pool.discoverExternal = async () => {};
  node.pool.discoverGateway = async () => false;
  node.pool.discoverSeeds = async () => {};

  let closing = null;
  const shutdown = (why) => {
    if (closing)
      return closing;
    process.stderr.write(`regtest-node: closing (${why})\n`);
    closing = (async () => {
      try {
        if (node.opened)
          await node.close();
      } catch (err) {
        process.stderr.write(`regtest-node: error while closing: ${err.stack || err}\n`);
      }
      process.exit(0);
    })();
    // A close that hangs must not keep the process alive.
    setTimeout(() => process.exit(0), 5000).unref();
    return closing;
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.stdin.on('end', () => shutdown('stdin closed'));
  process.stdin.on('close', () => shutdown('stdin closed'));
  process.stdin.on('error', () => shutdown('stdin error'));
  process.stdin.resume();

  node.on('error', (err) => {
    process.stderr.write(`regtest-node: node error: ${err && err.stack ? err.stack : err}\n`);
  });

  await node.ensure();
  await node.open();
  await node.connect();
  node.startSync();

  const address = node.pool.server.address();
  process.stdout.write(JSON.stringify({
    ready: true,
    p2pPort: address ? address.port : p2pPort,
    rpcPort,
    walletPort
  }) + '\n');
}

process.on('unhandledRejection', fail);
main().catch(fail);
