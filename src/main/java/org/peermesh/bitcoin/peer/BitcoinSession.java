package org.peermesh.bitcoin.peer;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.peermesh.bitcoin.wire.AddrMessage;
import org.peermesh.bitcoin.wire.BitcoinFrames;
import org.peermesh.bitcoin.wire.BitcoinMessage;
import org.peermesh.bitcoin.wire.BlockMessage;
import org.peermesh.bitcoin.wire.GetAddrMessage;
import org.peermesh.bitcoin.wire.GetDataMessage;
import org.peermesh.bitcoin.wire.HeadersMessage;
import org.peermesh.bitcoin.wire.InvMessage;
import org.peermesh.bitcoin.wire.InventoryItem;
import org.peermesh.bitcoin.wire.InventoryType;
import org.peermesh.bitcoin.wire.NetworkAddress;
import org.peermesh.bitcoin.wire.NotFoundMessage;
import org.peermesh.bitcoin.wire.PingMessage;
import org.peermesh.bitcoin.wire.PongMessage;
import org.peermesh.bitcoin.wire.Sha256Hash;
import org.peermesh.bitcoin.wire.TimestampedAddress;
import org.peermesh.bitcoin.wire.TxMessage;
import org.peermesh.bitcoin.wire.VersionMessage;
import org.peermesh.bus.Failure;
import org.peermesh.peer.Direction;
import org.peermesh.peer.OutboundFlow;
import org.peermesh.peer.PeerLink;
import org.peermesh.peer.Session;
import org.peermesh.storage.LruMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a Bitcoin peer does once its version and verack are exchanged: it answers pings, getaddr (once) and getdata
 * (with notfound: a watcher holds nothing), fetches the blocks and transactions the peer announces, and sends what
 * the {@code send} command names.
 */
final class BitcoinSession implements Session<BitcoinMessage> {

  private static final Logger LOG = LoggerFactory.getLogger(BitcoinSession.class);
  /** Bitcoin Core's MAX_BLOCKS_TO_ANNOUNCE: a headers message this short is an announcement, not a sync reply. */
  static final int MAX_ANNOUNCED_HEADERS = 8;
  /** How many announced items a peer remembers having fetched, so that a re-announcement is not fetched again. */
  private static final int FETCHED_MEMORY = 50_000;
  /** Bitcoin Core's MAX_ADDR_TO_SEND. */
  private static final int MAX_ADDR_TO_SEND = 1000;

  private final PeerLink<BitcoinMessage> link;
  private final BitcoinHandshake handshake;
  private final boolean fetchAnnounced;
  private final Map<Sha256Hash, Boolean> fetched = new LruMap<>(FETCHED_MEMORY);
  /** What the {@code send} command sends, at the peer's pace. */
  private final OutboundFlow<BitcoinMessage> outbound;
  private boolean answeredGetAddr;

  BitcoinSession(PeerLink<BitcoinMessage> link, BitcoinHandshake handshake, BitcoinOptions options) {
    this.link = link;
    this.handshake = handshake;
    this.fetchAnnounced = options.isFetchAnnounced();
    this.outbound = new OutboundFlow<>(link, link.name(),
        message -> BitcoinFrames.HEADER_SIZE + message.payload().length(), options.getAckTimeout(),
        options.getMaxWriteQueueSize());
  }

  @Override
  public void start() {
    VersionMessage peerVersion = handshake.peerVersion();
    LOG.info("Bitcoin peer {} ready: {} {}, protocol {}, height {}", link.name(), link.direction().jsonName(),
        peerVersion.userAgent(), peerVersion.protocolVersion(), peerVersion.startHeight());
    if (link.direction() == Direction.OUTBOUND) {
      // As Bitcoin Core does with its outbound peers: learn the addresses they know.
      link.send(new GetAddrMessage());
    }
  }

  @Override
  public void onMessage(BitcoinMessage message) {
    BitcoinHandshaker.refusalAfterHandshake(message).ifPresentOrElse(link::refuse, () -> handle(message));
  }

