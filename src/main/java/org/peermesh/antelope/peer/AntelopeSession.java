package org.peermesh.antelope.peer;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.peermesh.antelope.wire.AntelopeMessage;
import org.peermesh.antelope.wire.AntelopeMessages;
import org.peermesh.antelope.wire.Checksum256;
import org.peermesh.antelope.wire.HandshakeMessage;
import org.peermesh.antelope.wire.IdListMode;
import org.peermesh.antelope.wire.NoticeMessage;
import org.peermesh.antelope.wire.PackedTransaction;
import org.peermesh.antelope.wire.RequestMessage;
import org.peermesh.antelope.wire.SelectIds;
import org.peermesh.antelope.wire.SignedBlock;
import org.peermesh.antelope.wire.SyncRequestMessage;
import org.peermesh.antelope.wire.TimeMessage;
import org.peermesh.bus.Failure;
import org.peermesh.peer.Direction;
import org.peermesh.peer.OutboundFlow;
import org.peermesh.peer.PeerLink;
import org.peermesh.peer.Refusal;
import org.peermesh.peer.Session;
import org.peermesh.storage.LruMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an Antelope peer does once handshakes are exchanged, as nodeos' net_plugin does it:
 * <ul>
 *   <li>heartbeat: a time ping every keepalive, answered pings give the round trip, the peer's pings are answered;
 *       any message keeps the peer alive, as nodeos needs no answer;</li>
 *   <li>relay: each block and transaction new to the node is published on the bus and relayed to the other peers,
 *       never back to one that sent it;</li>
 *   <li>sync as a client: from a peer we dialed, the blocks from {@code syncFrom} to its head, in sync_request spans,
 *       then its live blocks; every block must link to the one before it;</li>
 *   <li>sync as a server: sync_request and request catch_up served from the node's {@link ChainWindow} as the
 *       peer's socket drains, benign_other for what the window does not hold.</li>
 * </ul>
 */
final class AntelopeSession implements Session<AntelopeMessage> {

  private static final Logger LOG = LoggerFactory.getLogger(AntelopeSession.class);
  /** How many block and transaction ids a peer is remembered to have, so that none is relayed back to it. */
  private static final int PEER_KNOWS_MEMORY = 20_000;
  /** nodeos closes on a notice or request with more select ids than it ever sends. */
  private static final int MAX_SELECT_IDS = 2;

  private final PeerLink<AntelopeMessage> link;
  private final HandshakeMessage peerHandshake;
  private final boolean keyProven;
  private final AntelopeOptions options;
  private final ChainWindow window;
  private final RelayHub hub;
  private final Map<Checksum256, Boolean> peerKnows = new LruMap<>(PEER_KNOWS_MEMORY);
  private final OutboundFlow<AntelopeMessage> outbound;

  private long peerHead;
  /**
   * Whether the next block from this peer must follow {@link #lastNumber}: once it sent one, or once we follow it
   * from a point. Until then (a peer that dialed us and pushes blocks) its first block is taken as it comes.
   */
  private boolean anchored;
  /** The block this peer sent last, or that it is to build on: the next must link to it; null before the first. */
  private Checksum256 lastId;
  private long lastNumber;
  /** The end of the span asked for with sync_request; 0 when none is outstanding. */
  private long syncEnd;
  /** What is being served to the peer: the next block and the last; next > last when nothing is. */
  private long serveNext = 1;
  private long serveLast;
  private long pingNonce;
  private long pingXmt;
  private long relayDropped;

  AntelopeSession(PeerLink<AntelopeMessage> link, AntelopeHandshake established, AntelopeOptions options,
                  ChainWindow window, RelayHub hub) {
    this.link = link;
    this.peerHandshake = established.peer();
    this.keyProven = established.keyProven();
    this.options = options;
    this.window = window;
    this.hub = hub;
    this.peerHead = peerHandshake.headNum();
    this.outbound = new OutboundFlow<>(link, link.name(), AntelopeSession::sizeOnWire, options.getAckTimeout(),
        options.getMaxWriteQueueSize());
  }

