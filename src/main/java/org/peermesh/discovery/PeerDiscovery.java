package org.peermesh.discovery;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.peermesh.bus.BusAddresses;
import org.peermesh.bus.PeerEvent;
import org.peermesh.mesh.MeshOptions;
import org.peermesh.mesh.OutgoingRequest;
import org.peermesh.mesh.PeerPool;
import org.peermesh.mesh.ProtocolProcedures;
import org.peermesh.mesh.wire.JsonPayload;
import org.peermesh.net.PeerAddress;
import org.peermesh.peer.DisconnectReason;
import org.peermesh.peer.PeerDirectory;
import org.peermesh.peer.PeerInfo;
import org.peermesh.reputation.Penalty;
import org.peermesh.selection.PeerSelection;
import org.peermesh.storage.LruMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Peer discovery after LIP 0004: it keeps the peer book, learns addresses from the peers it is connected to
 * ({@code getPeers}), and fills the pool's free outbound slots from the book through the connection selection.
 *
 * <ul>
 *   <li>On start, with fewer than {@value #ENOUGH_TRIED_PEERS} tried peers, it dials the seeds and asks them.</li>
 *   <li>Every {@code populatorInterval} it fills free outbound slots; once they are full it releases the seeds.</li>
 *   <li>Every {@code fallbackSeedPeerDiscoveryInterval}, while slots stay free, it asks the seeds again, and one
 *   random other peer.</li>
 *   <li>Every {@code outboundShuffleInterval} it replaces one random non-fixed outbound peer with one from the book,
 *   dialed first: the peer leaves only once its replacement is connected.</li>
 * </ul>
 * Every newly connected outbound peer is asked for its peers once; the book is saved whenever the populator runs
 * after a change, and on stop.
 */
public final class PeerDiscovery extends VerticleBase implements PeerPool.Hooks {

  private static final Logger LOG = LoggerFactory.getLogger(PeerDiscovery.class);
  /** With this many tried peers a restarted node needs its seeds no more. */
  static final int ENOUGH_TRIED_PEERS = 100;
  /** The file next to the node key. */
  public static final String PEER_BOOK_FILE = "peerbook.json";
  private static final int ASKED_PEERS_KEPT = 1_000;
  /**
   * Addresses the shuffle asks the selection for: the pool skips those it may not dial (connected, backing off, a
   * second connection to an IP), so one would often find none.
   */
  private static final int SHUFFLE_CANDIDATES = 8;

  private final MeshOptions options;
  private final BusAddresses addresses;
  private final PeerPool pool;
  private final PeerDirectory directory;
  private final PeerSelection selection;
  private final Path bookFile;
  private final AtomicBoolean bookChanged = new AtomicBoolean();
  /** The latest save of the book, done or not. */
  private Future<Void> lastSave = Future.succeededFuture();
  /** Loaded before the pool starts: the pool's hooks (a fixed peer dialed at start) can come before our start. */
  private final PeerBook book;
  private volatile boolean started;
  /** When each peer was last asked for peers; touched on this verticle's context only. */
  private final Map<String, Long> lastAsked = new LruMap<>(ASKED_PEERS_KEPT);
  /** Peers whose getPeers answer has come back (or failed): a seed among them may be released; same context. */
  private final Set<String> answered = Collections.newSetFromMap(new LruMap<>(ASKED_PEERS_KEPT));

  public PeerDiscovery(MeshOptions options, Path dataDir, BusAddresses addresses, PeerPool pool,
                       PeerDirectory directory, PeerSelection selection, PeerBook book) {
    this.options = options;
    this.addresses = addresses;
    this.pool = pool;
    this.directory = directory;
    this.selection = selection;
    this.bookFile = bookFile(dataDir);
    this.book = book;
  }

  /** Where the book of a node lives: in its data directory. */
  public static Path bookFile(Path dataDir) {
    return dataDir.resolve(PEER_BOOK_FILE);
  }

  /** Dials: seeds first when the book is thin; completes when those first dials settle. */
  @Override
  public Future<?> start() {
    // From here on outboundConnected asks the peer itself; those connected before (fixed peers, dialed by the
    // pool's start, which comes first) are asked now.
    started = true;
    for (PeerPool.OutboundPeer peer : pool.outboundPeers()) {
      directory.get(peer.peerId()).ifPresent(this::askForPeers);
    }
    LOG.debug("Peer book {}: {} new, {} tried", bookFile, book.newCount(), book.triedCount());
    vertx.setPeriodic(options.getPopulatorInterval(), t -> populate());
    vertx.setPeriodic(options.getFallbackSeedPeerDiscoveryInterval(), t -> {
      if (pool.freeOutboundSlots() > 0) {
        discoverMore();
      }
    });
    vertx.setPeriodic(options.getOutboundShuffleInterval(), t -> shuffle());
    List<Future<PeerInfo>> first = new ArrayList<>();
    if (book.triedCount() < ENOUGH_TRIED_PEERS) {
      first.addAll(pool.dial(shuffled(options.getSeedPeers())));
    }
    first.addAll(populate());
    // A seed that is down delays nothing beyond its own timeouts and fails nothing: it is redialed later.
    return Future.join(first).transform(settled -> Future.succeededFuture());
  }

  @Override
  public Future<?> stop() {
    // Only a book that changed since it was loaded or last saved: a node whose start failed writes none. A periodic
    // save still writing is waited for either way, so that nothing writes to the data directory after the stop.
    return bookChanged.getAndSet(false) ? saveBook() : lastSave;
  }

  public PeerBook book() {
    return book;
  }

  // ------------------------------------------------------------------------------------------------- the timers

  /** Fills free outbound slots from the book; releases the seeds once the slots are full. */
  private List<Future<PeerInfo>> populate() {
    if (bookChanged.getAndSet(false)) {
      saveBook();
    }
    int free = pool.freeOutboundSlots();
    if (free == 0) {
      releaseSeeds();
      return List.of();
    }
    // Seeds are dialed only to ask them (at start, and while slots stay free), or the populator would take back
    // the slots their release freed. Asked for more than the free slots: the pool skips any candidate that breaks
    // a connection rule.
    List<PeerAddress> chosen = selection.connection().select(withoutSeeds(book.newPeers()),
        withoutSeeds(book.triedPeers()), free * 4);
    return pool.dial(chosen);
  }

  /**
   * While slots stay free: dials the seeds not connected, asks those connected (whoever dialed whom), and asks one
   * random other peer, so that discovery goes on where the seeds know no more. Only peers this JVM holds are asked:
   * in a cluster each member discovers through its own, so no peer is asked by several members at once.
   */
  private void discoverMore() {
    pool.dial(shuffled(options.getSeedPeers()));
    List<PeerInfo> others = new ArrayList<>();
    for (String peerId : pool.connectedPeerIds()) {
      PeerInfo peer = directory.get(peerId).orElse(null);
      if (peer == null) {
        continue;
      }
      if (pool.isSeed(peer.address())) {
        askForPeers(peer);
      } else {
        others.add(peer);
      }
    }
    if (!others.isEmpty()) {
      askForPeers(others.get(ThreadLocalRandom.current().nextInt(others.size())));
    }
  }

  /**
   * Seeds are for finding the network, not for staying on: once outbound slots are full they make room, but only
   * after they have answered getPeers. A seed that connects while the first populate runs, and fills the last slot,
   * would otherwise be dropped before it was asked, and a node with no other address would never find one.
   */
  private void releaseSeeds() {
    for (PeerPool.OutboundPeer peer : pool.outboundPeers()) {
      if (pool.isSeed(peer.dialed()) && !peer.fixed() && answered.contains(peer.peerId())) {
        pool.disconnect(peer.peerId(), DisconnectReason.NORMAL, "seed released: outbound slots are full");
      }
    }
  }

  /**
   * Replaces one random non-fixed outbound peer, so that the outbound set keeps changing and cannot be pinned, but
   * never at the cost of connectivity: the replacement is dialed first, and the peer it replaces is dropped only once
   * the replacement is established. With nothing in the book to dial, or a dial that fails, the peer stays: a shuffle
   * never leaves the node with fewer peers than before. Each round publishes what it decided.
   */
  private void shuffle() {
    List<PeerPool.OutboundPeer> replaceable = pool.outboundPeers().stream().filter(p -> !p.fixed()).toList();
    if (replaceable.isEmpty()) {
      shuffled(null, null, "no outbound peer to replace");
      return;
    }
    PeerPool.OutboundPeer victim = replaceable.get(ThreadLocalRandom.current().nextInt(replaceable.size()));
    List<PeerAddress> candidates = selection.connection().select(withoutSeeds(book.newPeers()),
        withoutSeeds(book.triedPeers()), SHUFFLE_CANDIDATES);
    Optional<Future<PeerInfo>> replacement = pool.dialReplacement(candidates);
    if (replacement.isEmpty()) {
      shuffled(victim, null, "no candidate to replace it with");
      return;
    }
    replacement.get().onComplete(dialed -> {
      if (dialed.failed()) {
        shuffled(victim, null, "its replacement could not be connected: " + dialed.cause().getMessage());
      } else if (dialed.result().peerId().equals(victim.peerId())) {
        // The book knew the peer under another address: it replaced its own connection.
        shuffled(victim, dialed.result(), "the replacement is the same peer");
      } else {
        pool.disconnect(victim.peerId(), DisconnectReason.EVICTED, "replaced by the outbound shuffle");
        shuffled(victim, dialed.result(), null);
      }
    });
  }

  /**
   * Publishes a shuffle round's decision: {@code victim} replaced by {@code replacement} when {@code keptBecause} is
   * null, else kept (or no peer to replace at all) and why.
   */
  private void shuffled(PeerPool.OutboundPeer victim, PeerInfo replacement, String keptBecause) {
    JsonObject body = new JsonObject()
        .put("outcome", keptBecause == null ? "replaced" : "kept")
        .put("peerId", victim == null ? null : victim.peerId())
        .put("replacementPeerId", replacement == null ? null : replacement.peerId());
    if (keptBecause != null) {
      body.put("reason", keptBecause);
      LOG.debug("Outbound shuffle kept {}: {}", victim == null ? "every peer" : victim.peerId(), keptBecause);
    } else {
      LOG.debug("Outbound shuffle replaced {} with {}", victim.peerId(), replacement.peerId());
    }
    pool.publish(PeerEvent.OUTBOUND_SHUFFLED, body);
  }

  // ------------------------------------------------------------------------------------------------ getPeers

  /**
   * Asks a connected peer for its peers; a valid answer feeds the book, an invalid one costs the peer. Never twice
   * within two rate windows, whatever the intervals are set to: asking more often is what the peer penalises, and
   * an honest node must never earn that (lisk-p2p's small networks did).
   */
  private void askForPeers(PeerInfo peer) {
    long now = System.nanoTime();
    long spacing = TimeUnit.MILLISECONDS.toNanos(2L * options.getRateCalculationInterval());
    Long previous = lastAsked.get(peer.peerId());
    if (previous != null && now - previous < spacing) {
      return;
    }
    lastAsked.put(peer.peerId(), now);
    OutgoingRequest getPeers = new OutgoingRequest(ProtocolProcedures.GET_PEERS, JsonPayload.of(null));
    vertx.eventBus().request(addresses.peer(peer.peerId()), getPeers,
            new DeliveryOptions().setSendTimeout(options.getAckTimeout() + 5_000L))
        .onSuccess(reply -> {
          List<PeerAddress> advertised = parsePeerList(reply.body());
          if (advertised == null) {
            failedToFetchPeers(peer, "invalid peer list");
            pool.penalize(peer.host(), peer.peerId(), Penalty.INVALID_PEER_LIST.amount(), "invalid getPeers answer");
            return;
          }
          int discovered = 0;
          for (PeerAddress address : advertised) {
            if (!address.equals(pool.listenAddress()) && !pool.reputation().isHostBanned(address.host())
                && book.addNew(address, peer.host())) {
              discovered++;
              pool.publish(PeerEvent.DISCOVERED_PEER, address.toJson().put("sourcePeerId", peer.peerId()));
            }
          }
          if (discovered > 0) {
            bookChanged.set(true);
            LOG.debug("Discovered {} peers from {}", discovered, peer.peerId());
          }
        })
        .onFailure(err -> failedToFetchPeers(peer, err.getMessage()))
        .onComplete(settled -> answered.add(peer.peerId()));
  }

  private void failedToFetchPeers(PeerInfo peer, String error) {
    pool.publish(PeerEvent.FAILED_TO_FETCH_PEERS, new JsonObject()
        .put("peerId", peer.peerId())
        .put("host", peer.host())
        .put("port", peer.port())
        .put("error", error));
  }

  /** {@code {"peers": [{"host", "port"}, ...]}} with at most 200 entries, or null if it is anything else. */
  static List<PeerAddress> parsePeerList(Object answer) {
    if (!(answer instanceof JsonObject json) || !(json.getValue("peers") instanceof JsonArray peers)
        || peers.size() > PeerBook.MAX_GET_PEERS) {
      return null;
    }
    List<PeerAddress> addresses = new ArrayList<>(peers.size());
    for (Object entry : peers) {
      if (!(entry instanceof JsonObject peer) || !(peer.getValue("host") instanceof String host)
          || !(peer.getValue("port") instanceof Integer port) || port < 1 || port > 65535 || host.isBlank()) {
        return null;
      }
      addresses.add(new PeerAddress(host, port));
    }
    return addresses;
  }

  // -------------------------------------------------------------------------------------- what the pool tells us

  @Override
  public void outboundConnected(PeerAddress dialed, PeerInfo peer) {
    book.markConnected(dialed, peer.peerId(), advertises(peer));
    bookChanged.set(true);
    if (started) {
      context.runOnContext(v -> askForPeers(peer));
    }
  }

  @Override
  public void outboundClosed(PeerAddress dialed, boolean wasAdmitted) {
    if (!wasAdmitted) {
      book.markFailed(dialed);
      bookChanged.set(true);
    }
  }

  @Override
  public void inboundConnected(PeerInfo peer) {
    if (peer.port() > 0 && advertises(peer) && book.addNew(peer.address(), peer.host())) {
      bookChanged.set(true);
      pool.publish(PeerEvent.DISCOVERED_PEER, peer.address().toJson().put("sourcePeerId", peer.peerId()));
    }
  }

  @Override
  public void banned(String host, PeerInfo peer, boolean wholeAddress) {
    if (wholeAddress) {
      book.removeHost(host);
    } else if (peer != null) {
      book.remove(peer.address());
    }
    bookChanged.set(true);
  }

  @Override
  public List<PeerAddress> sampleForGetPeers() {
    PeerBook current = book;
    return current == null ? List.of() : current.sampleForGetPeers();
  }

  /** A peer opts out of being advertised with {@code "advertiseAddress": false} in its nodeInfo, as in lisk-p2p. */
  private static boolean advertises(PeerInfo peer) {
    return !Boolean.FALSE.equals(peer.nodeInfo().getValue("advertiseAddress"));
  }

  private Future<Void> saveBook() {
    PeerBook current = book;
    if (current == null) {
      return Future.succeededFuture();
    }
    // Ordered on this context: a save waits for the one before it.
    lastSave = vertx.executeBlocking(() -> {
      current.save(bookFile);
      return null;
    });
    return lastSave;
  }

  private List<PeerAddress> withoutSeeds(List<PeerAddress> addresses) {
    return addresses.stream().filter(address -> !pool.isSeed(address)).toList();
  }

  private static List<PeerAddress> shuffled(List<PeerAddress> addresses) {
    List<PeerAddress> copy = new ArrayList<>(addresses);
    Collections.shuffle(copy, ThreadLocalRandom.current());
    return copy;
  }
}
