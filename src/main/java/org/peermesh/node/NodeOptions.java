package org.peermesh.node;

import org.peermesh.peer.PeerAddress;

import io.netty.util.NetUtil;
import io.vertx.core.json.EncodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.peermesh.bus.BusAddresses;
import org.peermesh.node.ConfigReader.IntRule;
import org.peermesh.node.ConfigReader.StringRule;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import static org.peermesh.node.ConfigReader.invalid;

/**
 * Configuration of a PeerMesh node, in the style of Vert.x's own {@code *Options} classes: defaults as constants,
 * fluent setters, a copy constructor, a JSON constructor and {@link #toJson()}. Key names follow lisk-p2p where it
 * has one; durations are milliseconds, sizes bytes. The README's Configuration section describes every key.
 * <p>
 * Reading is strict: unknown keys, wrong types and values out of range are refused with an
 * {@link IllegalArgumentException} naming the key ({@code config key 'seedPeers[2].port': expected an integer from 1
 * to 65535, got "abc"}). Setters refuse single values out of range with the same messages; rules between keys are
 * checked by {@link #validate()}, which the JSON constructor calls.
 */
public class NodeOptions {

  public static final String DEFAULT_HOST = "0.0.0.0";
  public static final int DEFAULT_PORT = 5000;
  public static final String DEFAULT_NETWORK_ID = "peermesh-devnet";
  public static final String DEFAULT_PROTOCOL_VERSION = "1.0";
  public static final List<PeerAddress> DEFAULT_SEED_PEERS = List.of();
  public static final List<PeerAddress> DEFAULT_FIXED_PEERS = List.of();
  public static final List<PeerAddress> DEFAULT_WHITELISTED_PEERS = List.of();
  public static final List<String> DEFAULT_BLACKLISTED_IPS = List.of();
  public static final int DEFAULT_MAX_OUTBOUND_CONNECTIONS = 20;
  public static final int DEFAULT_MAX_INBOUND_CONNECTIONS = 100;
  public static final int DEFAULT_MAX_PENDING_HANDSHAKES_PER_IP = 16;
  public static final String DEFAULT_DATA_DIR = "data";
  /** The key file's name inside {@code dataDir} when {@code keyFile} is not set. */
  public static final String DEFAULT_KEY_FILE_NAME = "node.key";
  public static final int DEFAULT_MAX_PEER_INFO_SIZE = 20 * 1024;
  public static final String DEFAULT_BUS_PREFIX = "peermesh";
  public static final int DEFAULT_SEND_PEER_LIMIT = 16;
  public static final int DEFAULT_CONNECT_TIMEOUT = 5000;
  public static final int DEFAULT_HANDSHAKE_TIMEOUT = 5000;
  public static final int DEFAULT_ACK_TIMEOUT = 10000;
  public static final int DEFAULT_PING_INTERVAL = 10000;
  public static final int DEFAULT_PEER_TIMEOUT = 25000;
  public static final int DEFAULT_MAX_FRAME_SIZE = 3 * 1024 * 1024;
  public static final int DEFAULT_MAX_PEER_WRITE_QUEUE_SIZE = 8 * 1024 * 1024;
  public static final int DEFAULT_PEER_BAN_TIME = 24 * 60 * 60 * 1000;
  public static final int DEFAULT_WS_MAX_MESSAGE_RATE = 100;
  public static final int DEFAULT_WS_MAX_MESSAGE_RATE_PENALTY = 10;
  public static final int DEFAULT_RATE_CALCULATION_INTERVAL = 1000;
  public static final int DEFAULT_POPULATOR_INTERVAL = 10_000;
  public static final int DEFAULT_FALLBACK_SEED_PEER_DISCOVERY_INTERVAL = 30_000;
  public static final int DEFAULT_OUTBOUND_SHUFFLE_INTERVAL = 5 * 60 * 1000;
  public static final boolean DEFAULT_EXEMPT_LOCAL_ADDRESSES = true;
  public static final boolean DEFAULT_MESH = true;
  /** How much larger than {@code maxPeerInfoSize} a frame must be allowed to be (room for the handshake envelope). */
  public static final int FRAME_OVERHEAD = 1024;

  // One rule per key, used by the JSON constructor and the setter alike.
  private static final Pattern PROTOCOL_VERSION_SYNTAX = Pattern.compile("[0-9]{1,9}\\.[0-9]{1,9}");
  private static final Pattern BUS_PREFIX_SYNTAX = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");