  @Override
  public void start() {
    LOG.info("Antelope peer {} ready: {} {}, {}, head {}, lib {}", link.name(), link.direction().jsonName(),
        peerHandshake.agent(), peerHandshake.p2pAddress(), peerHandshake.headNum(),
        peerHandshake.lastIrreversibleBlockNum());
    hub.join(this, link.vertx().getOrCreateContext());
    if (link.direction() == Direction.OUTBOUND) {
      startFollowing();
    }
  }

  /**
   * Where a peer we dialed is followed from: the block after the window's head when the node holds blocks already
   * (a reconnect resumes), else {@code syncFrom}: the peer's head, or a block number to sync from.
   */
  private void startFollowing() {
    Optional<SignedBlock> head = window.head();
    long from;
    anchored = true;
    if (head.isPresent() && (options.getSyncFrom().equals(AntelopeOptions.SYNC_FROM_HEAD)
        || head.get().blockNum() >= Long.parseLong(options.getSyncFrom()))) {
      lastId = head.get().id();
      lastNumber = head.get().blockNum();
      from = lastNumber + 1;
    } else if (options.getSyncFrom().equals(AntelopeOptions.SYNC_FROM_HEAD)) {
      lastId = peerHandshake.headId();
      lastNumber = peerHandshake.headNum();
      from = lastNumber + 1;
    } else {
      // Nothing to link the first block to: it must be the one asked for, so that a live block the peer pushes
      // before the sync's first answer is not taken as the start.
      from = Long.parseLong(options.getSyncFrom());
      lastNumber = from - 1;
    }
    requestSpan(from);
  }

  /** Asks the peer for the span of blocks from {@code from}, up to its head, if it has any. */
  private void requestSpan(long from) {
    if (from > peerHead) {
      syncEnd = 0;
      return;
    }
    syncEnd = Math.min(peerHead, from + options.getSyncFetchSpan() - 1);
    link.send(new SyncRequestMessage(from, syncEnd));
  }

  @Override
  public void onMessage(AntelopeMessage message) {
    if (message instanceof TimeMessage time) {
      onTime(time);
    } else if (message instanceof SignedBlock block) {
      onBlock(block);
    } else if (message instanceof PackedTransaction transaction) {
      onTransaction(transaction);
    } else if (message instanceof SyncRequestMessage request) {
      onSyncRequest(request);
    } else if (message instanceof RequestMessage request) {
      onRequest(request);
    } else if (message instanceof NoticeMessage notice) {
      onNotice(notice);
    } else if (message instanceof HandshakeMessage handshake) {
      onLaterHandshake(handshake);
    }
    // chain_size is never sent by nodeos, and Spring's newer messages are not ours to answer (we advertise Leap's
    // version): both are published, nothing more.
  }

  // ------------------------------------------------------------------------------------------------- heartbeat

  /**
   * nodeos' rules: a message without a transmit time is liveness alone (wharfkit's heartbeat); one without an origin
   * is a ping, answered with its transmit time as our origin; one whose origin is our outstanding ping's transmit
   * time is its answer.
   */
  private void onTime(TimeMessage time) {
    if (time.xmt() == 0) {
      return;
    }
    if (time.org() == 0) {
      long arrival = nowNanos();
      link.send(new TimeMessage(time.xmt(), arrival, nowNanos(), 0));
    } else if (pingXmt != 0 && time.org() == pingXmt) {
      link.pong(pingNonce);
      pingXmt = 0;
    }
  }

  @Override
  public AntelopeMessage ping(long nonce) {
    pingNonce = nonce;
    pingXmt = nowNanos();
    return new TimeMessage(0, 0, pingXmt, 0);
  }

  @Override
  public boolean requiresPong() {
    return false;
  }

  /** Nanoseconds since the epoch, as Antelope's time_message carries them. */
  private static long nowNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  // ---------------------------------------------------------------------------------------- blocks as a client

