package org.peermesh.devp2p.peer;

import org.peermesh.bus.ProtocolAddresses;
import org.peermesh.config.Checks;
import org.peermesh.config.Configurable;
import org.peermesh.devp2p.Devp2pProtocol;
import org.peermesh.devp2p.discovery.EnodeUrl;
import org.peermesh.devp2p.eth.EthOptions;
import org.peermesh.net.PeerAddress;
import org.peermesh.peer.PoolOptions;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code devp2p} section of a node's config, and the settings of a {@link Devp2pServer}: go-ethereum's
 * {@code p2p.Config} (MaxPeers, Name, ListenAddr, BootstrapNodes, StaticNodes, discovery) with the peer layer's keys.
 * Defaults are geth's where it has them.
 */
public final class Devp2pOptions extends PoolOptions<Devp2pOptions> {

  /** go-ethereum's and devp2p's port, TCP for RLPx and UDP for discovery. */
  public static final int DEFAULT_PORT = 30303;
  /** geth's maxMessageSize of eth: the largest message, decompressed. */
  static final int MAX_MESSAGE_SIZE = 10 * 1024 * 1024;
  /** geth's dialRatio: a third of maxPeers are dialed, the rest accepted. */
  static final int DIAL_RATIO = 3;

  private static final Pattern BUS_CAPABILITY_NAME = Pattern.compile("[A-Za-z0-9_-]{1,"
      + Devp2pProtocol.MAX_NAME_LENGTH + "}");

  /** A capability served over the event bus by services elsewhere: {@code {"name", "version", "length"}}. */
  public record BusCapability(String name, int version, int length) {
  }

  /** Discovery v4 on UDP: {@code {"port": <udp>}}; the section left out (or false) runs none. */
  public static final class DiscoveryOptions implements Configurable {

    private int port = DEFAULT_PORT;

    @Override
    public void check(Checks c) {
      c.between("port", port, 0, 0xffff);
    }

    /** The UDP port; 0 for any free one. */
    public int getPort() {
      return port;
    }

    public DiscoveryOptions setPort(int port) {
      this.port = port;
      return this;
    }
  }

  private int maxPeers = 50;
  /** Our Hello's client id, as geth's {@code Name}. */
  private String name = defaultName();
  /** discv4's bootstrap nodes, {@code enode://} URLs. */
  private List<String> bootnodes = List.of();
  /** Nodes dialed at start and redialed whenever their connection ends, {@code enode://} URLs. */
  private List<String> staticNodes = List.of();
  private DiscoveryOptions discovery;
  private List<BusCapability> capabilities = List.of();
  private EthOptions eth;

  /** Options with go-ethereum's defaults: 50 peers, no listener, no discovery, no capability. */
  public Devp2pOptions() {
    setMaxMessageSize(MAX_MESSAGE_SIZE);
    setMaxWriteQueueSize(4L * MAX_MESSAGE_SIZE);
    // geth: handshakes within 5 s, a ping every 15 s, a peer silent for 30 s is gone.
    setHandshakeTimeout(5_000);
    setPingInterval(15_000);
    setPeerTimeout(30_000);
    setConnectTimeout(15_000);
  }

  private static String defaultName() {
    String version = Devp2pOptions.class.getPackage().getImplementationVersion();
    return "PeerMesh/v" + (version == null ? "dev" : version) + "/java" + Runtime.version().feature();
  }