  static final StringRule HOST = StringRule.of("a non-blank host name or IP address", s -> !s.isBlank());
  static final IntRule PORT = IntRule.between(0, 65535);
  private static final StringRule NETWORK_ID = StringRule.of("a string of 1 to 255 UTF-8 bytes",
    s -> !s.isEmpty() && s.getBytes(StandardCharsets.UTF_8).length <= 255);
  private static final StringRule PROTOCOL_VERSION = StringRule.of("a version \"MAJOR.MINOR\" of 1-9 digits each",
    s -> PROTOCOL_VERSION_SYNTAX.matcher(s).matches());
  private static final IntRule PEER_PORT = IntRule.between(1, 65535);
  private static final StringRule IP_ADDRESS = StringRule.of("a literal IPv4 or IPv6 address (no brackets, no zone)",
    s -> s.indexOf('[') < 0 && s.indexOf('%') < 0
      && (NetUtil.isValidIpV4Address(s) || NetUtil.isValidIpV6Address(s)));
  private static final IntRule MAX_OUTBOUND_CONNECTIONS = IntRule.atLeast(0);
  private static final IntRule MAX_INBOUND_CONNECTIONS = IntRule.atLeast(0);
  private static final IntRule MAX_PENDING_HANDSHAKES_PER_IP = IntRule.atLeast(1);
  private static final StringRule DATA_DIR = StringRule.of("a non-blank directory path", validPath());
  static final StringRule FILE_PATH = StringRule.of("a non-blank file path", validPath());
  private static final IntRule MAX_PEER_INFO_SIZE = IntRule.between(1024, 1024 * 1024);
  private static final StringRule BUS_PREFIX = StringRule.of("dot-separated segments of [A-Za-z0-9_-]+",
    s -> BUS_PREFIX_SYNTAX.matcher(s).matches());
  private static final IntRule BRIDGE_PORT = IntRule.between(0, 65535);
  private static final IntRule SEND_PEER_LIMIT = IntRule.between(1, 1000);
  private static final IntRule CONNECT_TIMEOUT = IntRule.atLeast(1);
  private static final IntRule HANDSHAKE_TIMEOUT = IntRule.atLeast(1);
  private static final IntRule ACK_TIMEOUT = IntRule.atLeast(1);
  private static final IntRule PING_INTERVAL = IntRule.atLeast(100);
  private static final IntRule PEER_TIMEOUT = IntRule.atLeast(1);
  private static final IntRule MAX_FRAME_SIZE = IntRule.between(1024, 64 * 1024 * 1024);
  private static final IntRule MAX_PEER_WRITE_QUEUE_SIZE = IntRule.atLeast(1);
  private static final IntRule PEER_BAN_TIME = IntRule.atLeast(1);
  private static final IntRule WS_MAX_MESSAGE_RATE = IntRule.atLeast(1);
  private static final IntRule WS_MAX_MESSAGE_RATE_PENALTY = IntRule.between(0, 100);
  private static final IntRule RATE_CALCULATION_INTERVAL = IntRule.atLeast(100);
  private static final IntRule POPULATOR_INTERVAL = IntRule.atLeast(100);
  private static final IntRule FALLBACK_SEED_PEER_DISCOVERY_INTERVAL = IntRule.atLeast(100);
  private static final IntRule OUTBOUND_SHUFFLE_INTERVAL = IntRule.atLeast(100);

  private String host;
  private int port;
  private String networkId;
  private String protocolVersion;
  private List<PeerAddress> seedPeers;
  private List<PeerAddress> fixedPeers;
  private List<PeerAddress> whitelistedPeers;
  private List<String> blacklistedIPs;
  private int maxOutboundConnections;
  private int maxInboundConnections;
  private int maxPendingHandshakesPerIP;
  private String dataDir;
  private String keyFile;
  private JsonObject nodeInfo;
  private int maxPeerInfoSize;
  private String busPrefix;
  private PeerAddress bridge;
  private ClusterOptions cluster;
  private int sendPeerLimit;
  private int connectTimeout;
  private int handshakeTimeout;
  private int ackTimeout;
  private int pingInterval;
  private int peerTimeout;
  private int maxFrameSize;
  private int maxPeerWriteQueueSize;
  private int peerBanTime;
  private int wsMaxMessageRate;
  private int wsMaxMessageRatePenalty;
  private int rateCalculationInterval;
  private int populatorInterval;
  private int fallbackSeedPeerDiscoveryInterval;
  private int outboundShuffleInterval;
  private boolean exemptLocalAddresses;
  private boolean mesh;
  private BitcoinOptions bitcoin;

  /** Options with every default. */
  public NodeOptions() {
    host = DEFAULT_HOST;
    port = DEFAULT_PORT;
    networkId = DEFAULT_NETWORK_ID;
    protocolVersion = DEFAULT_PROTOCOL_VERSION;
    seedPeers = DEFAULT_SEED_PEERS;
    fixedPeers = DEFAULT_FIXED_PEERS;
    whitelistedPeers = DEFAULT_WHITELISTED_PEERS;
    blacklistedIPs = DEFAULT_BLACKLISTED_IPS;
    maxOutboundConnections = DEFAULT_MAX_OUTBOUND_CONNECTIONS;
    maxInboundConnections = DEFAULT_MAX_INBOUND_CONNECTIONS;
    maxPendingHandshakesPerIP = DEFAULT_MAX_PENDING_HANDSHAKES_PER_IP;
    dataDir = DEFAULT_DATA_DIR;
    keyFile = null;
    nodeInfo = new JsonObject();
    maxPeerInfoSize = DEFAULT_MAX_PEER_INFO_SIZE;
    busPrefix = DEFAULT_BUS_PREFIX;
    bridge = null;
    cluster = new ClusterOptions();
    sendPeerLimit = DEFAULT_SEND_PEER_LIMIT;
    connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
    ackTimeout = DEFAULT_ACK_TIMEOUT;
    pingInterval = DEFAULT_PING_INTERVAL;
    peerTimeout = DEFAULT_PEER_TIMEOUT;
    maxFrameSize = DEFAULT_MAX_FRAME_SIZE;
    maxPeerWriteQueueSize = DEFAULT_MAX_PEER_WRITE_QUEUE_SIZE;
    peerBanTime = DEFAULT_PEER_BAN_TIME;
    wsMaxMessageRate = DEFAULT_WS_MAX_MESSAGE_RATE;
    wsMaxMessageRatePenalty = DEFAULT_WS_MAX_MESSAGE_RATE_PENALTY;
    rateCalculationInterval = DEFAULT_RATE_CALCULATION_INTERVAL;
    populatorInterval = DEFAULT_POPULATOR_INTERVAL;
    fallbackSeedPeerDiscoveryInterval = DEFAULT_FALLBACK_SEED_PEER_DISCOVERY_INTERVAL;
    outboundShuffleInterval = DEFAULT_OUTBOUND_SHUFFLE_INTERVAL;
    exemptLocalAddresses = DEFAULT_EXEMPT_LOCAL_ADDRESSES;
    mesh = DEFAULT_MESH;
    bitcoin = null;
  }

