'use strict';

// What rlpx-peer.js and dpt-node.js share: the JSON lines they print and read, their command-line options, node
// keys, and RLP values as nested JSON arrays of hex strings. Every encoding goes through @ethereumjs/rlp.

const readline = require('readline');
const {RLP} = require('@ethereumjs/rlp');
const {bytesToUnprefixedHex, hexToBytes} = require('@ethereumjs/util');
const {DISCONNECT_REASON, DisconnectReasonNames, genPrivateKey} = require('@ethereumjs/devp2p');

/** geth's words for the Disconnect reasons (p2p/peer_error.go), by code. */
const REASON_TEXTS = {
  0x00: 'disconnect requested',
  0x01: 'network error',
  0x02: 'breach of protocol',
  0x03: 'useless peer',
  0x04: 'too many peers',
  0x05: 'already connected',
  0x06: 'incompatible p2p protocol version',
  0x07: 'invalid node identity',
  0x08: 'client quitting',
  0x09: 'unexpected identity',
  0x0a: 'connected to self',
  0x0b: 'read timeout',
  0x10: 'subprotocol error'
};

/** One event, one line of JSON on standard output: the Java harness reads these. */
function emit(event) {
  process.stdout.write(JSON.stringify(event) + '\n');
}

/** An error's message, for an error event. */
function describe(err) {
  return String(err && err.message ? err.message : err);
}

/**
 * `--name value` options, each with an environment variable as fallback (`--key` or ETHEREUMJS_KEY); `flags` name
 * the options that take no value.
 */
function parseOptions(argv, flags) {
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--'))
      throw new Error(`bad argument: ${arg} (expected --name [value])`);
    const name = arg.slice(2);
    if (flags.includes(name)) {
      options[name] = true;
    } else {
      if (i + 1 >= argv.length)
        throw new Error(`--${name} needs a value`);
      options[name] = argv[++i];
    }
  }
  return (name, fallback) => {
    if (options[name] !== undefined)
      return options[name];
    const fromEnv = process.env['ETHEREUMJS_' + name.toUpperCase().replace(/-/g, '_')];
    if (fromEnv !== undefined)
      return flags.includes(name) ? fromEnv === '1' || fromEnv === 'true' : fromEnv;
    return fallback;
  };
}

/**
 * Hands each JSON line of standard input to `onCommand`, reporting lines it cannot parse or that throw (or whose
 * promise rejects) as error events, and calls `onEnd` when standard input closes: the parent has gone or wants this
 * process gone.
 */
function readCommands(onCommand, onEnd) {
  const lines = readline.createInterface({input: process.stdin});
  lines.on('line', (line) => {
    if (line.trim() === '')
      return;
    const fail = (err) => emit({event: 'error', message: `command ${line}: ${describe(err)}`});
    try {
      const result = onCommand(JSON.parse(line));
      if (result && typeof result.catch === 'function')
        result.catch(fail);
    } catch (err) {
      fail(err);
    }
  });
  lines.on('close', onEnd);
}

/** Bytes from hex, with or without 0x. */
function fromHex(hex) {
  if (typeof hex !== 'string' || !/^(0x)?([0-9a-fA-F]{2})*$/.test(hex))
    throw new Error(`expected hex, got ${JSON.stringify(hex)}`);
  return hexToBytes(hex.startsWith('0x') ? hex : '0x' + hex);
}

/** Lower-case hex without 0x. */
function toHex(bytes) {
  return bytesToUnprefixedHex(bytes);
}

/** The node key from --key (64 hex digits), or a fresh one. */
function privateKey(hex) {
  if (hex === undefined)
    return genPrivateKey();
  const key = fromHex(hex);
  if (key.length !== 32)
    throw new Error(`--key must be 32 bytes, got ${key.length}`);
  return key;
}

/** An RLP value written as JSON: a hex string is a byte string, an array a list. */
function fromJson(value) {
  if (Array.isArray(value))
    return value.map(fromJson);
  return fromHex(value);
}

/** An RLP value (as @ethereumjs/rlp decodes it) as JSON: byte strings as hex, lists as arrays. */
function toJson(value) {
  if (Array.isArray(value))
    return value.map(toJson);
  return toHex(value);
}

/** RLP bytes of a JSON value (see fromJson). */
function encodeJson(value) {
  return RLP.encode(fromJson(value));
}

/** The JSON of RLP bytes, or null when they are not exactly one RLP value. */
function decodeToJson(bytes) {
  try {
    return toJson(RLP.decode(bytes));
  } catch (err) {
    return null;
  }
}

/** A Disconnect reason's code, ethereumjs' name of it and geth's words, for the events. */
function reason(code) {
  if (code === undefined || code === null)
    return {reason: null, reasonName: null, reasonText: null};
  return {reason: code, reasonName: DisconnectReasonNames[code] ?? null, reasonText: REASON_TEXTS[code] ?? null};
}

module.exports = {
  DISCONNECT_REASON,
  emit,
  describe,
  parseOptions,
  readCommands,
  fromHex,
  toHex,
  privateKey,
  fromJson,
  toJson,
  encodeJson,
  decodeToJson,
  reason
};
