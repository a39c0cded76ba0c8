package org.peermesh.node;

import org.peermesh.peer.PeerAddress;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.peermesh.bitcoin.BitcoinNetwork;
import org.peermesh.node.ConfigReader.IntRule;
import org.peermesh.node.ConfigReader.StringRule;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The {@code bitcoin} section of a node config: the node runs Bitcoin peers on this network, beside the mesh
 * protocol or (with the node's {@code mesh: false}) instead of it. {@code listen}, {@code connect} and {@code proxy}
 * are each optional; a custom network is a {@code network} name that is none of the known ones, with {@code magic}
 * and {@code port}. The README's "Bitcoin" section describes every key; durations are milliseconds, sizes bytes.
 */
public final class BitcoinOptions {

  public static final String DEFAULT_NETWORK = BitcoinNetwork.MAINNET.name();
  public static final String DEFAULT_USER_AGENT = "/PeerMesh:0.1.0/";
  /** 70016 is BIP 339's wtxidrelay version; a peer speaking less gets the lower version's messages only. */
  public static final int DEFAULT_PROTOCOL_VERSION = 70016;
  /** A watcher serves no blocks, so it claims no services: NODE_NETWORK would have peers sync from us in vain. */
  public static final long DEFAULT_SERVICES = 0;
  public static final boolean DEFAULT_RELAY = true;
  public static final boolean DEFAULT_FETCH_ANNOUNCED = true;
  /** Bitcoin Core's MAX_PROTOCOL_MESSAGE_LENGTH. */
  public static final int DEFAULT_MAX_PAYLOAD_SIZE = 4_000_000;
  /** Bitcoin Core gives a peer 60 s for its version (m_peer_connect_timeout); a healthy one needs milliseconds. */
  public static final int DEFAULT_HANDSHAKE_TIMEOUT = 60_000;
  public static final int DEFAULT_CONNECT_TIMEOUT = 10_000;
  /** Bitcoin Core's PING_INTERVAL (2 min) and TIMEOUT_INTERVAL (20 min). */
  public static final int DEFAULT_PING_INTERVAL = 120_000;
  public static final int DEFAULT_PEER_TIMEOUT = 1_200_000;
  public static final int DEFAULT_MAX_INBOUND = 117;
  public static final int DEFAULT_RECONNECT_INTERVAL = 5_000;
  /** As the mesh's: one IP may have this many inbound connections short of verack, so it cannot hold every slot. */
  public static final int DEFAULT_MAX_PENDING_HANDSHAKES_PER_IP = NodeOptions.DEFAULT_MAX_PENDING_HANDSHAKES_PER_IP;
  /** Bitcoin Core's DEFAULT_MISBEHAVING_BANTIME: 24 hours. */
  public static final int DEFAULT_PEER_BAN_TIME = NodeOptions.DEFAULT_PEER_BAN_TIME;

  private static final Pattern MAGIC_SYNTAX = Pattern.compile("(0x)?[0-9a-fA-F]{8}");
  private static final Pattern USER_AGENT_SYNTAX = Pattern.compile("[\\x20-\\x7e]{0,256}");
  private static final StringRule NETWORK = StringRule.of(
      "a network name (mainnet, testnet3, testnet4, signet, regtest, or a custom one with magic and port)",
      s -> !s.isBlank());
  private static final StringRule MAGIC = StringRule.of("8 hex digits, the message-start bytes in wire order",
      s -> MAGIC_SYNTAX.matcher(s).matches());
  private static final IntRule NETWORK_PORT = IntRule.between(1, 65535);
  private static final IntRule LISTEN_PORT = NodeOptions.PORT;
  private static final StringRule HOST = NodeOptions.HOST;
  private static final StringRule USER_AGENT = StringRule.of("printable ASCII of at most 256 characters",
      s -> USER_AGENT_SYNTAX.matcher(s).matches());
  private static final IntRule PROTOCOL_VERSION = IntRule.between(31800, Integer.MAX_VALUE);
  private static final IntRule SERVICES = IntRule.atLeast(0);
  private static final IntRule MAX_PAYLOAD_SIZE = IntRule.between(1024, 32 * 1024 * 1024);
  private static final IntRule POSITIVE = IntRule.atLeast(1);
  private static final IntRule PING_INTERVAL = IntRule.atLeast(100);
  private static final IntRule MAX_INBOUND = IntRule.atLeast(0);

  private BitcoinNetwork network = BitcoinNetwork.MAINNET;
  private PeerAddress listen;
  private List<PeerAddress> connect = List.of();
  private PeerAddress proxy;
  private String userAgent = DEFAULT_USER_AGENT;
  private int protocolVersion = DEFAULT_PROTOCOL_VERSION;
  private long services = DEFAULT_SERVICES;
  private boolean relay = DEFAULT_RELAY;
  private boolean fetchAnnounced = DEFAULT_FETCH_ANNOUNCED;
  private int maxPayloadSize = DEFAULT_MAX_PAYLOAD_SIZE;
  private int connectTimeout = DEFAULT_CONNECT_TIMEOUT;
  private int handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
  private int pingInterval = DEFAULT_PING_INTERVAL;
  private int peerTimeout = DEFAULT_PEER_TIMEOUT;
  private int maxInbound = DEFAULT_MAX_INBOUND;
  private int reconnectInterval = DEFAULT_RECONNECT_INTERVAL;
  private int maxPendingHandshakesPerIP = DEFAULT_MAX_PENDING_HANDSHAKES_PER_IP;
  private int peerBanTime = DEFAULT_PEER_BAN_TIME;

  /** Options with every default: mainnet, no listener, no peers to dial, no proxy. */
  public BitcoinOptions() {
  }

  public BitcoinOptions(BitcoinOptions other) {
    network = other.network;
    listen = other.listen;
    connect = other.connect;
    proxy = other.proxy;
    userAgent = other.userAgent;
    protocolVersion = other.protocolVersion;
    services = other.services;
    relay = other.relay;
    fetchAnnounced = other.fetchAnnounced;
    maxPayloadSize = other.maxPayloadSize;
    connectTimeout = other.connectTimeout;
    handshakeTimeout = other.handshakeTimeout;
    pingInterval = other.pingInterval;
    peerTimeout = other.peerTimeout;
    maxInbound = other.maxInbound;
    reconnectInterval = other.reconnectInterval;
    maxPendingHandshakesPerIP = other.maxPendingHandshakesPerIP;
    peerBanTime = other.peerBanTime;
  }

  /** @throws IllegalArgumentException listing every unknown key and every wrong value, with its path */
  public BitcoinOptions(JsonObject json) {
    ConfigReader r = new ConfigReader(new JsonObject().put("bitcoin", json));
    read(r.readSection("bitcoin"));
    r.finish();
    validate();
  }

  BitcoinOptions(ConfigReader section) {
    read(section);
  }

  private void read(ConfigReader r) {
    String networkName = r.readString("network", DEFAULT_NETWORK, NETWORK);
    String magic = r.readOptionalString("magic", MAGIC);
    int port = r.readInt("port", 0, NETWORK_PORT);
    network = resolveNetwork(r, networkName, magic, port);
    listen = r.readOptionalPeer("listen", HOST, LISTEN_PORT);
    connect = r.readPeerList("connect", List.of(), HOST, NETWORK_PORT);
    proxy = r.readOptionalPeer("proxy", HOST, NETWORK_PORT);
    userAgent = r.readString("userAgent", DEFAULT_USER_AGENT, USER_AGENT);
    protocolVersion = r.readInt("protocolVersion", DEFAULT_PROTOCOL_VERSION, PROTOCOL_VERSION);
    services = r.readInt("services", (int) DEFAULT_SERVICES, SERVICES);
    relay = r.readBoolean("relay", DEFAULT_RELAY);
    fetchAnnounced = r.readBoolean("fetchAnnounced", DEFAULT_FETCH_ANNOUNCED);
    maxPayloadSize = r.readInt("maxPayloadSize", DEFAULT_MAX_PAYLOAD_SIZE, MAX_PAYLOAD_SIZE);
    connectTimeout = r.readInt("connectTimeout", DEFAULT_CONNECT_TIMEOUT, POSITIVE);
    handshakeTimeout = r.readInt("handshakeTimeout", DEFAULT_HANDSHAKE_TIMEOUT, POSITIVE);
    pingInterval = r.readInt("pingInterval", DEFAULT_PING_INTERVAL, PING_INTERVAL);
    peerTimeout = r.readInt("peerTimeout", DEFAULT_PEER_TIMEOUT, POSITIVE);
    maxInbound = r.readInt("maxInbound", DEFAULT_MAX_INBOUND, MAX_INBOUND);
    reconnectInterval = r.readInt("reconnectInterval", DEFAULT_RECONNECT_INTERVAL, POSITIVE);
    maxPendingHandshakesPerIP = r.readInt("maxPendingHandshakesPerIP", DEFAULT_MAX_PENDING_HANDSHAKES_PER_IP,
        POSITIVE);
    peerBanTime = r.readInt("peerBanTime", DEFAULT_PEER_BAN_TIME, POSITIVE);
    r.finishSection();
  }

  /** A known name takes neither magic nor port; any other name is a custom network and needs both. */
  private static BitcoinNetwork resolveNetwork(ConfigReader r, String name, String magic, int port) {
    BitcoinNetwork known = BitcoinNetwork.byName(name).orElse(null);
    if (known != null) {
      r.report(magic == null && port == 0 ? null : ConfigReader.message("bitcoin.network",
          "no magic or port beside a known network's name (a custom network needs a name of its own)", name));
      return known;
    }
    if (magic == null || port == 0) {
      r.report(ConfigReader.message("bitcoin.network",
          "mainnet, testnet3, testnet4, signet or regtest, or a custom network with 'magic' and 'port'", name));
      return BitcoinNetwork.MAINNET;
    }
    return BitcoinNetwork.custom(name, Integer.parseUnsignedInt(magic.startsWith("0x") ? magic.substring(2) : magic, 16),
        port);
  }

  /**
   * Checks the rules between keys: {@code peerTimeout > pingInterval}.
   *
   * @return this
   */
  public BitcoinOptions validate() {
    if (peerTimeout <= pingInterval) {
      throw new IllegalArgumentException(ConfigReader.message("bitcoin.peerTimeout",
          "an integer > bitcoin.pingInterval " + pingInterval, peerTimeout));
    }
    return this;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("network", network.name());
    if (network.isCustom()) {
      json.put("magic", network.magicHex()).put("port", network.defaultPort());
    }
    if (listen != null) {
      json.put("listen", listen.toJson());
    }
    json.put("connect", new JsonArray(connect.stream().map(PeerAddress::toJson).toList()));
    if (proxy != null) {
      json.put("proxy", proxy.toJson());
    }
    return json
        .put("userAgent", userAgent)
        .put("protocolVersion", protocolVersion)
        .put("services", services)
        .put("relay", relay)
        .put("fetchAnnounced", fetchAnnounced)
        .put("maxPayloadSize", maxPayloadSize)
        .put("connectTimeout", connectTimeout)
        .put("handshakeTimeout", handshakeTimeout)
        .put("pingInterval", pingInterval)
        .put("peerTimeout", peerTimeout)
        .put("maxInbound", maxInbound)
        .put("reconnectInterval", reconnectInterval)
        .put("maxPendingHandshakesPerIP", maxPendingHandshakesPerIP)
        .put("peerBanTime", peerBanTime);
  }

  public BitcoinNetwork getNetwork() {
    return network;
  }

  public BitcoinOptions setNetwork(BitcoinNetwork network) {
    this.network = Objects.requireNonNull(network, "network");
    return this;
  }

  /** Where inbound Bitcoin peers connect; null: none are accepted. */
  public PeerAddress getListen() {
    return listen;
  }

  public BitcoinOptions setListen(PeerAddress listen) {
    this.listen = listen;
    return this;
  }

  /** Peers dialed at start and redialed while the node runs. */
  public List<PeerAddress> getConnect() {
    return connect;
  }

  public BitcoinOptions setConnect(List<PeerAddress> connect) {
    this.connect = List.copyOf(connect);
    return this;
  }

  /** The SOCKS5 proxy every outbound connection goes through (Tor's is 127.0.0.1:9050); null: direct. */
  public PeerAddress getProxy() {
    return proxy;
  }

  public BitcoinOptions setProxy(PeerAddress proxy) {
    this.proxy = proxy;
    return this;
  }

  public String getUserAgent() {
    return userAgent;
  }

  public BitcoinOptions setUserAgent(String userAgent) {
    this.userAgent = USER_AGENT.check("bitcoin.userAgent", userAgent);
    return this;
  }

  public int getProtocolVersion() {
    return protocolVersion;
  }

  public BitcoinOptions setProtocolVersion(int protocolVersion) {
    this.protocolVersion = PROTOCOL_VERSION.check("bitcoin.protocolVersion", protocolVersion);
    return this;
  }

  /** The service bits our version message claims. */
  public long getServices() {
    return services;
  }

  public BitcoinOptions setServices(long services) {
    if (services < 0) {
      throw new IllegalArgumentException(ConfigReader.message("bitcoin.services", "a non-negative integer", services));
    }
    this.services = services;
    return this;
  }

  /** Our version's relay flag: false asks peers not to announce transactions (BIP 37). */
  public boolean isRelay() {
    return relay;
  }

  public BitcoinOptions setRelay(boolean relay) {
    this.relay = relay;
    return this;
  }

  /** Whether announced blocks and transactions are fetched with getdata, so that they arrive decoded. */
  public boolean isFetchAnnounced() {
    return fetchAnnounced;
  }

  public BitcoinOptions setFetchAnnounced(boolean fetchAnnounced) {
    this.fetchAnnounced = fetchAnnounced;
    return this;
  }

  public int getMaxPayloadSize() {
    return maxPayloadSize;
  }

  public BitcoinOptions setMaxPayloadSize(int maxPayloadSize) {
    this.maxPayloadSize = MAX_PAYLOAD_SIZE.check("bitcoin.maxPayloadSize", maxPayloadSize);
    return this;
  }

  public int getConnectTimeout() {
    return connectTimeout;
  }

  public BitcoinOptions setConnectTimeout(int connectTimeout) {
    this.connectTimeout = POSITIVE.check("bitcoin.connectTimeout", connectTimeout);
    return this;
  }

  public int getHandshakeTimeout() {
    return handshakeTimeout;
  }

  public BitcoinOptions setHandshakeTimeout(int handshakeTimeout) {
    this.handshakeTimeout = POSITIVE.check("bitcoin.handshakeTimeout", handshakeTimeout);
    return this;
  }

  public int getPingInterval() {
    return pingInterval;
  }

  public BitcoinOptions setPingInterval(int pingInterval) {
    this.pingInterval = PING_INTERVAL.check("bitcoin.pingInterval", pingInterval);
    return this;
  }

  /** How long a peer may stay silent, or leave our ping unanswered, before it is disconnected. */
  public int getPeerTimeout() {
    return peerTimeout;
  }

  public BitcoinOptions setPeerTimeout(int peerTimeout) {
    this.peerTimeout = POSITIVE.check("bitcoin.peerTimeout", peerTimeout);
    return this;
  }

  public int getMaxInbound() {
    return maxInbound;
  }

  public BitcoinOptions setMaxInbound(int maxInbound) {
    this.maxInbound = MAX_INBOUND.check("bitcoin.maxInbound", maxInbound);
    return this;
  }

  /** The first wait before a {@code connect} peer is redialed; it doubles per failure, up to 64 times. */
  public int getReconnectInterval() {
    return reconnectInterval;
  }

  public BitcoinOptions setReconnectInterval(int reconnectInterval) {
    this.reconnectInterval = POSITIVE.check("bitcoin.reconnectInterval", reconnectInterval);
    return this;
  }

  /** Inbound connections one IP may have short of verack at once; more are closed as they arrive. */
  public int getMaxPendingHandshakesPerIP() {
    return maxPendingHandshakesPerIP;
  }

  public BitcoinOptions setMaxPendingHandshakesPerIP(int maxPendingHandshakesPerIP) {
    this.maxPendingHandshakesPerIP = POSITIVE.check("bitcoin.maxPendingHandshakesPerIP", maxPendingHandshakesPerIP);
    return this;
  }

  /** How long a peer whose misbehaviour reached 100 stays banned, in ms; bans persist across restarts. */
  public int getPeerBanTime() {
    return peerBanTime;
  }

  public BitcoinOptions setPeerBanTime(int peerBanTime) {
    this.peerBanTime = POSITIVE.check("bitcoin.peerBanTime", peerBanTime);
    return this;
  }

  /** Options are equal when their JSON forms are: every key, with the network's magic and port. */
  @Override
  public boolean equals(Object o) {
    return o instanceof BitcoinOptions other && toJson().equals(other.toJson());
  }

  @Override
  public int hashCode() {
    return toJson().hashCode();
  }

  @Override
  public String toString() {
    return "BitcoinOptions" + toJson().encode();
  }
}
