package org.peermesh.testing.antelope;

import io.vertx.core.json.JsonObject;
import org.peermesh.testing.JsonEvents;
import org.peermesh.testing.JsonLinesProcess;
import org.peermesh.testing.ScriptedPeer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real @wharfkit/antelope 1.2.0 P2P client ({@code src/interop/wharfkit/p2p-client.js}, a P2PClient over a
 * SimpleEnvelopeP2PProvider over a net.Socket) connected to one Antelope peer: it sends a handshake at once, answers
 * pings, and reports as {@link JsonEvents} (matched with {@link WharfkitEvents}) every message it receives (wharfkit's
 * JSON of it and its payload's hex), whether a handshake's signature recovers its key, errors and the close. Tests make
 * it send any NetMessage variant, another handshake, or close the connection.
 *
 * <p>One connection per client: the script exits once its connection has closed.
 */
public final class WharfkitClient extends ScriptedPeer {

  public static final String HOST = "127.0.0.1";
  /** The npm part of {@code src/interop} the wharfkit scripts are in. */
  static final String WHARFKIT = "wharfkit";
  /** Starting Node.js, loading wharfkit and connecting over loopback. */
  public static final Duration START_DEADLINE = Duration.ofSeconds(30);

  private final JsonObject ready;

  private WharfkitClient(JsonLinesProcess process, JsonObject ready) {
    super(process);
    this.ready = ready;
  }

  /**
   * Starts a client that dials {@code host:port} and returns once it is connected (its handshake is on its way);
   * a refused connection throws.
   */
  public static WharfkitClient connect(String host, int port, Options options) {
    List<String> arguments = new ArrayList<>(List.of("--host", host, "--port", String.valueOf(port),
        "--chain-id", options.chainId(), "--generation", String.valueOf(options.generation()),
        "--handshake", options.handshake().encode()));
    if (!options.signed()) {
      arguments.add("--unsigned");
    }
    if (options.heartbeat() != null) {
      arguments.addAll(List.of("--heartbeat-ms", String.valueOf(options.heartbeat().toMillis())));
    }
    if (options.p2pAddress() != null) {
      arguments.addAll(List.of("--p2p-address", options.p2pAddress()));
    }
    JsonLinesProcess process = JsonLinesProcess.start(WHARFKIT, "wharfkit-client:" + port, "p2p-client.js",
        arguments);
    JsonObject first;
    try {
      first = process.events().await(WharfkitEvents.named("ready").or(WharfkitEvents.named("close")),
          START_DEADLINE);
    } catch (AssertionError e) {
      throw process.startFailure("p2p-client.js to " + host + ":" + port + " was not connected within "
          + START_DEADLINE, e);
    }
    if (!"ready".equals(first.getString("event"))) {
      throw process.startFailure("p2p-client.js could not connect to " + host + ":" + port, null);
    }
    return new WharfkitClient(process, first);
  }

  /** The client's public key, PUB_K1_..., as its handshakes carry it (the all-zero key when unsigned). */
  public String publicKey() {
    return ready.getString("key");
  }

  /** The client's node_id, 64 hex digits. */
  public String nodeId() {
    return ready.getString("nodeId");
  }

  /** Sends a command line as p2p-client.js reads them: {@code {"send": ...}}, {@code {"handshake": ...}}... */
  public void send(JsonObject command) {
    process.command(command);
  }

  /** Sends a NetMessage variant, named as wharfkit names it ("sync_request_message"), from wharfkit's JSON. */
  public void sendMessage(String type, JsonObject message) {
    send(new JsonObject().put("send", type).put("message", message));
  }

  /** Sends another handshake: the fields given override the defaults; time, token and sig are fresh unless given. */
  public void sendHandshake(JsonObject overrides) {
    send(new JsonObject().put("handshake", overrides));
  }

  /** Ends the connection (the script exits once it has closed). */
  public void closeConnection() {
    send(new JsonObject().put("close", true));
  }

  /** Stops the script, closing its connection if it is still open. */

  /**
   * How the client introduces itself.
   *
   * @param chainId    the chain id its handshakes carry, 64 hex digits
   * @param signed     whether its handshakes are signed by a fresh K1 key (else all-zero key, token and signature)
   * @param heartbeat  P2PClient's heartbeatTimoutMs (a time_message {org: ms, 0, 0, 0} that often), or null for none
   * @param p2pAddress the handshake's p2p_address, or null for {@code <local host:port> - <7 hex of node_id>}
   * @param generation the first handshake's generation: nodeos checks and answers a handshake of generation 1 only
   *                   (the wharfkit guide's 4 gets no answer from nodeos)
   * @param handshake  wharfkit JSON fields overriding the first handshake's (headNum, os...), or empty
   */
  public record Options(String chainId, boolean signed, Duration heartbeat, String p2pAddress, int generation,
                        JsonObject handshake) {

    /** A signed client on {@code chainId}, generation 1, without heartbeat. */
    public static Options forChain(String chainId) {
      return new Options(chainId, true, null, null, 1, new JsonObject());
    }

    public Options unsigned() {
      return new Options(chainId, false, heartbeat, p2pAddress, generation, handshake);
    }

    public Options withHeartbeat(Duration every) {
      return new Options(chainId, signed, every, p2pAddress, generation, handshake);
    }

    public Options withP2pAddress(String address) {
      return new Options(chainId, signed, heartbeat, address, generation, handshake);
    }

    public Options withGeneration(int first) {
      return new Options(chainId, signed, heartbeat, p2pAddress, first, handshake);
    }

    public Options withHandshake(JsonObject overrides) {
      return new Options(chainId, signed, heartbeat, p2pAddress, generation, overrides);
    }
  }
}
