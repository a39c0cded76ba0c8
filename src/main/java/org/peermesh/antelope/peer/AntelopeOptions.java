package org.peermesh.antelope.peer;

import org.peermesh.antelope.crypto.AntelopePublicKey;
import org.peermesh.config.Checks;
import org.peermesh.peer.PoolOptions;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The {@code antelope} section of a node config: the node runs Antelope (EOSIO, Leap, Spring) peers of one chain,
 * beside the mesh protocol or (with {@code "mesh": false}) instead of it. Beside the pool's keys ({@link PoolOptions};
 * {@code maxInbound} is nodeos' max-clients, {@code pingInterval} its p2p-keepalive-interval-ms), the chain, where a
 * dialing node starts syncing, what our handshake says and which peers must prove a key. Defaults are nodeos'. The
 * README's "Antelope" section describes every key.
 */
public final class AntelopeOptions extends PoolOptions<AntelopeOptions> {

  /** nodeos' max_message_size: a frame's limit. */
  static final int MAX_MESSAGE_SIZE = 8 * 1024 * 1024;
  /** The u32 length before every message. */
  static final int LENGTH_PREFIX_SIZE = 4;
  /** Leap 3.1 to 5's network_version, 0x04b5 + proto_leap_initial (7): Spring then sends no message past index 8. */
  static final int LEAP_NETWORK_VERSION = 0x04bc;
  /** syncFrom's value for following the chain from the peer's head, as wharfkit's P2P guide does. */
  public static final String SYNC_FROM_HEAD = "head";
  private static final Pattern HEX_32_BYTES = Pattern.compile("[0-9a-fA-F]{64}");
  private static final Pattern BLOCK_NUMBER = Pattern.compile("[1-9][0-9]{0,9}");
  /** nodeos' limit on p2p_address, os and agent in a handshake, in bytes. */
  static final int MAX_HANDSHAKE_STRING = 384;
  /** The digits of our node_id a p2p_address ends with, after " - ", as nodeos writes it. */
  static final int P2P_ADDRESS_NODE_ID_DIGITS = 7;
  private static final int P2P_ADDRESS_SUFFIX_LENGTH = " - ".length() + P2P_ADDRESS_NODE_ID_DIGITS;

  /** Which peers must prove a key: nodeos' allowed-connection. */
  public enum AllowedConnection {
    /** Every peer of the chain, signed or not (nodeos' default). */
    ANY,
    /** Only peers whose handshake is signed by the key it names, whatever the key. */
    SIGNED,
    /** Only peers signed by one of {@code allowedKeys} (nodeos' "specified"). */
    SPECIFIED;

    public String jsonName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private String chainId;
  private String syncFrom = SYNC_FROM_HEAD;
  private int networkVersion = LEAP_NETWORK_VERSION;
  private String agent = "PeerMesh";
  /** What our handshake gives as our address; null: the listen address, or none for a node that only dials. */
  private String p2pAddress;
  private int maxClientsPerHost = 1;
  /** One of {@link AllowedConnection}'s names, in lower case as nodeos writes them. */
  private String allowedConnection = "any";
  private List<String> allowedKeys = List.of();
  /** How many recent blocks the node keeps to relay, dedup and serve sync requests from. */
  private int blockWindow = 1_000;
  /** How many recent transaction ids the node remembers, so that each is published and relayed once. */
  private int transactionWindow = 100_000;
  /** How many blocks one sync_request asks a peer for: nodeos' sync-fetch-span. */
  private int syncFetchSpan = 1_000;

  /** Options with nodeos' defaults: no chain (it must be given), no listener, no peers to dial. */
  public AntelopeOptions() {
    setMaxMessageSize(MAX_MESSAGE_SIZE);
    // A sync response streams many blocks; two maximal messages may wait for a peer that reads slower than we write.
    setMaxWriteQueueSize(2L * (MAX_MESSAGE_SIZE + LENGTH_PREFIX_SIZE));
    setMaxInbound(25);
    setConnectTimeout(10_000);
    setHandshakeTimeout(10_000);
    // nodeos' p2p-keepalive-interval-ms, and its heartbeat timeout of two intervals for outbound peers.
    setPingInterval(10_000);
    setPeerTimeout(20_000);
    setReconnectInterval(30_000);
  }

