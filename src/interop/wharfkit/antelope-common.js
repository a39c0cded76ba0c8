'use strict';

// What p2p-client.js and nodeos-standin.js share: the JSON lines they print and read, their command-line options,
// the handshake's token and signature as nodeos makes and checks them, and the nodeos form of go_away. Every
// encoding and decoding goes through @wharfkit/antelope.

const crypto = require('crypto');
const {emit, parseOptions: parseOptionsWithPrefix, readCommands} = require('../json-lines.js');
const {
  BlockId, Bytes, Checksum256, Int64, P2P, PrivateKey, Serializer, UInt32, VarUInt
} = require('@wharfkit/antelope');

/**
 * Leap 5's network_version (0x04b5 base + proto 7): a Spring node sends a peer that advertises it none of the
 * variants from index 9 on, which wharfkit 1.2.0 cannot decode. nodeos only logs a version mismatch.
 */
const NETWORK_VERSION = 0x04bc;

/** nodeos closes a connection whose frame announces more than this (and wharfkit refuses it too). */
const MAX_FRAME_LENGTH = 8 * 1024 * 1024;

/** nodeos' limit on the length of a handshake's p2p_address, os and agent. */
const MAX_HANDSHAKE_STRING = 384;

const GO_AWAY_REASONS = [
  'no_reason', 'self', 'duplicate', 'wrong_chain', 'wrong_version', 'forked', 'unlinkable', 'bad_transaction',
  'validation', 'benign_other', 'fatal_other', 'authentication'
];

const GO_AWAY_VARIANT_INDEX = 2;

/** wharfkit's JSON of a value, as a plain object (Int64 as a string, checksums as hex, keys as PUB_K1_...). */
function toJson(value) {
  return JSON.parse(JSON.stringify(value));
}

/** `--name value` options, each with an ANTELOPE_<NAME> environment variable as fallback. */
function parseOptions(argv, flags) {
  return parseOptionsWithPrefix(argv, flags, 'ANTELOPE_');
}

/** Now, in nanoseconds since the epoch, as a decimal string (what Int64.from takes without losing digits). */
function nowNs() {
  const [seconds, nanos] = process.hrtime();
  // hrtime has no epoch: anchor it to the wall clock once, keep its resolution.
  return (HRTIME_EPOCH_NS + BigInt(seconds) * 1000000000n + BigInt(nanos)).toString();
}
const HRTIME_EPOCH_NS = (() => {
  const [seconds, nanos] = process.hrtime();
  return BigInt(Date.now()) * 1000000n - (BigInt(seconds) * 1000000000n + BigInt(nanos));
})();

/** The token nodeos puts in a handshake and demands of a signed one: sha256 of the int64 LE of its time. */
function handshakeToken(time) {
  return Checksum256.hash(Serializer.encode({object: Int64.from(time)}));
}

/** A random node_id, as nodeos draws its own. */
function randomNodeId() {
  return Checksum256.from(Bytes.from(crypto.randomBytes(32)));
}

const ZERO_CHECKSUM = Checksum256.from(new Uint8Array(32));
/** The id of "no block": the previous of block 1, a handshake's head or LIB id without a chain. */
const ZERO_BLOCK_ID = BlockId.from(new Uint8Array(32));
// The all-zero K1 key and signature of an unsigned handshake: type byte 0 and zeros, decoded as wharfkit reads them.
const ZERO_PUBLIC_KEY = Serializer.decode({type: 'public_key', data: new Uint8Array(34)});
const ZERO_SIGNATURE = Serializer.decode({type: 'signature', data: new Uint8Array(66)});

function isZeroSignature(signature) {
  return Serializer.encode({object: signature}).equals(Serializer.encode({object: ZERO_SIGNATURE}));
}

/**
 * A K1 identity that signs handshakes: a fresh key (PrivateKey.generate, as the wharfkit P2P guide does), or none
 * for an unsigned one (all-zero key, token and signature).
 */