  @Override
  public void check(Checks c) {
    super.check(c);
    c.atLeast("maxPeers", maxPeers, 1);
    c.expect(super.getMaxInbound() == DEFAULT_MAX_INBOUND, "maxInbound",
        "left out: devp2p accepts what maxPeers leaves beside the dialed third", super.getMaxInbound());
    c.text("name", name, "1 to 256 characters", s -> !s.isEmpty() && s.length() <= 256);
    checkEnodes(c, "bootnodes", bootnodes);
    checkEnodes(c, "staticNodes", staticNodes);
    c.expect(super.getConnect().isEmpty(), "connect", "no addresses: devp2p dials enode:// URLs, listed in "
        + "staticNodes", super.getConnect());
    for (BusCapability capability : capabilities) {
      // Its name is a segment of the bus addresses its messages go to, which the bridge lets clients consume.
      c.expect(capability.name() != null && BUS_CAPABILITY_NAME.matcher(capability.name()).matches()
              && !ProtocolAddresses.RESERVED.contains(capability.name())
              && capability.version() >= 0 && capability.length() >= 1 && capability.length() <= 0x10000,
          "capabilities", "{\"name\": 1 to " + Devp2pProtocol.MAX_NAME_LENGTH + " letters, digits, _ or -, none of "
              + ProtocolAddresses.RESERVED + ", \"version\": "
              + "integer >= 0, \"length\": 1 to 65536}", capability);
      c.expect(eth == null || !"eth".equals(capability.name()), "capabilities",
          "no eth capability beside the eth section, which serves eth/63, eth/64 and eth/68", capability);
    }
    c.between("maxMessageSize", getMaxMessageSize(), 4096, 0xFFFFFF - 8);
  }

  private static void checkEnodes(Checks c, String key, List<String> urls) {
    for (String url : urls) {
      try {
        EnodeUrl.parse(url);
      } catch (IllegalArgumentException e) {
        c.problem(key, "expected enode://<128 hex digits>@host:port URLs, got " + url + ": " + e.getMessage());
      }
    }
  }

  @Override
  public String summary() {
    return "devp2p as " + name + (eth == null ? "" : ", eth network " + eth.getNetworkId());
  }

  @Override
  public int defaultPort() {
    return DEFAULT_PORT;
  }

  /** A frame holds the message compressed, which snappy may grow by a sixth, in a header, padding and MACs. */
  @Override
  public int maxFrameSize() {
    return getMaxMessageSize() + getMaxMessageSize() / 6 + 128;
  }

  /** The static nodes' addresses, which the pool keeps connected: devp2p names no peer by address alone. */
  @Override
  public List<PeerAddress> getConnect() {
    return staticNodes.stream().map(EnodeUrl::parse).map(url -> new PeerAddress(url.host(), url.tcpPort())).toList();
  }

  public int getMaxPeers() {
    return maxPeers;
  }

  /** The most peers connected, as geth's MaxPeers: a third of them dialed, the rest accepted. */
  public Devp2pOptions setMaxPeers(int maxPeers) {
    this.maxPeers = maxPeers;
    return this;
  }

  /** The peers we dial at most: geth's {@code maxDialedConns}. */
  public int maxDialed() {
    return Math.max(1, maxPeers / DIAL_RATIO);
  }

  /** The peers accepted at most: what maxPeers leaves beside the dialed ones, as geth's {@code maxInboundConns}. */
  @Override
  public int getMaxInbound() {
    return Math.max(1, maxPeers - maxPeers / DIAL_RATIO);
  }

  public String getName() {
    return name;
  }

  public Devp2pOptions setName(String name) {
    this.name = name;
    return this;
  }

  public List<String> getBootnodes() {
    return bootnodes;
  }

  public Devp2pOptions setBootnodes(List<String> bootnodes) {
    this.bootnodes = List.copyOf(bootnodes);
    return this;
  }

  public List<String> getStaticNodes() {
    return staticNodes;
  }

  public Devp2pOptions setStaticNodes(List<String> staticNodes) {
    this.staticNodes = List.copyOf(staticNodes);
    return this;
  }

  /** Discovery's settings; null when the node runs none. */
  public DiscoveryOptions getDiscovery() {
    return discovery;
  }

  public Devp2pOptions setDiscovery(DiscoveryOptions discovery) {
    this.discovery = discovery;
    return this;
  }

  public List<BusCapability> getCapabilities() {
    return capabilities;
  }

  public Devp2pOptions setCapabilities(List<BusCapability> capabilities) {
    this.capabilities = List.copyOf(capabilities);
    return this;
  }

  /** The eth section; null when the node does not run eth. */
  public EthOptions getEth() {
    return eth;
  }

  public Devp2pOptions setEth(EthOptions eth) {
    this.eth = eth;
    return this;
  }
}