  @Override
  public void check(Checks c) {
    super.check(c);
    c.text("chainId", chainId, "the chain's id, 64 hex digits", s -> HEX_32_BYTES.matcher(s).matches());
    c.text("syncFrom", syncFrom, "\"head\" or a block number from 1",
        s -> s.equals(SYNC_FROM_HEAD) || BLOCK_NUMBER.matcher(s).matches() && Long.parseLong(s) <= 0xffffffffL);
    c.between("networkVersion", networkVersion, 1, 0xffff);
    c.text("agent", agent, "at most " + MAX_HANDSHAKE_STRING + " bytes of UTF-8",
        s -> bytesOf(s) <= MAX_HANDSHAKE_STRING);
    // Our handshake appends " - " and 7 hex digits of our node_id, and nodeos refuses a longer address.
    int maxAddress = MAX_HANDSHAKE_STRING - P2P_ADDRESS_SUFFIX_LENGTH;
    c.optionalText("p2pAddress", p2pAddress, "1 to " + maxAddress + " bytes of UTF-8",
        s -> !s.isEmpty() && bytesOf(s) <= maxAddress);
    c.atLeast("maxClientsPerHost", maxClientsPerHost, 1);
    boolean knownMode = c.text("allowedConnection", allowedConnection, "any, signed or specified",
        s -> Arrays.stream(AllowedConnection.values()).anyMatch(mode -> mode.jsonName().equals(s)));
    for (String key : allowedKeys) {
      c.expect(isPublicKey(key), "allowedKeys", "public keys (PUB_K1_... or EOS...)", key);
    }
    c.expect(!knownMode || getAllowedConnection() != AllowedConnection.SPECIFIED || !allowedKeys.isEmpty(), "allowedKeys",
        "at least one key when allowedConnection is specified", allowedKeys);
    c.between("blockWindow", blockWindow, 1, 1_000_000);
    c.between("transactionWindow", transactionWindow, 1, 10_000_000);
    c.between("syncFetchSpan", syncFetchSpan, 1, 100_000);
    c.between("maxMessageSize", getMaxMessageSize(), 1024, MAX_MESSAGE_SIZE);
  }

  /** A string's length as nodeos counts it: its bytes in UTF-8. */
  static int bytesOf(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }

  private static boolean isPublicKey(String text) {
    try {
      AntelopePublicKey.parse(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The chain id. */
  @Override
  public String summary() {
    return chainId == null ? "no chain" : "chain " + chainId.substring(0, 12) + "...";
  }

  /** nodeos' p2p port. */
  @Override
  public int defaultPort() {
    return 9876;
  }

  @Override
  public int maxFrameSize() {
    return getMaxMessageSize() + LENGTH_PREFIX_SIZE;
  }

  public String getChainId() {
    return chainId;
  }

  public AntelopeOptions setChainId(String chainId) {
    this.chainId = chainId;
    return this;
  }

  /** {@code "head"}, or the number of the first block a dialing node syncs. */
  public String getSyncFrom() {
    return syncFrom;
  }

  public AntelopeOptions setSyncFrom(String syncFrom) {
    this.syncFrom = syncFrom;
    return this;
  }

  public int getNetworkVersion() {
    return networkVersion;
  }

  public AntelopeOptions setNetworkVersion(int networkVersion) {
    this.networkVersion = networkVersion;
    return this;
  }

  public String getAgent() {
    return agent;
  }

  public AntelopeOptions setAgent(String agent) {
    this.agent = agent;
    return this;
  }

  public String getP2pAddress() {
    return p2pAddress;
  }

  public AntelopeOptions setP2pAddress(String p2pAddress) {
    this.p2pAddress = p2pAddress;
    return this;
  }

  /** nodeos' p2p-max-nodes-per-host: established inbound peers from one IP. */
  public int getMaxClientsPerHost() {
    return maxClientsPerHost;
  }

  public AntelopeOptions setMaxClientsPerHost(int maxClientsPerHost) {
    this.maxClientsPerHost = maxClientsPerHost;
    return this;
  }

  public AllowedConnection getAllowedConnection() {
    return AllowedConnection.valueOf(allowedConnection.toUpperCase(Locale.ROOT));
  }

  public AntelopeOptions setAllowedConnection(AllowedConnection allowedConnection) {
    this.allowedConnection = allowedConnection.jsonName();
    return this;
  }

  /** The keys a peer may sign with when {@code allowedConnection} is {@code specified}. */
  public List<String> getAllowedKeys() {
    return allowedKeys;
  }

  public AntelopeOptions setAllowedKeys(List<String> allowedKeys) {
    this.allowedKeys = List.copyOf(allowedKeys);
    return this;
  }

  public int getBlockWindow() {
    return blockWindow;
  }

  public AntelopeOptions setBlockWindow(int blockWindow) {
    this.blockWindow = blockWindow;
    return this;
  }

  public int getTransactionWindow() {
    return transactionWindow;
  }

  public AntelopeOptions setTransactionWindow(int transactionWindow) {
    this.transactionWindow = transactionWindow;
    return this;
  }

  public int getSyncFetchSpan() {
    return syncFetchSpan;
  }

  public AntelopeOptions setSyncFetchSpan(int syncFetchSpan) {
    this.syncFetchSpan = syncFetchSpan;
    return this;
  }
}
