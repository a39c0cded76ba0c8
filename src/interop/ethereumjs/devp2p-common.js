'use strict';

// What rlpx-peer.js and dpt-node.js share: the JSON lines they print and read, their command-line options, node
// keys, and RLP values as nested JSON arrays of hex strings. Every encoding goes through @ethereumjs/rlp.

const {emit, describe, parseOptions: parseOptionsWithPrefix, readCommands} = require('../json-lines.js');
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

/** `--name value` options, each with an ETHEREUMJS_<NAME> environment variable as fallback. */
function parseOptions(argv, flags) {
  return parseOptionsWithPrefix(argv, flags, 'ETHEREUMJS_');
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
