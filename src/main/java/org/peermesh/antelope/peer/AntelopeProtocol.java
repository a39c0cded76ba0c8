package org.peermesh.antelope.peer;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.peermesh.antelope.crypto.AntelopePrivateKey;
import org.peermesh.antelope.crypto.AntelopePublicKey;
import org.peermesh.antelope.wire.AntelopeMessage;
import org.peermesh.antelope.wire.AntelopeMessages;
import org.peermesh.antelope.wire.Checksum256;
import org.peermesh.antelope.wire.GoAwayMessage;
import org.peermesh.antelope.wire.GoAwayReason;
import org.peermesh.antelope.wire.HandshakeMessage;
import org.peermesh.antelope.wire.PackedTransaction;
import org.peermesh.antelope.wire.SignedBlock;
import org.peermesh.net.PeerAddress;
import org.peermesh.peer.Direction;
import org.peermesh.peer.DisconnectReason;
import org.peermesh.peer.FrameCodec;
import org.peermesh.peer.Goodbye;
import org.peermesh.peer.Handshaker;
import org.peermesh.peer.PeerLink;
import org.peermesh.peer.Session;
import org.peermesh.peer.WireProtocol;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The Antelope net_plugin protocol on the peer layer: {@link org.peermesh.antelope.peer.AntelopeCodec},
 * {@link AntelopeHandshaker} and {@link AntelopeSession}, one {@link ChainWindow} and one {@link RelayHub} for all the
 * node's Antelope peers. Every message a peer sends is published decoded on its variant's address
 * ({@code <prefix>.antelope.signed_block}), blocks and transactions once each whichever peers send them.
 */
public final class AntelopeProtocol implements WireProtocol<AntelopeMessage, AntelopeHandshake> {

  /** The protocol's name: its config section and the segment of its addresses, {@code <prefix>.antelope.*}. */
  public static final String NAME = "antelope";
  /** The command that sends one message to a peer; the layer serves connect, disconnect and peers. */
  static final String SEND = "send";
  /**
   * The window's bytes: recent blocks are small, but blocks are not validated, so a peer may feed the window maximal
   * ones of a chain of its own: at most an eighth of the heap, and never more than 256 MiB.
   */
  private static final long BLOCK_WINDOW_BYTES = Math.min(256L * 1024 * 1024, Runtime.getRuntime().maxMemory() / 8);

  private static final HexFormat HEX = HexFormat.of();

  private final AntelopeOptions options;
  private final AntelopePrivateKey key;
  private final Checksum256 nodeId;
  private final Checksum256 chainId;
  private final Set<AntelopePublicKey> allowedKeys;
  private final ChainWindow window;
  private final RelayHub hub = new RelayHub();
  private final String os = System.getProperty("os.name", "unknown").toLowerCase(Locale.ROOT);

  /**
   * @param key the node's K1 key, which signs its handshakes: peers that require signed peers check it
   */
  public AntelopeProtocol(AntelopeOptions options, AntelopePrivateKey key) {
    this.options = options.copy();
    this.key = key;
    byte[] random = new byte[Checksum256.LENGTH];
    new SecureRandom().nextBytes(random);
    // nodeos draws a fresh node_id at every start; peers spot duplicate connections and ourselves by it.
    this.nodeId = Checksum256.of(random);
    this.chainId = Checksum256.fromHex(options.getChainId());
    this.allowedKeys = options.getAllowedKeys().stream().map(AntelopePublicKey::parse).collect(Collectors.toSet());
    this.window = new ChainWindow(options.getBlockWindow(), BLOCK_WINDOW_BYTES, options.getTransactionWindow());
  }

  @Override
  public String name() {
    return NAME;
  }

  /** This node's node_id for this run. */
  public Checksum256 nodeId() {
    return nodeId;
  }

  /** The key this node signs its handshakes with. */
  public AntelopePublicKey publicKey() {
    return key.publicKey();
  }

  @Override
  public FrameCodec<AntelopeMessage> newCodec() {
    return new AntelopeCodec(options.getMaxMessageSize());
  }

  @Override
  public Handshaker<AntelopeMessage, AntelopeHandshake> newHandshaker(PeerLink<AntelopeMessage> link) {
    return new AntelopeHandshaker(link.direction(), () -> ownHandshake(link), nodeId, chainId,
        options.getAllowedConnection(), allowedKeys, () -> hostIsFull(link));
  }

  @Override
  public Session<AntelopeMessage> newSession(PeerLink<AntelopeMessage> link, AntelopeHandshake established) {
    return new AntelopeSession(link, established, options, window, hub);
  }

  /** nodeos' name of its {@code net_message} variant, {@code handshake_message} or {@code signed_block}. */
  @Override
  public String messageType(AntelopeMessage message) {
    return message.typeName();
  }

  @Override
  public Set<String> peerCommands() {
    return Set.of(SEND);
  }