  /** A copy of {@code other}. */
  public NodeOptions(NodeOptions other) {
    host = other.host;
    port = other.port;
    networkId = other.networkId;
    protocolVersion = other.protocolVersion;
    seedPeers = other.seedPeers;
    fixedPeers = other.fixedPeers;
    whitelistedPeers = other.whitelistedPeers;
    blacklistedIPs = other.blacklistedIPs;
    maxOutboundConnections = other.maxOutboundConnections;
    maxInboundConnections = other.maxInboundConnections;
    maxPendingHandshakesPerIP = other.maxPendingHandshakesPerIP;
    dataDir = other.dataDir;
    keyFile = other.keyFile;
    nodeInfo = other.nodeInfo.copy();
    maxPeerInfoSize = other.maxPeerInfoSize;
    busPrefix = other.busPrefix;
    bridge = other.bridge;
    cluster = new ClusterOptions(other.cluster);
    sendPeerLimit = other.sendPeerLimit;
    connectTimeout = other.connectTimeout;
    handshakeTimeout = other.handshakeTimeout;
    ackTimeout = other.ackTimeout;
    pingInterval = other.pingInterval;
    peerTimeout = other.peerTimeout;
    maxFrameSize = other.maxFrameSize;
    maxPeerWriteQueueSize = other.maxPeerWriteQueueSize;
    peerBanTime = other.peerBanTime;
    wsMaxMessageRate = other.wsMaxMessageRate;
    wsMaxMessageRatePenalty = other.wsMaxMessageRatePenalty;
    rateCalculationInterval = other.rateCalculationInterval;
    populatorInterval = other.populatorInterval;
    fallbackSeedPeerDiscoveryInterval = other.fallbackSeedPeerDiscoveryInterval;
    outboundShuffleInterval = other.outboundShuffleInterval;
    exemptLocalAddresses = other.exemptLocalAddresses;
    mesh = other.mesh;
    bitcoin = other.bitcoin == null ? null : new BitcoinOptions(other.bitcoin);
  }