function handshakeIdentity(signed) {
  const privateKey = signed ? PrivateKey.generate('K1') : null;
  return {
    publicKey: privateKey ? privateKey.toPublic() : ZERO_PUBLIC_KEY,
    /** token and sig of a handshake at `time` (nanoseconds). */
    sign(time) {
      if (!privateKey)
        return {token: ZERO_CHECKSUM, sig: ZERO_SIGNATURE};
      const token = handshakeToken(time);
      return {token, sig: privateKey.signDigest(token)};
    },
    /** A signature over any digest with the same key (or the zero signature when unsigned). */
    signDigest(digest) {
      return privateKey ? privateKey.signDigest(digest) : ZERO_SIGNATURE;
    }
  };
}

/**
 * What nodeos checks of a handshake before anything else (its is_valid): a failure is answered with go_away
 * fatal_other. Returns the first problem, or null.
 */
function handshakeInvalidity(handshake) {
  if (Number(handshake.lastIrreversibleBlockNumber) > Number(handshake.headNum))
    return 'last irreversible block after head';
  if (handshake.p2pAddress.length === 0 || handshake.p2pAddress.length > MAX_HANDSHAKE_STRING)
    return 'p2p_address empty or too long';
  if (handshake.os.length === 0 || handshake.os.length > MAX_HANDSHAKE_STRING)
    return 'os empty or too long';
  if (handshake.agent.length > MAX_HANDSHAKE_STRING)
    return 'agent too long';
  const signedOrTokened = !isZeroSignature(handshake.sig) || !handshake.token.equals(ZERO_CHECKSUM);
  if (signedOrTokened && !handshake.token.equals(handshakeToken(handshake.time)))
    return 'token is not sha256(time)';
  return null;
}

/**
 * The signature check of nodeos' authenticate_peer: the key recovered from sig over token must be the handshake's
 * key. An unsigned handshake has nothing to recover (signed false).
 */
function verifyHandshakeSignature(handshake) {
  const tokenOk = handshake.token.equals(handshakeToken(handshake.time));
  if (isZeroSignature(handshake.sig))
    return {signed: false, ok: false, tokenOk, recovered: null};
  try {
    const recovered = handshake.sig.recoverDigest(handshake.token);
    return {signed: true, ok: tokenOk && recovered.equals(handshake.key), tokenOk, recovered: String(recovered)};
  } catch (err) {
    return {signed: true, ok: false, tokenOk, recovered: null, error: err.message};
  }
}

/** A frame: u32 LE length, then the payload (variant index and message). */
function frame(payload) {
  const bytes = Buffer.alloc(4 + payload.length);
  bytes.writeUInt32LE(payload.length, 0);
  Buffer.from(payload).copy(bytes, 4);
  return bytes;
}

/** A NetMessage variant's payload, encoded by wharfkit. */
function encodeMessage(value) {
  return Serializer.encode({object: P2P.NetMessage.from(value)}).array;
}

/**
 * go_away as nodeos writes it: the reason is an enum fc packs at its size, 4 bytes (37-byte payload), where
 * wharfkit's GoAwayMessage writes 1. Its pieces are still encoded by wharfkit.
 */
function nodeosGoAwayPayload(reason, nodeId) {
  return Buffer.concat([
    Serializer.encode({object: VarUInt.from(GO_AWAY_VARIANT_INDEX)}).array,
    Serializer.encode({object: UInt32.from(reason)}).array,
    Serializer.encode({object: Checksum256.from(nodeId)}).array
  ].map((part) => Buffer.from(part)));
}

function goAwayReason(name) {
  const reason = GO_AWAY_REASONS.indexOf(name);
  if (reason < 0)
    throw new Error(`unknown go_away reason ${name}`);
  return reason;
}

module.exports = {
  NETWORK_VERSION,
  MAX_FRAME_LENGTH,
  GO_AWAY_REASONS,
  ZERO_CHECKSUM,
  ZERO_BLOCK_ID,
  emit,
  toJson,
  parseOptions,
  readCommands,
  nowNs,
  handshakeToken,
  randomNodeId,
  handshakeIdentity,
  handshakeInvalidity,
  verifyHandshakeSignature,
  frame,
  encodeMessage,
  nodeosGoAwayPayload,
  goAwayReason
};
