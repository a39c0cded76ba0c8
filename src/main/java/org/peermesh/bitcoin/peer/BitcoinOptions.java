package org.peermesh.bitcoin.peer;

import org.peermesh.bitcoin.BitcoinNetwork;
import org.peermesh.config.Checks;
import org.peermesh.peer.PoolOptions;

import java.util.regex.Pattern;

/**
 * The {@code bitcoin} section of a node config: the node runs Bitcoin peers on this network, beside the mesh
 * protocol or (with {@code "mesh": false}) instead of it. Beside the pool's keys ({@link PoolOptions}), the network
 * (a custom one is a name that is none of the known ones, with {@code magic} and {@code port}) and what our version
 * message says. Defaults are Bitcoin Core's where it has one. The README's "Bitcoin" section describes every key.
 */
public final class BitcoinOptions extends PoolOptions<BitcoinOptions> {

  /** The bytes of a message's header: magic, command, length, checksum. */
  static final int HEADER_SIZE = 24;
  /** Bitcoin Core's MAX_PROTOCOL_MESSAGE_LENGTH, a payload's limit. */
  private static final int MAX_PROTOCOL_MESSAGE_LENGTH = 4_000_000;
  private static final Pattern MAGIC_SYNTAX = Pattern.compile("(0x)?[0-9a-fA-F]{8}");
  private static final Pattern USER_AGENT_SYNTAX = Pattern.compile("[\\x20-\\x7e]{0,256}");

  private String network = BitcoinNetwork.MAINNET.name();
  /** A custom network's message-start bytes, 8 hex digits in wire order. */
  private String magic;
  /** A custom network's port. */
  private int port;
  private String userAgent = "/PeerMesh:0.1.0/";
  /** 70016 is BIP 339's wtxidrelay version; a peer speaking less gets the lower version's messages only. */
  private int protocolVersion = 70016;
  /** A watcher serves no blocks, so it claims no services: NODE_NETWORK would have peers sync from us in vain. */
  private long services;
  /** Our version's relay flag: false asks peers not to announce transactions (BIP 37). */
  private boolean relay = true;
  /** Whether announced blocks and transactions are fetched with getdata, so that they arrive decoded. */
  private boolean fetchAnnounced = true;

  /** Options with every default: mainnet, no listener, no peers to dial, no proxy. */
  public BitcoinOptions() {
    setMaxMessageSize(MAX_PROTOCOL_MESSAGE_LENGTH);
    // Two maximal messages may wait for a peer that reads slower than we write.
    setMaxWriteQueueSize(2L * (MAX_PROTOCOL_MESSAGE_LENGTH + HEADER_SIZE));
    setMaxInbound(117);
    setConnectTimeout(10_000);
    // Bitcoin Core gives a peer 60 s for its version (m_peer_connect_timeout); a healthy one needs milliseconds.
    setHandshakeTimeout(60_000);
    // Bitcoin Core's PING_INTERVAL (2 min) and TIMEOUT_INTERVAL (20 min).
    setPingInterval(120_000);
    setPeerTimeout(1_200_000);
    setReconnectInterval(5_000);
  }

  @Override
  public void check(Checks c) {
    super.check(c);
    boolean known = BitcoinNetwork.byName(network == null ? "" : network).isPresent();
    if (c.text("network", network, "a network name (mainnet, testnet3, testnet4, signet, regtest, or a custom one with"
        + " magic and port)", s -> !s.isBlank())) {
      if (known && (magic != null || port != 0)) {
        c.expect(false, "network", "no magic or port beside a known network's name (a custom network needs a name of"
            + " its own)", network);
      } else if (!known && (magic == null || port == 0)) {
        c.expect(false, "network", "mainnet, testnet3, testnet4, signet or regtest, or a custom network with 'magic'"
            + " and 'port'", network);
      }
    }
    c.optionalText("magic", magic, "8 hex digits, the message-start bytes in wire order",
        s -> MAGIC_SYNTAX.matcher(s).matches());
    c.between("port", port, 0, 65535);
    c.text("userAgent", userAgent, "printable ASCII of at most 256 characters",
        s -> USER_AGENT_SYNTAX.matcher(s).matches());
    c.atLeast("protocolVersion", protocolVersion, 31800);
    c.atLeast("services", services, 0);
    c.between("maxMessageSize", getMaxMessageSize(), 1024, 32 * 1024 * 1024);
  }

  /** The network named by {@code network} (and, for a custom one, {@code magic} and {@code port}). */
  public BitcoinNetwork getNetwork() {
    return BitcoinNetwork.byName(network).orElseGet(() -> magic == null || port == 0 ? BitcoinNetwork.MAINNET
        : BitcoinNetwork.custom(network, Integer.parseUnsignedInt(magic.startsWith("0x") ? magic.substring(2) : magic,
        16), port));
  }

  public BitcoinOptions setNetwork(BitcoinNetwork network) {
    this.network = network.name();
    this.magic = network.isCustom() ? network.magicHex() : null;
    this.port = network.isCustom() ? network.defaultPort() : 0;
    return this;
  }

  /** The network's name. */
  @Override
  public String summary() {
    return getNetwork().name();
  }

  /** A {@code connect} command without a port dials the network's. */
  @Override
  public int defaultPort() {
    return getNetwork().defaultPort();
  }

  /** A payload of maxMessageSize and its header. */
  @Override
  public int maxFrameSize() {
    return getMaxMessageSize() + HEADER_SIZE;
  }

  public String getUserAgent() {
    return userAgent;
  }

  public BitcoinOptions setUserAgent(String userAgent) {
    this.userAgent = userAgent;
    return this;
  }

  public int getProtocolVersion() {
    return protocolVersion;
  }

  public BitcoinOptions setProtocolVersion(int protocolVersion) {
    this.protocolVersion = protocolVersion;
    return this;
  }

  /** The service bits our version message claims. */
  public long getServices() {
    return services;
  }

  public BitcoinOptions setServices(long services) {
    this.services = services;
    return this;
  }

  public boolean isRelay() {
    return relay;
  }

  public BitcoinOptions setRelay(boolean relay) {
    this.relay = relay;
    return this;
  }

  public boolean isFetchAnnounced() {
    return fetchAnnounced;
  }

  public BitcoinOptions setFetchAnnounced(boolean fetchAnnounced) {
    this.fetchAnnounced = fetchAnnounced;
    return this;
  }
}