  /**
   * Options read from JSON; absent keys keep their defaults. Validated completely, {@link #validate()} included.
   *
   * @throws IllegalArgumentException listing every unknown key and every wrong value
   */
  public NodeOptions(JsonObject json) {
    ConfigReader r = new ConfigReader(json);
    host = r.readString("host", DEFAULT_HOST, HOST);
    port = r.readInt("port", DEFAULT_PORT, PORT);
    networkId = r.readString("networkId", DEFAULT_NETWORK_ID, NETWORK_ID);
    protocolVersion = r.readString("protocolVersion", DEFAULT_PROTOCOL_VERSION, PROTOCOL_VERSION);
    seedPeers = r.readPeerList("seedPeers", DEFAULT_SEED_PEERS, HOST, PEER_PORT);
    fixedPeers = r.readPeerList("fixedPeers", DEFAULT_FIXED_PEERS, HOST, PEER_PORT);
    whitelistedPeers = r.readPeerList("whitelistedPeers", DEFAULT_WHITELISTED_PEERS, HOST, PEER_PORT);
    blacklistedIPs = r.readStringList("blacklistedIPs", DEFAULT_BLACKLISTED_IPS, IP_ADDRESS);
    maxOutboundConnections = r.readInt("maxOutboundConnections", DEFAULT_MAX_OUTBOUND_CONNECTIONS,
      MAX_OUTBOUND_CONNECTIONS);
    maxInboundConnections = r.readInt("maxInboundConnections", DEFAULT_MAX_INBOUND_CONNECTIONS,
      MAX_INBOUND_CONNECTIONS);
    maxPendingHandshakesPerIP = r.readInt("maxPendingHandshakesPerIP", DEFAULT_MAX_PENDING_HANDSHAKES_PER_IP,
      MAX_PENDING_HANDSHAKES_PER_IP);
    dataDir = r.readString("dataDir", DEFAULT_DATA_DIR, DATA_DIR);
    keyFile = r.readOptionalString("keyFile", FILE_PATH);
    nodeInfo = r.readObject("nodeInfo", new JsonObject());
    maxPeerInfoSize = r.readInt("maxPeerInfoSize", DEFAULT_MAX_PEER_INFO_SIZE, MAX_PEER_INFO_SIZE);
    busPrefix = r.readString("busPrefix", DEFAULT_BUS_PREFIX, BUS_PREFIX);
    bridge = r.readOptionalPeer("bridge", HOST, BRIDGE_PORT);
    sendPeerLimit = r.readInt("sendPeerLimit", DEFAULT_SEND_PEER_LIMIT, SEND_PEER_LIMIT);
    connectTimeout = r.readInt("connectTimeout", DEFAULT_CONNECT_TIMEOUT, CONNECT_TIMEOUT);
    handshakeTimeout = r.readInt("handshakeTimeout", DEFAULT_HANDSHAKE_TIMEOUT, HANDSHAKE_TIMEOUT);
    ackTimeout = r.readInt("ackTimeout", DEFAULT_ACK_TIMEOUT, ACK_TIMEOUT);
    pingInterval = r.readInt("pingInterval", DEFAULT_PING_INTERVAL, PING_INTERVAL);
    peerTimeout = r.readInt("peerTimeout", DEFAULT_PEER_TIMEOUT, PEER_TIMEOUT);
    maxFrameSize = r.readInt("maxFrameSize", DEFAULT_MAX_FRAME_SIZE, MAX_FRAME_SIZE);
    maxPeerWriteQueueSize = r.readInt("maxPeerWriteQueueSize", DEFAULT_MAX_PEER_WRITE_QUEUE_SIZE,
      MAX_PEER_WRITE_QUEUE_SIZE);
    peerBanTime = r.readInt("peerBanTime", DEFAULT_PEER_BAN_TIME, PEER_BAN_TIME);
    wsMaxMessageRate = r.readInt("wsMaxMessageRate", DEFAULT_WS_MAX_MESSAGE_RATE, WS_MAX_MESSAGE_RATE);
    wsMaxMessageRatePenalty = r.readInt("wsMaxMessageRatePenalty", DEFAULT_WS_MAX_MESSAGE_RATE_PENALTY, WS_MAX_MESSAGE_RATE_PENALTY);
    rateCalculationInterval = r.readInt("rateCalculationInterval", DEFAULT_RATE_CALCULATION_INTERVAL, RATE_CALCULATION_INTERVAL);
    populatorInterval = r.readInt("populatorInterval", DEFAULT_POPULATOR_INTERVAL, POPULATOR_INTERVAL);
    fallbackSeedPeerDiscoveryInterval = r.readInt("fallbackSeedPeerDiscoveryInterval", DEFAULT_FALLBACK_SEED_PEER_DISCOVERY_INTERVAL, FALLBACK_SEED_PEER_DISCOVERY_INTERVAL);
    outboundShuffleInterval = r.readInt("outboundShuffleInterval", DEFAULT_OUTBOUND_SHUFFLE_INTERVAL, OUTBOUND_SHUFFLE_INTERVAL);
    exemptLocalAddresses = r.readBoolean("exemptLocalAddresses", DEFAULT_EXEMPT_LOCAL_ADDRESSES);
    cluster = new ClusterOptions(r.readSection("cluster"));
    mesh = r.readBoolean("mesh", DEFAULT_MESH);
    ConfigReader bitcoinSection = r.readSection("bitcoin");
    bitcoin = bitcoinSection == null ? null : new BitcoinOptions(bitcoinSection);
    r.finish();
    validate();
  }