  private void onBlock(SignedBlock block) {
    Checksum256 id = block.id();
    long number = block.blockNum();
    peerKnows.put(id, Boolean.TRUE);
    peerHead = Math.max(peerHead, number);
    boolean links = !anchored || (lastId == null ? number == lastNumber + 1
        : block.header().previous().equals(lastId) || window.holds(block.header().previous()));
    if (!links) {
      if (number > lastNumber + 1 && syncEnd == 0) {
        // Blocks we missed (the peer went ahead while we were away): ask for them, this one included.
        requestSpan(lastNumber + 1);
        return;
      }
      if (number > lastNumber + 1 || lastId == null) {
        // A live block past the span being synced comes again in a later span; one before where we start is not
        // ours to take.
        return;
      }
      link.refuse(AntelopeRefusals.unlinkable("block " + number + " " + id.toHex().substring(0, 16)
          + " does not link to block " + lastNumber + " " + lastId.toHex().substring(0, 16)));
      return;
    }
    anchored = true;
    lastId = id;
    lastNumber = number;
    long size = sizeOnWire(block);
    if (window.add(block, size) == ChainWindow.Arrival.NEW) {
      link.publish(block.typeName(), link.header().put("type", block.typeName()).put("id", id.toHex())
          .put("blockNum", number).put("message", block.toJson()));
      hub.relay(block, id, size, this);
    }
    if (syncEnd != 0 && number >= syncEnd) {
      requestSpan(number + 1);
    }
  }

  private void onTransaction(PackedTransaction transaction) {
    Checksum256 id = transaction.id();
    peerKnows.put(id, Boolean.TRUE);
    if (window.firstSight(id)) {
      link.publish(transaction.typeName(), link.header().put("type", transaction.typeName()).put("id", id.toHex())
          .put("message", transaction.toJson()));
      hub.relay(transaction, id, sizeOnWire(transaction), this);
    }
  }

  /**
   * A block or transaction another peer sent new: relayed unless this peer has it, and only while its outbox has
   * room. A relay is best effort, as nodeos' is: a peer that reads slowly misses relayed items and catches up by
   * sync, and is never cut for them.
   */
  void relayed(AntelopeMessage message, Checksum256 id, long size) {
    if (peerKnows.containsKey(id)) {
      return;
    }
    if (!link.writable() || !link.hasRoomFor(size)) {
      relayDropped++;
      return;
    }
    peerKnows.put(id, Boolean.TRUE);
    link.send(message);
  }

  /** A later handshake tells the peer's new head; it is checked as the first was. */
  private void onLaterHandshake(HandshakeMessage handshake) {
    Optional<Refusal> refusal = AntelopeHandshaker.invalidity(handshake);
    if (refusal.isPresent()) {
      link.refuse(refusal.get());
      return;
    }
    peerHead = Math.max(peerHead, handshake.headNum());
    followPeerHead();
  }

  /** nodeos tells a peer it has more blocks with a notice: catch up on them. */
  private void onNotice(NoticeMessage notice) {
    if (refuseOversized(notice.knownTrx(), "known_trx") || refuseOversized(notice.knownBlocks(), "known_blocks")) {
      return;
    }
    long mode = notice.knownBlocks().mode();
    if (mode == IdListMode.CATCH_UP.code() || mode == IdListMode.LAST_IRR_CATCH_UP.code()) {
      peerHead = Math.max(peerHead, notice.knownBlocks().pending());
      followPeerHead();
    }
  }

  /** Syncs what the peer has past the last block taken from it, if this peer is one we follow. */
  private void followPeerHead() {
    if (link.direction() == Direction.OUTBOUND && syncEnd == 0 && anchored && peerHead > lastNumber) {
      requestSpan(lastNumber + 1);
    }
  }

  // ---------------------------------------------------------------------------------------- blocks as a server

  /**
   * nodeos' sync: the blocks from start to end as the socket drains; end 0 cancels. Only what the window holds is
   * served: a request past it ends with go_away benign_other, so that the peer asks another node.
   */
  private void onSyncRequest(SyncRequestMessage request) {
    if (request.endBlock() == 0) {
      serveLast = 0;
      serveNext = 1;
      return;
    }
    if (request.startBlock() == 0 || request.startBlock() > request.endBlock()) {
      link.refuse(AntelopeRefusals.violation("sync_request for blocks " + request.startBlock() + " to "
          + request.endBlock()));
      return;
    }
    serve(request.startBlock(), request.endBlock());
  }

