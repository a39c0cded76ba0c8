package org.peermesh.bitcoin.peer;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.peermesh.bitcoin.wire.BitcoinFrames;
import org.peermesh.bitcoin.wire.BitcoinMessage;
import org.peermesh.bitcoin.wire.BitcoinMessages;
import org.peermesh.bitcoin.wire.NetworkAddress;
import org.peermesh.bitcoin.wire.RawMessage;
import org.peermesh.bitcoin.wire.VersionMessage;
import org.peermesh.bus.ProtocolAddresses;
import org.peermesh.net.PeerAddress;
import org.peermesh.peer.FrameCodec;
import org.peermesh.peer.Handshaker;
import org.peermesh.peer.PeerLink;
import org.peermesh.peer.PeerState;
import org.peermesh.peer.Session;
import org.peermesh.peer.WireProtocol;
import org.peermesh.storage.LruMap;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The Bitcoin wire protocol on the peer layer: {@link BitcoinCodec}, {@link BitcoinHandshaker} and
 * {@link BitcoinSession}. Every message a peer sends is published twice, decoded on its command's address and raw
 * on {@code bitcoin.message}; peers are named by address and take bitcore's state names.
 */
public final class BitcoinProtocol implements WireProtocol<BitcoinMessage, BitcoinHandshake> {

  /** The command that sends one message to a peer; the layer serves connect, disconnect and peers. */
  /** The protocol's name: its config section and the segment of its addresses, {@code <prefix>.bitcoin.*}. */
  public static final String NAME = "bitcoin";
  static final String SEND = "send";
  /** Commands with an address of their own: what every real command looks like. */
  private static final Pattern OWN_ADDRESS_COMMAND = Pattern.compile("[a-z0-9]{1,12}");
  /** Our versions' nonces, to spot a connection to ourselves: enough for every handshake that can be under way. */
  private static final int NONCES_KEPT = 100_000;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HexFormat HEX = HexFormat.of();

  private final BitcoinOptions options;
  private final Map<Long, Boolean> ownNonces = Collections.synchronizedMap(new LruMap<>(NONCES_KEPT));

  public BitcoinProtocol(BitcoinOptions options) {
    this.options = options.copy();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public FrameCodec<BitcoinMessage> newCodec() {
    return new BitcoinCodec(options.getNetwork(), options.getMaxMessageSize());
  }

  @Override
  public Handshaker<BitcoinMessage, BitcoinHandshake> newHandshaker(PeerLink<BitcoinMessage> link) {
    return new BitcoinHandshaker(link.direction(), options.getProtocolVersion(), () -> versionFor(link),
        ownNonces::containsKey);
  }

  @Override
  public Session<BitcoinMessage> newSession(PeerLink<BitcoinMessage> link, BitcoinHandshake established) {
    return new BitcoinSession(link, established, options);
  }

  @Override
  public Set<String> peerCommands() {
    return Set.of(SEND);
  }

  /** Its command, for the commands a class decodes; a command no class decodes is the peer's word, so unknown. */
  @Override
  public String messageType(BitcoinMessage message) {
    return message instanceof RawMessage ? UNKNOWN_MESSAGE_TYPE : message.command();
  }

  /** bitcore's names: disconnected, connecting, connected (socket open, handshake under way), ready. */
  @Override
  public String stateName(PeerState state) {
    return switch (state) {
      case CONNECTING -> "connecting";
      case HANDSHAKING -> "connected";
      case CONNECTED -> "ready";
      case CLOSED -> "disconnected";
    };
  }

  /**
   * Every message goes out twice: decoded, on its command's address, and raw, on {@code bitcoin.message}, so that a
   * consumer of commands we do not decode still gets them.
   */
  @Override
  public void received(PeerLink<BitcoinMessage> link, BitcoinMessage message, Buffer payload) {
    String command = message.command();
    link.publishRaw(link.header().put("command", command).put("payload", HEX.formatHex(payload.getBytes())));
    if (hasOwnAddress(command)) {
      link.publish(command, link.header().put("command", command).put("message", message.toJson()));
    }
  }

  /** Our version for a connection, with a fresh nonce that is remembered to spot a connection to ourselves. */
  private VersionMessage versionFor(PeerLink<BitcoinMessage> link) {
    long nonce = RANDOM.nextLong();
    ownNonces.put(nonce, Boolean.TRUE);
    PeerAddress remote = link.remote();
    PeerAddress listen = link.pool().listenAddress();
    return new VersionMessage(options.getProtocolVersion(), options.getServices(), Instant.now().getEpochSecond(),
        NetworkAddress.of(0, remote.host(), remote.port()),
        NetworkAddress.of(options.getServices(), "0.0.0.0", listen == null ? 0 : listen.port()),
        nonce, options.getUserAgent(), 0, options.isRelay());
  }

  /**
   * The message a send command names: {@code {"command", "message": {...}}} in the JSON of the command's type, or
   * {@code {"command", "payload": "<hex>"}} with the payload's bytes as they are.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  static BitcoinMessage messageOf(JsonObject body) {
    String command = body.getString("command");
    if (command == null) {
      throw new IllegalArgumentException("send needs {\"peer\", \"command\", \"message\": {...} or "
          + "\"payload\": \"<hex>\"}");
    }
    if (!BitcoinFrames.isValidCommand(command)) {
      throw new IllegalArgumentException("command '" + command + "' is not 1 to 12 printable ASCII characters");
    }
    if (body.getValue("payload") != null) {
      return RawMessage.fromJson(command, body);
    }
    Object message = body.getValue("message", new JsonObject());
    if (!(message instanceof JsonObject fields)) {
      throw new IllegalArgumentException("\"message\" must be an object, the " + command + " in JSON");
    }
    return BitcoinMessages.fromJson(command, fields);
  }

  /** Whether {@code command} is published on an address of its own ({@code <prefix>.bitcoin.<command>}). */
  static boolean hasOwnAddress(String command) {
    return OWN_ADDRESS_COMMAND.matcher(command).matches() && !ProtocolAddresses.RESERVED.contains(command);
  }
}
