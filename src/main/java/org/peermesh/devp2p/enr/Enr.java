package org.peermesh.devp2p.enr;

import org.peermesh.crypto.Keccak256;
import org.peermesh.crypto.NodeKey;
import org.peermesh.crypto.Secp256k1;
import org.peermesh.devp2p.rlp.Rlp;
import org.peermesh.devp2p.rlp.RlpException;
import org.peermesh.devp2p.rlp.RlpItem;
import org.peermesh.devp2p.rlp.RlpList;
import org.peermesh.devp2p.rlp.RlpString;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An Ethereum Node Record (EIP-778): {@code [signature, seq, k, v, ...]}, the keys sorted and unique, at most
 * {@value #MAX_SIZE} bytes encoded, signed under the "v4" identity scheme: a 64-byte {@code r || s} secp256k1
 * signature of {@code keccak256(rlp([seq, k, v, ...]))} by the compressed key under "secp256k1".
 *
 * <p>Values are kept as RLP items because a value may be a list (the "eth" entry is {@code [[forkHash, forkNext]]});
 * keys are strings of ISO-8859-1 characters, one per key byte, so that any key round-trips byte for byte and the
 * strings sort as the bytes do. Immutable; equal when the encodings are.
 */
public final class Enr {

  public static final int MAX_SIZE = 300;
  public static final String TEXT_PREFIX = "enr:";
  public static final String ID_KEY = "id";
  public static final String V4_SCHEME = "v4";
  public static final String SECP256K1_KEY = "secp256k1";
  private static final int MAX_KEY_CHAR = 0xFF;
  /** base64 of {@link #MAX_SIZE} bytes, unpadded. */
  private static final int MAX_TEXT_LENGTH = TEXT_PREFIX.length() + (MAX_SIZE * 4 + 2) / 3;

  private final long seq;
  private final SortedMap<String, RlpItem> pairs;
  private final byte[] signature;
  private final byte[] encoded;

  /**
   * A record from its parts, signed or not ({@link #verify()} tells).
   *
   * @throws IllegalArgumentException for a negative seq or a key with a character above U+00FF
   * @throws EnrException {@code too_large} if it encodes to more than {@value #MAX_SIZE} bytes
   */
  public Enr(long seq, Map<String, RlpItem> pairs, byte[] signature) {
    if (seq < 0) {
      throw new IllegalArgumentException("seq must not be negative, got " + seq);
    }
    TreeMap<String, RlpItem> sorted = new TreeMap<>();
    pairs.forEach((key, value) -> {
      if (key.chars().anyMatch(c -> c > MAX_KEY_CHAR)) {
        throw new IllegalArgumentException("a key is bytes, one per character up to U+00FF: " + key);
      }
      sorted.put(key, Objects.requireNonNull(value, key));
    });
    this.seq = seq;
    this.pairs = Collections.unmodifiableSortedMap(sorted);
    this.signature = signature.clone();
    List<RlpItem> record = new ArrayList<>();
    record.add(RlpString.of(this.signature));
    record.addAll(content(seq, sorted).items());
    this.encoded = Rlp.encode(new RlpList(record));
    if (encoded.length > MAX_SIZE) {
      throw new EnrException("too_large", "the record is " + encoded.length + " bytes, above " + MAX_SIZE);
    }
  }

  /**
   * A "v4" record of {@code pairs} signed with {@code privateKey32}; the "id" and "secp256k1" pairs are added.
   *
   * @throws EnrException {@code too_large} if it encodes to more than {@value #MAX_SIZE} bytes
   */
  public static Enr sign(byte[] privateKey32, long seq, Map<String, RlpItem> pairs) {
    TreeMap<String, RlpItem> signed = new TreeMap<>(pairs);
    signed.put(ID_KEY, RlpString.of(V4_SCHEME));
    signed.put(SECP256K1_KEY, RlpString.of(Secp256k1.publicKeyOf(privateKey32)));
    byte[] signature = NodeKey.fromPrivateKey(privateKey32).sign(signingHash(seq, signed));
    return new Enr(seq, signed, signature);
  }

  /**
   * A "v4" record of a node at {@code ip} ("ip" for IPv4, "ip6" for IPv6) with RLPx on {@code tcp} and discovery
   * on {@code udp}.
   */
  public static Enr sign(byte[] privateKey32, long seq, InetAddress ip, int tcp, int udp) {
    return sign(privateKey32, seq, Map.of(ip instanceof Inet4Address ? "ip" : "ip6", RlpString.of(ip.getAddress()),
        "tcp", RlpString.of(tcp), "udp", RlpString.of(udp)));
  }

  /**
   * Reads and verifies an encoded record.
   *
   * @throws EnrException for a record above {@value #MAX_SIZE} bytes (refused before parsing), malformed RLP, keys
   *     out of order or repeated, an identity scheme other than "v4", or a signature that does not verify
   */
  public static Enr decode(byte[] rlp) {
    if (rlp.length > MAX_SIZE) {
      throw new EnrException("too_large", "the record is " + rlp.length + " bytes, above " + MAX_SIZE);
    }
    Enr record;
    try {
      RlpList list = Rlp.decode(rlp).list("record");
      if (list.size() < 2 || list.size() % 2 != 0) {
        throw new EnrException("bad_shape", "a record is [signature, seq, k, v, ...], not " + list.size() + " items");
      }
      TreeMap<String, RlpItem> pairs = new TreeMap<>();
      String previous = null;
      for (int i = 2; i < list.size(); i += 2) {
        String key = new String(list.string(i, "key").bytes(), StandardCharsets.ISO_8859_1);
        if (previous != null && previous.compareTo(key) >= 0) {
          throw new EnrException("unsorted_keys", "key '" + key + "' after '" + previous + "'");
        }
        pairs.put(key, list.get(i + 1, key));
        previous = key;
      }
      record = new Enr(list.string(1, "seq").asLong("seq"), pairs, list.string(0, "signature").bytes());
    } catch (RlpException e) {
      throw new EnrException("bad_rlp", e.kind() + ": " + e.detail());
    }
    if (!record.scheme().equals(Optional.of(V4_SCHEME))) {
      throw new EnrException("unknown_scheme", "identity scheme " + record.scheme().orElse("(none)"));
    }
    if (!record.verify()) {
      throw new EnrException("bad_signature", "the signature is not by the record's secp256k1 key");
    }
    return record;
  }

  /**
   * Reads and verifies a record in text form, {@code enr:} and unpadded URL-safe base64.
   *
   * @throws EnrException {@code bad_text}, or as {@link #decode}
   */
  public static Enr fromText(String text) {
    if (!text.startsWith(TEXT_PREFIX) || text.length() > MAX_TEXT_LENGTH) {
      throw new EnrException("bad_text", "not enr:<base64 of at most " + MAX_SIZE + " bytes>");
    }
    String base64 = text.substring(TEXT_PREFIX.length());
    if (base64.contains("=")) {
      throw new EnrException("bad_text", "the base64 is padded");
    }
    try {
      return decode(Base64.getUrlDecoder().decode(base64));
    } catch (IllegalArgumentException e) {
      throw new EnrException("bad_text", "not URL-safe base64: " + e.getMessage());
    }
  }

  /**
   * Whether this is a "v4" record signed by the key under "secp256k1". A record that {@link #decode} returned
   * always is.
   */
  public boolean verify() {
    return scheme().equals(Optional.of(V4_SCHEME)) && compressedKey()
        .filter(key -> Secp256k1.verify(key, signingHash(seq, pairs), signature))
        .isPresent();
  }

  /** The record's encoding, {@code rlp([signature, seq, k, v, ...])}; a copy. */
  public byte[] encode() {
    return encoded.clone();
  }

  /** The text form: {@code enr:} and the encoding in URL-safe base64 without padding. */
  public String toText() {
    return TEXT_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(encoded);
  }

  public long seq() {
    return seq;
  }

  /** The key/value pairs, sorted by key; unmodifiable. */
  public SortedMap<String, RlpItem> pairs() {
    return pairs;
  }

  /** The signature; a copy. */
  public byte[] signature() {
    return signature.clone();
  }

  /** The 64-byte (X || Y) form of the "secp256k1" key, if the record has a valid one: the devp2p node key. */
  public Optional<byte[]> publicKey64() {
    return compressedKey().flatMap(Secp256k1::toPublicKey64);
  }

  /** The "v4" node id: Keccak-256 of {@link #publicKey64()}, the point in discovery's 256-bit space. */
  public Optional<byte[]> nodeId() {
    return publicKey64().map(Keccak256::hash);
  }

  /** The IPv4 address under "ip", if there is one of 4 bytes. */
  public Optional<InetAddress> ip() {
    return bytes("ip").filter(ip -> ip.length == 4).map(Enr::address);
  }

  /** The TCP port under "tcp", if there is one from 0 to 65535. */
  public OptionalInt tcp() {
    return port("tcp");
  }

  /** The UDP port under "udp", if there is one from 0 to 65535. */
  public OptionalInt udp() {
    return port("udp");
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Enr record && Arrays.equals(encoded, record.encoded);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encoded);
  }

  @Override
  public String toString() {
    return toText();
  }

  private Optional<String> scheme() {
    return bytes(ID_KEY).map(id -> new String(id, StandardCharsets.ISO_8859_1));
  }

  private Optional<byte[]> compressedKey() {
    return bytes(SECP256K1_KEY).filter(Secp256k1::isValidPublicKey);
  }

  private OptionalInt port(String key) {
    Optional<byte[]> bytes = bytes(key).filter(port -> port.length <= 2 && (port.length == 0 || port[0] != 0));
    return bytes.isEmpty() ? OptionalInt.empty() : OptionalInt.of(RlpString.of(bytes.get()).asInt(key));
  }

  /** The value under {@code key} if it is a string (not a list). */
  private Optional<byte[]> bytes(String key) {
    return Optional.ofNullable(pairs.get(key)).filter(RlpString.class::isInstance)
        .map(value -> ((RlpString) value).bytes());
  }

  private static RlpList content(long seq, SortedMap<String, RlpItem> pairs) {
    List<RlpItem> content = new ArrayList<>(1 + 2 * pairs.size());
    content.add(RlpString.of(seq));
    pairs.forEach((key, value) -> {
      content.add(RlpString.of(key.getBytes(StandardCharsets.ISO_8859_1)));
      content.add(value);
    });
    return new RlpList(content);
  }

  private static byte[] signingHash(long seq, SortedMap<String, RlpItem> pairs) {
    return Keccak256.hash(Rlp.encode(content(seq, pairs)));
  }

  private static InetAddress address(byte[] ip) {
    try {
      return InetAddress.getByAddress(ip);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("a 4-byte address is always an address", e);
    }
  }
}