  /**
   * Reads options from a JSON file (UTF-8; {@code //} and {@code /* *}{@code /} comments allowed, duplicate keys not).
   * Relative paths inside ({@code dataDir}, {@code keyFile}) stay relative to the working directory.
   *
   * @throws IllegalArgumentException when the file is missing or unreadable, is not one JSON object, or holds a
   *                                  wrong configuration; the message starts with {@code config file 'PATH': }
   */
  public static NodeOptions fromFile(Path file) {
    Objects.requireNonNull(file, "file");
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("config file '" + file + "': no such file", e);
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("config file '" + file + "': not valid UTF-8", e);
    } catch (IOException e) {
      throw new IllegalArgumentException("config file '" + file + "': cannot read: " + e, e);
    }
    try {
      return new NodeOptions(ConfigReader.parseObject(text));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("config file '" + file + "': " + e.getMessage(), e);
    }
  }

  /**
   * Checks the rules between keys (single values are checked when set): {@code nodeInfo} encodes within
   * {@code maxPeerInfoSize}, {@code peerTimeout > pingInterval}, {@code maxFrameSize >= maxPeerInfoSize + }
   * {@value #FRAME_OVERHEAD}, {@code maxPeerWriteQueueSize >= maxFrameSize}.
   *
   * @return this
   * @throws IllegalArgumentException naming every broken rule
   */
  public NodeOptions validate() {
    List<String> problems = new ArrayList<>();
    try {
      int size = nodeInfo.encode().getBytes(StandardCharsets.UTF_8).length;
      if (size > maxPeerInfoSize) {
        problems.add("config key 'nodeInfo': encoded size " + size + " bytes exceeds maxPeerInfoSize " + maxPeerInfoSize);
      }
    } catch (EncodeException e) {
      problems.add("config key 'nodeInfo': cannot be encoded as JSON: " + e.getMessage());
    }
    if (peerTimeout <= pingInterval) {
      problems.add(ConfigReader.message("peerTimeout",
        "an integer > pingInterval " + pingInterval, peerTimeout));
    }
    if ((long) maxFrameSize < (long) maxPeerInfoSize + FRAME_OVERHEAD) {
      problems.add(ConfigReader.message("maxFrameSize",
        "an integer >= maxPeerInfoSize + " + FRAME_OVERHEAD + " = " + (maxPeerInfoSize + FRAME_OVERHEAD), maxFrameSize));
    }
    if (maxPeerWriteQueueSize < maxFrameSize) {
      problems.add(ConfigReader.message("maxPeerWriteQueueSize",
        "an integer >= maxFrameSize " + maxFrameSize, maxPeerWriteQueueSize));
    }
    if (!mesh && bitcoin == null) {
      problems.add(ConfigReader.message("mesh", "true, or a 'bitcoin' section for the node to run instead", false));
    }
    if (bitcoin != null) {
      try {
        bitcoin.validate();
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    return this;
  }

  /** Every key; {@code keyFile} and {@code bridge} only when set. {@code new NodeOptions(toJson())} equals this. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
      .put("host", host)
      .put("port", port)
      .put("networkId", networkId)
      .put("protocolVersion", protocolVersion)
      .put("seedPeers", peersToJson(seedPeers))
      .put("fixedPeers", peersToJson(fixedPeers))
      .put("whitelistedPeers", peersToJson(whitelistedPeers))
      .put("blacklistedIPs", new JsonArray(new ArrayList<>(blacklistedIPs)))
      .put("maxOutboundConnections", maxOutboundConnections)
      .put("maxInboundConnections", maxInboundConnections)
      .put("maxPendingHandshakesPerIP", maxPendingHandshakesPerIP)
      .put("dataDir", dataDir);
    if (keyFile != null) {
      json.put("keyFile", keyFile);
    }
    json.put("nodeInfo", nodeInfo.copy())
      .put("maxPeerInfoSize", maxPeerInfoSize)
      .put("busPrefix", busPrefix);
    if (bridge != null) {
      json.put("bridge", bridge.toJson());
    }
    json
      .put("sendPeerLimit", sendPeerLimit)
      .put("connectTimeout", connectTimeout)
      .put("handshakeTimeout", handshakeTimeout)
      .put("ackTimeout", ackTimeout)
      .put("pingInterval", pingInterval)
      .put("peerTimeout", peerTimeout)
      .put("maxFrameSize", maxFrameSize)
      .put("maxPeerWriteQueueSize", maxPeerWriteQueueSize)
      .put("peerBanTime", peerBanTime)
      .put("wsMaxMessageRate", wsMaxMessageRate)
      .put("wsMaxMessageRatePenalty", wsMaxMessageRatePenalty)
      .put("rateCalculationInterval", rateCalculationInterval)
      .put("populatorInterval", populatorInterval)
      .put("fallbackSeedPeerDiscoveryInterval", fallbackSeedPeerDiscoveryInterval)
      .put("outboundShuffleInterval", outboundShuffleInterval)
      .put("exemptLocalAddresses", exemptLocalAddresses)
      .put("cluster", cluster.toJson())
      .put("mesh", mesh);
    if (bitcoin != null) {
      json.put("bitcoin", bitcoin.toJson());
    }
    return json;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Getters and setters

  /** The interface the node listens on. */
  public String getHost() {
    return host;
  }

  public NodeOptions setHost(String host) {
    this.host = HOST.check("host", host);
    return this;
  }

  /** The TCP port the node listens on; 0 picks a free one. */
  public int getPort() {
    return port;
  }

  public NodeOptions setPort(int port) {
    this.port = PORT.check("port", port);
    return this;
  }

  /** Peers must present the same network id in their handshake. */
  public String getNetworkId() {
    return networkId;
  }

  public NodeOptions setNetworkId(String networkId) {
    this.networkId = NETWORK_ID.check("networkId", networkId);
    return this;
  }

  /** This node's protocol version, {@code MAJOR.MINOR}. */
  public String getProtocolVersion() {
    return protocolVersion;
  }

  public NodeOptions setProtocolVersion(String protocolVersion) {
    this.protocolVersion = PROTOCOL_VERSION.check("protocolVersion", protocolVersion);
    return this;
  }

  /** Peers contacted at start to discover the network (immutable). */
  public List<PeerAddress> getSeedPeers() {
    return seedPeers;
  }

  public NodeOptions setSeedPeers(List<PeerAddress> seedPeers) {
    this.seedPeers = checkPeers("seedPeers", seedPeers, PEER_PORT);
    return this;
  }

  /** Peers the node always keeps an outbound connection to (immutable). */
  public List<PeerAddress> getFixedPeers() {
    return fixedPeers;
  }

  public NodeOptions setFixedPeers(List<PeerAddress> fixedPeers) {
    this.fixedPeers = checkPeers("fixedPeers", fixedPeers, PEER_PORT);
    return this;
  }

  /** Peers never banned nor evicted (immutable). */
  public List<PeerAddress> getWhitelistedPeers() {
    return whitelistedPeers;
  }

  public NodeOptions setWhitelistedPeers(List<PeerAddress> whitelistedPeers) {
    this.whitelistedPeers = checkPeers("whitelistedPeers", whitelistedPeers, PEER_PORT);
    return this;
  }

  /** IP addresses the node neither accepts nor dials, as written (immutable). */
  public List<String> getBlacklistedIPs() {
    return blacklistedIPs;
  }

  public NodeOptions setBlacklistedIPs(List<String> blacklistedIPs) {
    if (blacklistedIPs == null) {
      throw invalid("blacklistedIPs", "a list of IP addresses", null);
    }
    for (int i = 0; i < blacklistedIPs.size(); i++) {
      IP_ADDRESS.check("blacklistedIPs[" + i + "]", blacklistedIPs.get(i));
    }
    this.blacklistedIPs = List.copyOf(blacklistedIPs);
    return this;
  }

  public int getMaxOutboundConnections() {
    return maxOutboundConnections;
  }

  public NodeOptions setMaxOutboundConnections(int maxOutboundConnections) {
    this.maxOutboundConnections = MAX_OUTBOUND_CONNECTIONS.check("maxOutboundConnections", maxOutboundConnections);
    return this;
  }

  public int getMaxInboundConnections() {
    return maxInboundConnections;
  }

  public NodeOptions setMaxInboundConnections(int maxInboundConnections) {
    this.maxInboundConnections = MAX_INBOUND_CONNECTIONS.check("maxInboundConnections", maxInboundConnections);
    return this;
  }

  /** How many inbound connections from one IP may be handshaking at once. */
  public int getMaxPendingHandshakesPerIP() {
    return maxPendingHandshakesPerIP;
  }

  public NodeOptions setMaxPendingHandshakesPerIP(int maxPendingHandshakesPerIP) {
    this.maxPendingHandshakesPerIP =
      MAX_PENDING_HANDSHAKES_PER_IP.check("maxPendingHandshakesPerIP", maxPendingHandshakesPerIP);
    return this;
  }

  /** Directory for the node key and the peer book. */
  public String getDataDir() {
    return dataDir;
  }

  public NodeOptions setDataDir(String dataDir) {
    this.dataDir = DATA_DIR.check("dataDir", dataDir);
    return this;
  }

  /** The key file as configured, or null when it defaults to {@code dataDir/node.key}; see {@link #keyFilePath()}. */
  public String getKeyFile() {
    return keyFile;
  }

  /** Sets the node key file; null restores the default {@code dataDir/node.key}. */
  public NodeOptions setKeyFile(String keyFile) {
    this.keyFile = keyFile == null ? null : FILE_PATH.check("keyFile", keyFile);
    return this;
  }

  /** Where the node key lives: {@code keyFile} when set, else {@code dataDir/node.key}. */
  public Path keyFilePath() {
    return keyFile != null ? Path.of(keyFile) : Path.of(dataDir).resolve(DEFAULT_KEY_FILE_NAME);
  }

  /** Application fields announced to peers; a copy, so changing it does not change these options. */
  public JsonObject getNodeInfo() {
    return nodeInfo.copy();
  }

  /** Stores a copy of {@code nodeInfo}; its size against {@code maxPeerInfoSize} is checked by {@link #validate()}. */
  public NodeOptions setNodeInfo(JsonObject nodeInfo) {
    this.nodeInfo = ConfigReader.copyObject("nodeInfo", nodeInfo);
    return this;
  }

  /** Largest accepted peer info (a peer's handshake data), in bytes. */
  public int getMaxPeerInfoSize() {
    return maxPeerInfoSize;
  }

  public NodeOptions setMaxPeerInfoSize(int maxPeerInfoSize) {
    this.maxPeerInfoSize = MAX_PEER_INFO_SIZE.check("maxPeerInfoSize", maxPeerInfoSize);
    return this;
  }

  /** First segments of every event bus address the node uses. */
  public String getBusPrefix() {
    return busPrefix;
  }

  public NodeOptions setBusPrefix(String busPrefix) {
    this.busPrefix = BUS_PREFIX.check("busPrefix", busPrefix);
    return this;
  }

  /** Where the TCP event bus bridge listens, or null when the bridge is off. */
  public PeerAddress getBridge() {
    return bridge;
  }

  /** Turns the TCP event bus bridge on at {@code bridge}, or off with null. */
  public NodeOptions setBridge(PeerAddress bridge) {
    if (bridge != null) {
      HOST.check("bridge.host", bridge.host());
      BRIDGE_PORT.check("bridge.port", bridge.port());
    }
    this.bridge = bridge;
    return this;
  }

  /** How many peers a send-to-N message goes to. */
  public int getSendPeerLimit() {
    return sendPeerLimit;
  }

  public NodeOptions setSendPeerLimit(int sendPeerLimit) {
    this.sendPeerLimit = SEND_PEER_LIMIT.check("sendPeerLimit", sendPeerLimit);
    return this;
  }

  /** Milliseconds allowed to open an outbound TCP connection. */
  public int getConnectTimeout() {
    return connectTimeout;
  }

  public NodeOptions setConnectTimeout(int connectTimeout) {
    this.connectTimeout = CONNECT_TIMEOUT.check("connectTimeout", connectTimeout);
    return this;
  }

  /** Milliseconds allowed for a connection's handshake to complete. */
  public int getHandshakeTimeout() {
    return handshakeTimeout;
  }

  public NodeOptions setHandshakeTimeout(int handshakeTimeout) {
    this.handshakeTimeout = HANDSHAKE_TIMEOUT.check("handshakeTimeout", handshakeTimeout);
    return this;
  }

  /** Milliseconds a request waits for its response. */
  public int getAckTimeout() {
    return ackTimeout;
  }

  public NodeOptions setAckTimeout(int ackTimeout) {
    this.ackTimeout = ACK_TIMEOUT.check("ackTimeout", ackTimeout);
    return this;
  }

  /** Milliseconds between pings to an idle peer. */
  public int getPingInterval() {
    return pingInterval;
  }

  public NodeOptions setPingInterval(int pingInterval) {
    this.pingInterval = PING_INTERVAL.check("pingInterval", pingInterval);
    return this;
  }

  /** Milliseconds of silence after which a peer is dropped as dead. */
  public int getPeerTimeout() {
    return peerTimeout;
  }

  public NodeOptions setPeerTimeout(int peerTimeout) {
    this.peerTimeout = PEER_TIMEOUT.check("peerTimeout", peerTimeout);
    return this;
  }

  /** Largest frame accepted from or sent to a peer, in bytes. */
  public int getMaxFrameSize() {
    return maxFrameSize;
  }

  public NodeOptions setMaxFrameSize(int maxFrameSize) {
    this.maxFrameSize = MAX_FRAME_SIZE.check("maxFrameSize", maxFrameSize);
    return this;
  }

  /** Unsent bytes queued for one peer beyond which it is disconnected. */
  public int getMaxPeerWriteQueueSize() {
    return maxPeerWriteQueueSize;
  }

  public NodeOptions setMaxPeerWriteQueueSize(int maxPeerWriteQueueSize) {
    this.maxPeerWriteQueueSize = MAX_PEER_WRITE_QUEUE_SIZE.check("maxPeerWriteQueueSize", maxPeerWriteQueueSize);
    return this;
  }

  // ---------------------------------------------------------------------------------------------------------------

  /** How long a banned peer's address is refused, in milliseconds. */
  public int getPeerBanTime() {
    return peerBanTime;
  }

  public NodeOptions setPeerBanTime(int peerBanTime) {
    this.peerBanTime = PEER_BAN_TIME.check("peerBanTime", peerBanTime);
    return this;
  }

  /** Messages per second a peer may send before it is penalised. */
  public int getWsMaxMessageRate() {
    return wsMaxMessageRate;
  }

  public NodeOptions setWsMaxMessageRate(int wsMaxMessageRate) {
    this.wsMaxMessageRate = WS_MAX_MESSAGE_RATE.check("wsMaxMessageRate", wsMaxMessageRate);
    return this;
  }

  /** Penalty per wsMaxMessageRate messages per second over the limit. */
  public int getWsMaxMessageRatePenalty() {
    return wsMaxMessageRatePenalty;
  }

  public NodeOptions setWsMaxMessageRatePenalty(int wsMaxMessageRatePenalty) {
    this.wsMaxMessageRatePenalty = WS_MAX_MESSAGE_RATE_PENALTY.check("wsMaxMessageRatePenalty", wsMaxMessageRatePenalty);
    return this;
  }

  /** The window, in milliseconds, over which message rates are measured. */
  public int getRateCalculationInterval() {
    return rateCalculationInterval;
  }

  public NodeOptions setRateCalculationInterval(int rateCalculationInterval) {
    this.rateCalculationInterval = RATE_CALCULATION_INTERVAL.check("rateCalculationInterval", rateCalculationInterval);
    return this;
  }

  /** How often, in milliseconds, free outbound slots are filled from the peer book. */
  public int getPopulatorInterval() {
    return populatorInterval;
  }

  public NodeOptions setPopulatorInterval(int populatorInterval) {
    this.populatorInterval = POPULATOR_INTERVAL.check("populatorInterval", populatorInterval);
    return this;
  }

  /** How often, in milliseconds, seeds are asked for peers again while outbound slots stay free. */
  public int getFallbackSeedPeerDiscoveryInterval() {
    return fallbackSeedPeerDiscoveryInterval;
  }

  public NodeOptions setFallbackSeedPeerDiscoveryInterval(int fallbackSeedPeerDiscoveryInterval) {
    this.fallbackSeedPeerDiscoveryInterval = FALLBACK_SEED_PEER_DISCOVERY_INTERVAL.check("fallbackSeedPeerDiscoveryInterval", fallbackSeedPeerDiscoveryInterval);
    return this;
  }

  /** How often, in milliseconds, one random non-fixed outbound peer is dropped to make room for another. */
  public int getOutboundShuffleInterval() {
    return outboundShuffleInterval;
  }

  public NodeOptions setOutboundShuffleInterval(int outboundShuffleInterval) {
    this.outboundShuffleInterval = OUTBOUND_SHUFFLE_INTERVAL.check("outboundShuffleInterval", outboundShuffleInterval);
    return this;
  }

  /** Whether the node runs the mesh protocol (listener, seeds, discovery); false needs a {@code bitcoin} section. */
  public boolean isMesh() {
    return mesh;
  }

  public NodeOptions setMesh(boolean mesh) {
    this.mesh = mesh;
    return this;
  }

  /** The Bitcoin peers this node runs; null: none. */
  public BitcoinOptions getBitcoin() {
    return bitcoin;
  }

  public NodeOptions setBitcoin(BitcoinOptions bitcoin) {
    this.bitcoin = bitcoin == null ? null : new BitcoinOptions(bitcoin);
    return this;
  }

  /**
   * The config sections of the wire protocols this node runs beside the mesh, by protocol name, each validated: the
   * node runs the installed protocol ({@link org.peermesh.peer.ProtocolProvider}) of each.
   */
  public Map<String, JsonObject> protocolSections() {
    return bitcoin == null ? Map.of() : Map.of(BusAddresses.BITCOIN, bitcoin.toJson());
  }

  /**
   * Whether loopback and private addresses are exempt from the per-IP and per-netgroup limits, so that a mesh on
   * one machine or one LAN keeps working; turn it off to apply the limits to them too.
   */
  public boolean isExemptLocalAddresses() {
    return exemptLocalAddresses;
  }

  public NodeOptions setExemptLocalAddresses(boolean exemptLocalAddresses) {
    this.exemptLocalAddresses = exemptLocalAddresses;
    return this;
  }

  /** How this node's JVM takes part in a cluster; used only when the node runs on a clustered Vert.x. */
  public ClusterOptions getCluster() {
    return cluster;
  }

  public NodeOptions setCluster(ClusterOptions cluster) {
    this.cluster = new ClusterOptions(Objects.requireNonNull(cluster, "cluster"));
    return this;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof NodeOptions other)) {
      return false;
    }
    return port == other.port
      && maxOutboundConnections == other.maxOutboundConnections
      && maxInboundConnections == other.maxInboundConnections
      && maxPendingHandshakesPerIP == other.maxPendingHandshakesPerIP
      && maxPeerInfoSize == other.maxPeerInfoSize
      && sendPeerLimit == other.sendPeerLimit
      && connectTimeout == other.connectTimeout
      && handshakeTimeout == other.handshakeTimeout
      && ackTimeout == other.ackTimeout
      && pingInterval == other.pingInterval
      && peerTimeout == other.peerTimeout
      && maxFrameSize == other.maxFrameSize
      && maxPeerWriteQueueSize == other.maxPeerWriteQueueSize
      && peerBanTime == other.peerBanTime
      && wsMaxMessageRate == other.wsMaxMessageRate
      && wsMaxMessageRatePenalty == other.wsMaxMessageRatePenalty
      && rateCalculationInterval == other.rateCalculationInterval
      && populatorInterval == other.populatorInterval
      && fallbackSeedPeerDiscoveryInterval == other.fallbackSeedPeerDiscoveryInterval
      && outboundShuffleInterval == other.outboundShuffleInterval
      && exemptLocalAddresses == other.exemptLocalAddresses
      && host.equals(other.host)
      && networkId.equals(other.networkId)
      && protocolVersion.equals(other.protocolVersion)
      && seedPeers.equals(other.seedPeers)
      && fixedPeers.equals(other.fixedPeers)
      && whitelistedPeers.equals(other.whitelistedPeers)
      && blacklistedIPs.equals(other.blacklistedIPs)
      && dataDir.equals(other.dataDir)
      && Objects.equals(keyFile, other.keyFile)
      && nodeInfo.equals(other.nodeInfo)
      && busPrefix.equals(other.busPrefix)
      && Objects.equals(bridge, other.bridge)
      && cluster.equals(other.cluster)
      && mesh == other.mesh
      && Objects.equals(bitcoin, other.bitcoin);
  }

  @Override
  public int hashCode() {
    return Objects.hash(host, port, networkId, protocolVersion, seedPeers, fixedPeers, whitelistedPeers,
      blacklistedIPs, maxOutboundConnections, maxInboundConnections, maxPendingHandshakesPerIP, dataDir, keyFile,
      nodeInfo, maxPeerInfoSize, busPrefix, bridge, sendPeerLimit, connectTimeout, handshakeTimeout, ackTimeout,
      pingInterval, peerTimeout, maxFrameSize, maxPeerWriteQueueSize, peerBanTime, wsMaxMessageRate, wsMaxMessageRatePenalty, rateCalculationInterval, populatorInterval, fallbackSeedPeerDiscoveryInterval, outboundShuffleInterval,
      exemptLocalAddresses, cluster, mesh, bitcoin);
  }

  @Override
  public String toString() {
    return "NodeOptions" + toJson().encode();
  }

  private static JsonArray peersToJson(List<PeerAddress> peers) {
    JsonArray array = new JsonArray();
    peers.forEach(peer -> array.add(peer.toJson()));
    return array;
  }

  /** An immutable copy of {@code peers}, each checked with the same rules as in a file. */
  private static List<PeerAddress> checkPeers(String key, List<PeerAddress> peers, IntRule portRule) {
    if (peers == null) {
      throw invalid(key, "a list of peer addresses", null);
    }
    for (int i = 0; i < peers.size(); i++) {
      PeerAddress peer = peers.get(i);
      if (peer == null) {
        throw invalid(key + "[" + i + "]", "a peer address", null);
      }
      HOST.check(key + "[" + i + "].host", peer.host());
      portRule.check(key + "[" + i + "].port", peer.port());
    }
    return List.copyOf(peers);
  }

  private static Predicate<String> validPath() {
    return s -> {
      if (s.isBlank()) {
        return false;
      }
      try {
        Path.of(s);
        return true;
      } catch (InvalidPathException e) {
        return false;
      }
    };
  }
}
