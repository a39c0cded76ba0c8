package org.peermesh.peer;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.peermesh.bus.BusAddresses;
import org.peermesh.bus.CommandConsumers;
import org.peermesh.bus.Failure;
import org.peermesh.bus.ProtocolAddresses;
import org.peermesh.net.PeerAddress;

import java.util.ArrayList;
import java.util.List;

/**
 * The commands every protocol's pool serves, the same for every protocol, on
 * {@code <prefix>.<protocol>.command.<name>}: {@code connect}, {@code disconnect}, {@code peers}, and the protocol's
 * own peer commands ({@link WireProtocol#peerCommands}), which, as {@code disconnect}, are forwarded to the named
 * peer's mailbox ({@code <prefix>.<protocol>.peer.<host:port>}) wherever in the cluster the peer is.
 */
public final class PoolCommands {

  /** How long a forwarded command may wait for the peer's mailbox beyond a connect's timeout. */
  private static final long MAILBOX_MARGIN_MS = 5_000;

  /** How the pool serves {@code connect}. */
  public interface Dialer {

    /**
     * Dials {@code target} through {@code proxy} (null: directly), or takes the connection to it there is.
     *
     * @return the peer's info once its handshake is established; a failure with the reason it never was
     */
    Future<JsonObject> connect(PeerAddress target, PeerAddress proxy);
  }

  private final Vertx vertx;
  private final BusAddresses busAddresses;
  private final ProtocolAddresses addresses;
  private final PeerGroup<?, ?> group;
  private final Dialer dialer;

  private PoolCommands(Vertx vertx, BusAddresses busAddresses, PeerGroup<?, ?> group, Dialer dialer) {
    this.vertx = vertx;
    this.busAddresses = busAddresses;
    this.addresses = group.addresses();
    this.group = group;
    this.dialer = dialer;
  }

  /** Registers the commands of {@code group}'s protocol, from the pool's context; completes once they are served. */
  public static Future<Void> register(Vertx vertx, BusAddresses busAddresses, PeerGroup<?, ?> group, Dialer dialer) {
    return new PoolCommands(vertx, busAddresses, group, dialer).register();
  }

  private Future<Void> register() {
    List<Future<Void>> served = new ArrayList<>(List.of(
        serve("connect", this::onConnect),
        serve("disconnect", m -> forward(m, "disconnect")),
        serve("peers", m -> m.reply(new JsonObject().put("peers", new JsonArray(new ArrayList<>(group.peers())))))));
    for (String action : group.protocol().peerCommands()) {
      served.add(serve(action, m -> forward(m, action)));
    }
    group.protocol().nodeCommands().forEach((action, command) -> served.add(serve(action, m -> {
      JsonObject body = m.body() == null ? new JsonObject() : m.body();
      command.apply(body).onSuccess(m::reply).onFailure(err -> {
        if (err instanceof ReplyException reply) {
          m.fail(reply.failureCode(), reply.getMessage());
        } else {
          m.fail(Failure.BAD_REQUEST.code(), String.valueOf(err.getMessage()));
        }
      });
    })));
    return Future.all(served).mapEmpty();
  }

  private Future<Void> serve(String command, Handler<Message<JsonObject>> handler) {
    return CommandConsumers.register(vertx.eventBus(), busAddresses, addresses.command(command), handler);
  }

  /** {@code {"host", "port"?, "proxy"?}}: replies with the peer's info once its handshake is established. */
  private void onConnect(Message<JsonObject> command) {
    PeerAddress target;
    PeerAddress proxy;
    try {
      JsonObject body = command.body();
      target = group.protocol().connectTarget(body, group.options().defaultPort());
      JsonObject proxyJson = body.getJsonObject("proxy");
      proxy = proxyJson == null ? group.options().getProxy() : PeerAddress.fromJson(proxyJson);
    } catch (IllegalArgumentException e) {
      command.fail(Failure.BAD_REQUEST.code(), e.getMessage());
      return;
    } catch (RuntimeException e) {
      command.fail(Failure.BAD_REQUEST.code(), "connect's \"proxy\" is {\"host\", \"port\"}: " + e.getMessage());
      return;
    }
    dialer.connect(target, proxy)
        .onSuccess(command::reply)
        .onFailure(err -> command.fail(Failure.PEER_DISCONNECTED.code(), "cannot connect to "
            + group.protocol().name() + " peer " + target + ": " + err.getMessage()));
  }

  /** Hands a command naming a peer to the peer's mailbox, wherever in the cluster the peer is. */
  private void forward(Message<JsonObject> command, String action) {
    JsonObject body = command.body();
    String peer = body == null ? null : body.getString("peer");
    if (peer == null) {
      command.fail(Failure.BAD_REQUEST.code(), action + " needs {\"peer\": \"host:port\", ...}");
      return;
    }
    DeliveryOptions delivery = new DeliveryOptions()
        .setSendTimeout(group.options().getConnectTimeout() + MAILBOX_MARGIN_MS);
    vertx.eventBus().<JsonObject>request(addresses.peer(peer), body.copy().put("action", action), delivery)
        .onSuccess(reply -> command.reply(reply.body()))
        .onFailure(err -> {
          if (err instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS) {
            command.fail(Failure.UNKNOWN_PEER.code(), "no connected " + group.protocol().name() + " peer " + peer);
          } else if (err instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
            command.fail(reply.failureCode(), reply.getMessage());
          } else {
            command.fail(Failure.TIMEOUT.code(), err.getMessage());
          }
        });
  }
}