  /**
   * Every message as it came, on {@code antelope.message}, and decoded on its variant's address, except blocks and
   * transactions: the session publishes those once it knows they are new to the node.
   */
  @Override
  public void received(PeerLink<AntelopeMessage> link, AntelopeMessage message, Buffer payload) {
    link.publishRaw(link.header().put("type", message.typeName()).put("payload", HEX.formatHex(payload.getBytes())));
    if (!(message instanceof SignedBlock) && !(message instanceof PackedTransaction)) {
      link.publish(message.typeName(), link.header().put("type", message.typeName()).put("message", message.toJson()));
    }
  }

  @Override
  public Optional<Goodbye> goodbye(AntelopeMessage message) {
    if (!(message instanceof GoAwayMessage goAway)) {
      return Optional.empty();
    }
    Optional<GoAwayReason> reason = goAway.reason();
    return Optional.of(new Goodbye((int) goAway.reasonCode(), reason.flatMap(AntelopeProtocol::disconnectReason),
        reason.map(GoAwayReason::description).orElse("")));
  }

  /** The go_away nodeos would send for the refusal or close, with our node_id; nothing where nodeos says nothing. */
  @Override
  public List<AntelopeMessage> farewell(DisconnectReason reason, String kind, String detail) {
    return AntelopeRefusals.goAwayReason(reason, kind)
        .<List<AntelopeMessage>>map(goAway -> List.of(GoAwayMessage.of(goAway, nodeId)))
        .orElse(List.of());
  }

  /** What a peer's go_away means in the layer's terms, where it means something the layer names. */
  private static Optional<DisconnectReason> disconnectReason(GoAwayReason reason) {
    return Optional.ofNullable(switch (reason) {
      case NO_REASON, BENIGN_OTHER -> DisconnectReason.NORMAL;
      case SELF -> DisconnectReason.SELF_CONNECTION;
      case DUPLICATE -> DisconnectReason.DUPLICATE_CONNECTION;
      case WRONG_CHAIN -> DisconnectReason.INCOMPATIBLE_NETWORK;
      case WRONG_VERSION -> DisconnectReason.INCOMPATIBLE_PROTOCOL_VERSION;
      case AUTHENTICATION -> DisconnectReason.INVALID_SIGNATURE;
      default -> null;
    });
  }

  /**
   * Our handshake on a connection: the node's head as the window holds it (none before the first block: a watcher
   * claims no irreversible block), signed with the node's key over sha256 of its time, as nodeos requires of a
   * signed handshake.
   */
  private HandshakeMessage ownHandshake(PeerLink<AntelopeMessage> link) {
    Instant now = Instant.now();
    long time = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    Checksum256 token = AntelopeHandshaker.tokenOf(time);
    Optional<SignedBlock> head = window.head();
    return new HandshakeMessage(options.getNetworkVersion(), chainId, nodeId, key.publicKey(), time, token,
        key.signDigest(token.bytes()), p2pAddress(link), 0, Checksum256.ZERO,
        head.map(SignedBlock::blockNum).orElse(0L), head.map(SignedBlock::id).orElse(Checksum256.ZERO), os,
        options.getAgent(), 1);
  }

  /** nodeos' form: {@code host:port - <7 hex digits of the node_id>}. */
  private String p2pAddress(PeerLink<AntelopeMessage> link) {
    String address = options.getP2pAddress();
    if (address == null) {
      PeerAddress listen = link.pool().listenAddress();
      address = listen == null ? "0.0.0.0:0" : listen.toString();
    }
    return address + " - " + nodeId.toHex().substring(0, AntelopeOptions.P2P_ADDRESS_NODE_ID_DIGITS);
  }

  /** Whether an inbound peer's host has maxClientsPerHost other inbound peers connected already. */
  private boolean hostIsFull(PeerLink<AntelopeMessage> link) {
    String host = link.remote().host();
    long fromHost = link.pool().peers().stream()
        .filter(peer -> Direction.INBOUND.jsonName().equals(peer.getString("direction"))
            && host.equals(peer.getString("host")) && !link.name().equals(peer.getString("peer")))
        .count();
    return fromHost >= options.getMaxClientsPerHost();
  }

  /**
   * The message a send command names: {@code {"type": "<variant name>", "message": {...}}} in the JSON the bus
   * publishes.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  static AntelopeMessage messageOf(JsonObject body) {
    String type = body.getString("type");
    if (type == null || !AntelopeMessages.typeNames().contains(type)) {
      throw new IllegalArgumentException("send needs {\"peer\", \"type\": one of " + AntelopeMessages.typeNames()
          + ", \"message\": {...}}");
    }
    if (!(body.getValue("message") instanceof JsonObject message)) {
      throw new IllegalArgumentException("send needs \"message\": {...}, the " + type + " in JSON");
    }
    return AntelopeMessages.fromJson(type, message);
  }
}