  private void handle(BitcoinMessage message) {
    if (message instanceof BlockMessage block) {
      LOG.info("Bitcoin block {} from {}: {} transactions", block.hash(), link.name(), block.transactions().size());
    } else if (message instanceof TxMessage tx) {
      if (LOG.isDebugEnabled()) {
        LOG.debug("Bitcoin tx {} from {}", tx.transaction().txid(), link.name());
      }
    } else if (message instanceof PingMessage ping) {
      link.send(new PongMessage(ping.nonce()));
    } else if (message instanceof PongMessage pong) {
      link.pong(pong.nonce());
    } else if (message instanceof GetAddrMessage) {
      onGetAddr();
    } else if (message instanceof InvMessage inv) {
      fetch(inv.items());
    } else if (message instanceof HeadersMessage headers && headers.headers().size() <= MAX_ANNOUNCED_HEADERS) {
      fetch(headers.headers().stream()
          .map(header -> new InventoryItem(InventoryType.MSG_BLOCK, header.hash())).toList());
    } else if (message instanceof GetDataMessage getData) {
      // A watcher holds no blocks or transactions: saying so at once keeps the peer from stalling on us.
      link.send(new NotFoundMessage(getData.items()));
    }
  }

  @Override
  public BitcoinMessage ping(long nonce) {
    return new PingMessage(nonce);
  }

  @Override
  public void describe(JsonObject info) {
    VersionMessage version = handshake.peerVersion();
    info.put("version", version.protocolVersion())
        .put("subversion", version.userAgent())
        .put("services", version.services())
        .put("bestHeight", version.startHeight())
        .put("relay", version.relay());
  }

  /**
   * {@code send}: {@code {"peer", "command", "message"|"payload"}}, as {@link BitcoinProtocol#messageOf} reads it;
   * answered once the message is queued and the peer's socket takes more ({@link OutboundFlow}).
   */
  @Override
  public Future<JsonObject> command(String action, JsonObject body) {
    if (!action.equals(BitcoinProtocol.SEND)) {
      return Session.super.command(action, body);
    }
    BitcoinMessage message;
    try {
      message = BitcoinProtocol.messageOf(body);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(Failure.BAD_REQUEST.exception(e.getMessage()));
    }
    return outbound.send(List.of(message))
        .map(queued -> new JsonObject().put("peer", link.name()).put("command", message.command()));
  }

  @Override
  public void drained() {
    outbound.drained();
  }

  @Override
  public void closed(String reason) {
    outbound.closed(reason);
  }

  /**
   * Answered once per connection, as Bitcoin Core does, so that a peer cannot map our address book by asking: the
   * ready peers that accept connections, that is outbound ones (whose address we dialed), with the services their
   * version claimed. Never the asking peer itself.
   */
  private void onGetAddr() {
    if (answeredGetAddr) {
      return;
    }
    answeredGetAddr = true;
    long now = Instant.now().getEpochSecond();
    List<TimestampedAddress> known = new ArrayList<>();
    for (JsonObject peer : link.pool().peers()) {
      if (!peer.getString("peer").equals(link.name()) && Direction.OUTBOUND.jsonName().equals(peer.getString("direction"))
          && peer.containsKey("services") && known.size() < MAX_ADDR_TO_SEND) {
        known.add(new TimestampedAddress(now,
            NetworkAddress.of(peer.getLong("services"), peer.getString("host"), peer.getInteger("port"))));
      }
    }
    link.send(new AddrMessage(known));
  }

  /** Asks for the announced blocks and transactions not fetched yet, with their witnesses when the peer has them. */
  private void fetch(List<InventoryItem> announced) {
    if (!fetchAnnounced) {
      return;
    }
    boolean witness = handshake.servesWitnesses();
    List<InventoryItem> wanted = new ArrayList<>();
    for (InventoryItem item : announced) {
      InventoryType type = switch (item.knownType().orElse(InventoryType.ERROR)) {
        case MSG_BLOCK -> witness ? InventoryType.MSG_WITNESS_BLOCK : InventoryType.MSG_BLOCK;
        case MSG_TX -> witness ? InventoryType.MSG_WITNESS_TX : InventoryType.MSG_TX;
        case MSG_WTX -> InventoryType.MSG_WTX;
        default -> null;
      };
      if (type != null && fetched.put(item.hash(), Boolean.TRUE) == null) {
        wanted.add(new InventoryItem(type, item.hash()));
      }
    }
    if (!wanted.isEmpty()) {
      link.send(new GetDataMessage(wanted));
    }
  }
}