  /**
   * nodeos' checks of a request, then its catch_up: the blocks after the peer's head id, up to ours. A request for
   * transactions is answered by relaying, as it comes.
   */
  private void onRequest(RequestMessage request) {
    if (refuseOversized(request.reqTrx(), "req_trx") || refuseOversized(request.reqBlocks(), "req_blocks")) {
      return;
    }
    if (request.reqTrx().mode() == IdListMode.NORMAL.code()) {
      link.refuse(AntelopeRefusals.invalidMessage("request_message for transactions in mode normal"));
      return;
    }
    if (request.reqTrx().mode() == IdListMode.NONE.code() && !request.reqTrx().ids().isEmpty()) {
      link.refuse(AntelopeRefusals.invalidMessage("request_message with transaction ids in mode none"));
      return;
    }
    SelectIds blocks = request.reqBlocks();
    if (blocks.mode() != IdListMode.CATCH_UP.code() || blocks.ids().isEmpty()) {
      return;
    }
    Optional<Long> known = window.numberOf(blocks.ids().get(0));
    Optional<SignedBlock> head = window.head();
    if (known.isEmpty() || head.isEmpty()) {
      link.refuse(AntelopeRefusals.benignOther("catch_up from a block this node does not hold"));
      return;
    }
    if (known.get() < head.get().blockNum()) {
      serve(known.get() + 1, head.get().blockNum());
    }
  }

  private boolean refuseOversized(SelectIds ids, String field) {
    if (ids.ids().size() > MAX_SELECT_IDS) {
      link.refuse(AntelopeRefusals.invalidMessage(field + " with " + ids.ids().size() + " ids, more than "
          + MAX_SELECT_IDS));
      return true;
    }
    return false;
  }

  private void serve(long first, long last) {
    serveNext = first;
    serveLast = last;
    pump();
  }

  /** Sends what is being served while the outbox has room; the rest when it drains. */
  private void pump() {
    while (serveNext <= serveLast && link.writable()) {
      Optional<SignedBlock> block = window.blockAt(serveNext);
      if (block.isEmpty()) {
        long asked = serveNext;
        serveNext = serveLast + 1;
        link.refuse(AntelopeRefusals.benignOther("block " + asked + " is not held here ("
            + describeWindow() + ")"));
        return;
      }
      peerKnows.put(block.get().id(), Boolean.TRUE);
      link.send(block.get());
      serveNext++;
    }
  }

  private String describeWindow() {
    List<Long> range = window.range();
    return range.isEmpty() ? "no blocks" : "blocks " + range.get(0) + " to " + range.get(1);
  }

  @Override
  public void drained() {
    outbound.drained();
    pump();
  }

  @Override
  public void closed(String reason) {
    hub.leave(this);
    outbound.closed(reason);
  }

  @Override
  public void describe(JsonObject info) {
    info.put("nodeId", peerHandshake.nodeId().toHex())
        .put("networkVersion", peerHandshake.networkVersion())
        .put("agent", peerHandshake.agent())
        .put("os", peerHandshake.os())
        .put("p2pAddress", peerHandshake.p2pAddress())
        .put("key", peerHandshake.key().toString())
        .put("keyProven", keyProven)
        .put("headNum", peerHead)
        .put("lastIrreversibleBlockNum", peerHandshake.lastIrreversibleBlockNum())
        .put("relayDropped", relayDropped);
    if (lastId != null) {
      info.put("lastBlockNum", lastNumber);
    }
  }

  /**
   * {@code send}: {@code {"peer", "type": "<variant name>", "message": {...}}} in the JSON the bus publishes;
   * answered once the message is queued and the peer's socket takes more.
   */
  @Override
  public Future<JsonObject> command(String action, JsonObject body) {
    if (!action.equals(AntelopeProtocol.SEND)) {
      return Session.super.command(action, body);
    }
    AntelopeMessage message;
    try {
      message = AntelopeProtocol.messageOf(body);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(Failure.BAD_REQUEST.exception(e.getMessage()));
    }
    return outbound.send(List.of(message))
        .map(queued -> new JsonObject().put("peer", link.name()).put("type", message.typeName()));
  }

  /** A message's bytes on the wire, with its length prefix. */
  static long sizeOnWire(AntelopeMessage message) {
    Buffer frame = Buffer.buffer();
    AntelopeMessages.encode(message, frame);
    return frame.length();
  }
}
