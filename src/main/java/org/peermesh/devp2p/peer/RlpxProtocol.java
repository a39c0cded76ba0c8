package org.peermesh.devp2p.peer;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.peermesh.devp2p.Devp2pProtocol;
import org.peermesh.devp2p.base.BaseMessageCodes;
import org.peermesh.devp2p.base.Capability;
import org.peermesh.devp2p.base.Devp2pDisconnectReason;
import org.peermesh.devp2p.base.DisconnectMessage;
import org.peermesh.devp2p.base.HelloMessage;
import org.peermesh.devp2p.base.SubProtocol;
import org.peermesh.devp2p.discovery.EnodeUrl;
import org.peermesh.devp2p.discovery.NodeId;
import org.peermesh.net.MalformedInputException;
import org.peermesh.net.PeerAddress;
import org.peermesh.peer.DisconnectReason;
import org.peermesh.peer.Direction;
import org.peermesh.peer.FrameCodec;
import org.peermesh.peer.Goodbye;
import org.peermesh.peer.Handshaker;
import org.peermesh.peer.PeerLink;
import org.peermesh.peer.PoolHandle;
import org.peermesh.peer.Session;
import org.peermesh.peer.WireProtocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * devp2p on the peer layer, as go-ethereum's {@code p2p.Server} runs it: RLPx's handshake and framing, the base
 * protocol, and the sub-protocols the node runs (a Java application's {@link Devp2pProtocol}s, the capabilities
 * served over the bus, eth's Status on eth/63, eth/64 and eth/68), each at the codes both Hellos negotiate. Peers
 * are dialed by {@code enode://} URL, as the handshake needs the node's key: the {@code connect} command takes
 * {@code {"enode"}}, static nodes are redialed, and discovery ({@link Devp2pDiscovery}) feeds the dialer.
 */
public final class RlpxProtocol implements WireProtocol<RlpxMessage, Devp2pHandshake> {

  /** The protocol's name: its config section and the segment of its addresses, {@code <prefix>.devp2p.*}. */
  public static final String NAME = "devp2p";
  /** The command that says who the node is: {@code <prefix>.devp2p.command.nodeInfo}. */
  public static final String NODE_INFO = "nodeInfo";
  private static final Logger LOG = LoggerFactory.getLogger(RlpxProtocol.class);

  private final Devp2pOptions options;
  private final byte[] privateKey;
  private final NodeId self;
  private final Map<Capability, Devp2pProtocol> protocols;
  private final Devp2pMessageTypes messageTypes;
  private final HelloMessage ourHello;
  private final SecureRandom random = new SecureRandom();
  /** The key of each node we dial, by the address dialed: the handshake's first packet is encrypted to it. */
  private final Map<PeerAddress, NodeId> dialKeys = new ConcurrentHashMap<>();
  private volatile PoolHandle pool;
  private Devp2pDiscovery discovery;

  /**
   * @param privateKey the node's static key, 32 bytes; the node id is its public key
   * @param javaProtocols the sub-protocols of a Java application, beside those the options serve (the bus
   *                      capabilities, eth)
   * @throws IllegalArgumentException if two sub-protocols claim one capability
   */
  public RlpxProtocol(Devp2pOptions options, byte[] privateKey, List<Devp2pProtocol> javaProtocols) {
    this.options = options.copy();
    this.privateKey = privateKey.clone();
    this.self = NodeId.ofPrivateKey(privateKey);
    List<Devp2pProtocol> all = new ArrayList<>(javaProtocols);
    options.getCapabilities().forEach(capability -> all.add(BusCapabilities.protocol(capability)));
    if (options.getEth() != null) {
      all.addAll(EthCapability.protocols(options.getEth()));
    }
    Map<Capability, Devp2pProtocol> byCapability = new LinkedHashMap<>();
    for (Devp2pProtocol protocol : all) {
      Capability capability = new Capability(protocol.name(), protocol.version());
      if (byCapability.putIfAbsent(capability, protocol) != null) {
        throw new IllegalArgumentException("two sub-protocols run " + capability);
      }
    }
    this.protocols = Map.copyOf(byCapability);
    this.messageTypes = new Devp2pMessageTypes(byCapability.values());
    this.ourHello = new HelloMessage(HelloMessage.PROTOCOL_VERSION, options.getName(),
        byCapability.keySet().stream().sorted().toList(), 0, self.bytes());
    options.getStaticNodes().stream().map(EnodeUrl::parse).forEach(this::expect);
  }

  @Override
  public String name() {
    return NAME;
  }

  /** The node's id: its public key. */
  public NodeId nodeId() {
    return self;
  }

  /** The capabilities our Hello offers. */
  public List<Capability> capabilities() {
    return ourHello.capabilities();
  }

  /** Remembers the key of {@code node}, to be dialed at its address; returns the address. */
  PeerAddress expect(EnodeUrl node) {
    PeerAddress address = new PeerAddress(node.host(), node.tcpPort());
    dialKeys.put(address, node.id());
    return address;
  }

  @Override
  public FrameCodec<RlpxMessage> newCodec() {
    return new RlpxHandshakeCodec();
  }

  @Override
  public Handshaker<RlpxMessage, Devp2pHandshake> newHandshaker(PeerLink<RlpxMessage> link) {
    boolean outbound = link.direction() == Direction.OUTBOUND;
    return new Devp2pHandshaker(privateKey, outbound, outbound ? dialKeys.get(link.remote()) : null, ourHello,
        protocols.values().stream().map(Devp2pProtocol::subProtocol).toList(), options.getMaxMessageSize(), random);
  }

  @Override
  public Session<RlpxMessage> newSession(PeerLink<RlpxMessage> link, Devp2pHandshake established) {
    return new Devp2pSession(link, established, protocols, options.getMaxMessageSize(),
        messageTypes.forSession(established.negotiated()));
  }

  /** The handshake's packets and the base protocol's messages; a session names its capabilities' messages. */
  @Override
  public String messageType(RlpxMessage message) {
    return Devp2pMessageTypes.beforeSession(message);
  }

  @Override
  public Set<String> peerCommands() {
    return Set.of(Devp2pSession.SEND);
  }

  /** A Disconnect in any of the forms peers send: a list or a bare integer, compressed or not. */
  @Override
  public Optional<Goodbye> goodbye(RlpxMessage message) {
    if (!(message instanceof RlpxMessage.Frame frame) || frame.code() != BaseMessageCodes.DISCONNECT) {
      return Optional.empty();
    }
    DisconnectMessage disconnect;
    try {
      disconnect = DisconnectMessage.decode(frame.payloadArray());
    } catch (MalformedInputException e) {
      return Optional.of(new Goodbye(-1, Optional.empty(), "a Disconnect that does not decode: " + e.getMessage()));
    }
    Optional<Devp2pDisconnectReason> reason = disconnect.reason();
    return Optional.of(new Goodbye(disconnect.reasonCode(), reason.flatMap(Devp2pRefusals::layerReason),
        reason.map(Devp2pDisconnectReason::words).orElse("")));
  }

  @Override
  public List<RlpxMessage> farewell(DisconnectReason reason, String kind, String detail) {
    return Devp2pRefusals.disconnectReason(reason, kind)
        .<List<RlpxMessage>>map(r -> List.of(RlpxMessage.Frame.owning(BaseMessageCodes.DISCONNECT,
            DisconnectMessage.of(r).encode())))
        .orElse(List.of());
  }

  /** {@code {"enode": "enode://<128 hex>@host:port"}}: the node's key is kept for the handshake. */
  @Override
  public PeerAddress connectTarget(JsonObject command, int defaultPort) {
    Object enode = command.getValue("enode");
    if (!(enode instanceof String url)) {
      throw new IllegalArgumentException("connect needs {\"enode\": \"enode://<128 hex digits>@host:port\"}, not "
          + command.encode());
    }
    return expect(EnodeUrl.parse(url));
  }

  /** Logs the node's enode URL, as geth does, and starts discovery where the options ask for it. */
  @Override
  public Future<Void> start(PoolHandle pool) {
    this.pool = pool;
    LOG.info("devp2p node {} as {}, capabilities {}", enode(), options.getName(), capabilities());
    if (options.getDiscovery() == null) {
      return Future.succeededFuture();
    }
    discovery = new Devp2pDiscovery(pool, options, privateKey, this);
    return discovery.start();
  }

  /**
   * The node's enode URL: its id at the address it listens on (127.0.0.1 for a wildcard, as geth without NAT says),
   * or port 0 when it does not listen.
   */
  public String enode() {
    PeerAddress listen = pool == null ? null : pool.listenAddress();
    if (listen == null) {
      return "enode://" + self.hex() + "@127.0.0.1:0";
    }
    String host = listen.host().equals("0.0.0.0") || listen.host().equals("::") ? "127.0.0.1" : listen.host();
    return "enode://" + self.hex() + "@" + (host.contains(":") ? "[" + host + "]" : host) + ":" + listen.port();
  }

  /** {@code nodeInfo}: who the node is, as geth's {@code admin.nodeInfo}. */
  @Override
  public Map<String, Function<JsonObject, Future<JsonObject>>> nodeCommands() {
    return Map.of(NODE_INFO, body -> Future.succeededFuture(nodeInfo()));
  }

  /** Who the node is: what the {@code nodeInfo} command answers. */
  public JsonObject nodeInfo() {
    JsonObject info = new JsonObject()
        .put("id", self.hex())
        .put("enode", enode())
        .put("name", options.getName())
        .put("capabilities", new JsonArray(capabilities().stream().map(Capability::toString).toList()));
    PeerAddress listen = pool == null ? null : pool.listenAddress();
    if (listen != null) {
      info.put("listen", listen.toJson());
    }
    if (discovery != null) {
      info.put("discovery", discovery.info());
    }
    return info;
  }

  @Override
  public Future<Void> stop() {
    return discovery == null ? Future.succeededFuture() : discovery.stop();
  }

}
