package org.peermesh.mesh;

import io.vertx.core.json.EncodeException;
import io.vertx.core.json.JsonObject;
import org.peermesh.config.Checks;
import org.peermesh.net.PeerAddress;
import org.peermesh.peer.PoolOptions;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code mesh} section of a node config: the node's own authenticated protocol, with lisk-p2p's keys where it
 * has one. Beside the pool's keys ({@link PoolOptions}: {@code listen}, {@code connect} for the peers always kept
 * (lisk-p2p's fixed peers), the limits and the timeouts), discovery, selection, requests and the rate rules. The
 * README's "Configuration" section describes every key.
 */
public final class MeshOptions extends PoolOptions<MeshOptions> {

  public static final String DEFAULT_PROTOCOL_VERSION = "1.0";
  public static final int DEFAULT_MAX_MESSAGE_SIZE = 3 * 1024 * 1024;
  /** How much larger than {@code maxPeerInfoSize} a frame must be allowed to be (room for the handshake envelope). */
  public static final int FRAME_OVERHEAD = 1024;
  private static final Pattern PROTOCOL_VERSION_SYNTAX = Pattern.compile("[0-9]{1,9}\\.[0-9]{1,9}");

  /** Peers must present the same network id in their handshake. */
  private String networkId = "peermesh-devnet";
  /** This node's protocol version, {@code MAJOR.MINOR}. */
  private String protocolVersion = DEFAULT_PROTOCOL_VERSION;
  /** Peers contacted at start to discover the network. */
  private List<PeerAddress> seedPeers = List.of();
  /** Peers never banned nor evicted. */
  private List<PeerAddress> whitelistedPeers = List.of();
  private int maxOutbound = 20;
  /** Application fields announced to peers. */
  private JsonObject nodeInfo = new JsonObject();
  /** Largest accepted peer info (a peer's handshake data), in bytes. */
  private int maxPeerInfoSize = 20 * 1024;
  /** How many peers a send-to-N message goes to. */
  private int sendPeerLimit = 16;
  /** Messages per second a peer may send before it is penalised. */
  private int wsMaxMessageRate = 100;
  /** Penalty per wsMaxMessageRate messages per second over the limit. */
  private int wsMaxMessageRatePenalty = 10;
  /** The window over which message rates are measured. */
  private long rateCalculationInterval = 1000;
  /** How often free outbound slots are filled from the peer book. */
  private long populatorInterval = 10_000;
  /** How often seeds are asked for peers again while outbound slots stay free. */
  private long fallbackSeedPeerDiscoveryInterval = 30_000;
  /** How often one random outbound peer (never a {@code connect} one) is dropped to make room for another. */
  private long outboundShuffleInterval = 5 * 60 * 1000;

  /** Options with every default: listening on 0.0.0.0:5000, no seeds. */
  public MeshOptions() {
    setListen(new PeerAddress("0.0.0.0", 5000));
    setMaxMessageSize(DEFAULT_MAX_MESSAGE_SIZE);
    setExemptLocalAddresses(true);
  }

  @Override
  public void check(Checks c) {
    super.check(c);
    if (getListen() == null) {
      c.problem("listen", "expected {\"host\": string, \"port\": integer}: the mesh always listens, got null");
    }
    c.text("networkId", networkId, "a string of 1 to 255 UTF-8 bytes",
        s -> !s.isEmpty() && s.getBytes(StandardCharsets.UTF_8).length <= 255);
    c.text("protocolVersion", protocolVersion, "a version \"MAJOR.MINOR\" of 1-9 digits each",
        s -> PROTOCOL_VERSION_SYNTAX.matcher(s).matches());
    c.addresses("seedPeers", seedPeers, 1);
    c.addresses("whitelistedPeers", whitelistedPeers, 1);
    c.atLeast("maxOutbound", maxOutbound, 0);
    if (c.between("maxPeerInfoSize", maxPeerInfoSize, 1024, 1024 * 1024)) {
      checkNodeInfoSize(c);
      if ((long) getMaxMessageSize() < (long) maxPeerInfoSize + FRAME_OVERHEAD) {
        c.expect(false, "maxMessageSize", "an integer >= maxPeerInfoSize + " + FRAME_OVERHEAD + " = "
            + (maxPeerInfoSize + FRAME_OVERHEAD), getMaxMessageSize());
      }
    }
    c.between("sendPeerLimit", sendPeerLimit, 1, 1000);
    c.atLeast("wsMaxMessageRate", wsMaxMessageRate, 1);
    c.between("wsMaxMessageRatePenalty", wsMaxMessageRatePenalty, 0, 100);
    c.atLeast("rateCalculationInterval", rateCalculationInterval, 100);
    c.atLeast("populatorInterval", populatorInterval, 100);
    c.atLeast("fallbackSeedPeerDiscoveryInterval", fallbackSeedPeerDiscoveryInterval, 100);
    c.atLeast("outboundShuffleInterval", outboundShuffleInterval, 100);
  }

  private void checkNodeInfoSize(Checks c) {
    try {
      int size = nodeInfo.encode().getBytes(StandardCharsets.UTF_8).length;
      if (size > maxPeerInfoSize) {
        c.problem("nodeInfo", "encoded size " + size + " bytes exceeds maxPeerInfoSize " + maxPeerInfoSize);
      }
    } catch (EncodeException e) {
      c.problem("nodeInfo", "cannot be encoded as JSON: " + e.getMessage());
    }
  }

  public String getNetworkId() {
    return networkId;
  }

  public MeshOptions setNetworkId(String networkId) {
    this.networkId = networkId;
    return this;
  }

  public String getProtocolVersion() {
    return protocolVersion;
  }

  public MeshOptions setProtocolVersion(String protocolVersion) {
    this.protocolVersion = protocolVersion;
    return this;
  }

  public List<PeerAddress> getSeedPeers() {
    return seedPeers;
  }

  public MeshOptions setSeedPeers(List<PeerAddress> seedPeers) {
    this.seedPeers = List.copyOf(seedPeers);
    return this;
  }

  public List<PeerAddress> getWhitelistedPeers() {
    return whitelistedPeers;
  }

  public MeshOptions setWhitelistedPeers(List<PeerAddress> whitelistedPeers) {
    this.whitelistedPeers = List.copyOf(whitelistedPeers);
    return this;
  }

  /** Outbound connections the node fills from its peer book, {@code connect} peers included. */
  public int getMaxOutbound() {
    return maxOutbound;
  }

  public MeshOptions setMaxOutbound(int maxOutbound) {
    this.maxOutbound = maxOutbound;
    return this;
  }

  /** A copy, so changing it does not change these options. */
  public JsonObject getNodeInfo() {
    return nodeInfo.copy();
  }

  /** Stores a copy; its size against {@code maxPeerInfoSize} is checked with the rest. */
  public MeshOptions setNodeInfo(JsonObject nodeInfo) {
    this.nodeInfo = nodeInfo.copy();
    return this;
  }

  /** A Hello and an Auth carry the node's info: up to {@code maxPeerInfoSize}, in their envelope. */
  @Override
  public int maxHandshakeMessageSize() {
    return (int) Math.min(getMaxMessageSize(), (long) maxPeerInfoSize + FRAME_OVERHEAD);
  }

  public int getMaxPeerInfoSize() {
    return maxPeerInfoSize;
  }

  public MeshOptions setMaxPeerInfoSize(int maxPeerInfoSize) {
    this.maxPeerInfoSize = maxPeerInfoSize;
    return this;
  }

  public int getSendPeerLimit() {
    return sendPeerLimit;
  }

  public MeshOptions setSendPeerLimit(int sendPeerLimit) {
    this.sendPeerLimit = sendPeerLimit;
    return this;
  }

  public int getWsMaxMessageRate() {
    return wsMaxMessageRate;
  }

  public MeshOptions setWsMaxMessageRate(int wsMaxMessageRate) {
    this.wsMaxMessageRate = wsMaxMessageRate;
    return this;
  }

  public int getWsMaxMessageRatePenalty() {
    return wsMaxMessageRatePenalty;
  }

  public MeshOptions setWsMaxMessageRatePenalty(int wsMaxMessageRatePenalty) {
    this.wsMaxMessageRatePenalty = wsMaxMessageRatePenalty;
    return this;
  }

  public long getRateCalculationInterval() {
    return rateCalculationInterval;
  }

  public MeshOptions setRateCalculationInterval(long rateCalculationInterval) {
    this.rateCalculationInterval = rateCalculationInterval;
    return this;
  }

  public long getPopulatorInterval() {
    return populatorInterval;
  }

  public MeshOptions setPopulatorInterval(long populatorInterval) {
    this.populatorInterval = populatorInterval;
    return this;
  }

  public long getFallbackSeedPeerDiscoveryInterval() {
    return fallbackSeedPeerDiscoveryInterval;
  }

  public MeshOptions setFallbackSeedPeerDiscoveryInterval(long fallbackSeedPeerDiscoveryInterval) {
    this.fallbackSeedPeerDiscoveryInterval = fallbackSeedPeerDiscoveryInterval;
    return this;
  }

  public long getOutboundShuffleInterval() {
    return outboundShuffleInterval;
  }

  public MeshOptions setOutboundShuffleInterval(long outboundShuffleInterval) {
    this.outboundShuffleInterval = outboundShuffleInterval;
    return this;
  }
}
