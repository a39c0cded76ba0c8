package org.peermesh.cluster;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.core.spi.cluster.ClusterManager;
import org.peermesh.bus.BusAddresses;
import org.peermesh.bus.PeerEvent;
import org.peermesh.net.PeerAddress;
import org.peermesh.peer.Direction;
import org.peermesh.peer.DisconnectReason;
import org.peermesh.peer.LocalPeerDirectory;
import org.peermesh.peer.PeerDirectory;
import org.peermesh.peer.PeerInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The peer directory of a node whose members run in several JVMs of a Vert.x cluster.
 *
 * <ul>
 *   <li><b>Reads</b> are local: every member keeps the whole directory, its own peers and what each other member
 *   publishes of its peers on {@link BusAddresses#clusterDirectory()}: an update when a peer connects, leaves or
 *   changes what selection weighs heavily (nodeInfo, reputation), and every {@code syncInterval} a snapshot that
 *   replaces all that member's entries, which heals whatever an update missed.</li>
 *   <li><b>Claims</b> live in the cluster manager's shared data, a map from peer id to the member holding it: a
 *   member claims a remote peer before it proves itself to it, so two members never both hold one peer.</li>
 *   <li><b>Members that leave</b> are noticed from the cluster manager's member list (Hazelcast's heartbeat
 *   timeout): their entries go at once, what was in flight to their peers is failed, and of the surviving members
 *   the one that removes a departed member's claim publishes that peer's close and remove events, so each is
 *   published once.</li>
 *   <li><b>Sweeps</b> every {@code syncInterval} remove claims of members that left and claims a member no longer
 *   holds, and restore claims a member holds but the map lost (after a partition heals, say).</li>
 * </ul>
 */
public final class ClusterPeerDirectory extends VerticleBase implements PeerDirectory {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterPeerDirectory.class);
  private static final long MEMBER_CHECK_INTERVAL_MS = 1000;
  /** How long what a departed member held is kept to describe its peers in their close events. */
  private static final long DEPARTED_KEPT_MS = 60_000;

  private final BusAddresses addresses;
  private final ClusterOptions options;
  private final String nodePeerId;
  private final LocalPeerDirectory all = new LocalPeerDirectory();
  private final Map<String, PeerInfo> own = new ConcurrentHashMap<>();
  /** This member's peers of the layer's protocols, by protocol and name ({@link #entryKey}). */
  private final Map<String, JsonObject> ownEntries = new ConcurrentHashMap<>();
  /** The other members' peers of the layer's protocols, by member; read from any thread. */
  private final Map<String, Map<String, JsonObject>> entriesByMember = new ConcurrentHashMap<>();
  private final List<Consumer<Collection<String>>> lostListeners = new CopyOnWriteArrayList<>();
  /** Connections of this member that claimed each peer; guarded by this. */
  private final Map<String, Integer> ownClaims = new HashMap<>();
  /** Claim writes not yet acknowledged, waited for on stop; guarded by itself. */
  private final Set<Future<?>> pendingWrites = new HashSet<>();

  // Touched on this verticle's context only.
  private final Map<String, Member> members = new HashMap<>();
  /** Which other member each of their peers was last heard from: a peer that moved is not removed by its old one. */
  private final Map<String, String> holders = new HashMap<>();
  private final Map<String, Member> departed = new HashMap<>();
  private Set<String> previousNodes = Set.of();
  private volatile Set<PeerAddress> memberAddresses = Set.of();

  private ClusterManager clusterManager;
  private MessageConsumer<JsonObject> directory;
  private String memberId;
  private AsyncMap<String, String> claims;
  private volatile PeerAddress listenAddress;

  /** What this member knows of another: where it listens and the peers it holds. */
  private static final class Member {
    final Map<String, PeerInfo> peers = new HashMap<>();
    PeerAddress listen;
    long firstHeardNanos = System.nanoTime();
    /** It said it stops: when it then leaves the cluster, it was not lost. */
    boolean leaving;
  }

  /**
   * @param nodePeerId the node's id, from the key its members share; null for a node without the mesh protocol,
   *                   which has no key, and whose members then share only the bus prefix
   */
  public ClusterPeerDirectory(BusAddresses addresses, ClusterOptions options, String nodePeerId) {
    this.addresses = addresses;
    this.options = options;
    this.nodePeerId = nodePeerId;
  }

  @Override
  public Future<?> start() {
    clusterManager = ((VertxInternal) vertx).clusterManager();
    if (clusterManager == null) {
      return Future.failedFuture(new IllegalStateException("a cluster directory needs a clustered Vert.x"));
    }
    memberId = clusterManager.getNodeId();
    previousNodes = new HashSet<>(clusterManager.getNodes());
    directory = vertx.eventBus().consumer(addresses.clusterDirectory(), this::onMemberMessage);
    return checkIdentity()
        .compose(v -> vertx.sharedData().<String, String>getAsyncMap(claimsMap(addresses)))
        .onSuccess(map -> {
          claims = map;
          vertx.setPeriodic(MEMBER_CHECK_INTERVAL_MS, t -> checkMembers());
          vertx.setPeriodic(options.getSyncInterval(), t -> {
            publishSnapshot();
            sweep();
          });
          // Every member answers with a snapshot, so this one routes over the whole node at once.
          vertx.eventBus().publish(addresses.clusterDirectory(), header().put("hello", true));
          LOG.info("Joined the cluster as member {} of node {}", memberId,
              nodePeerId == null ? addresses.prefix() : nodePeerId);
        });
  }

  /** The shared map of claims: peer id to the cluster node id of the member holding the peer. */
  static String claimsMap(BusAddresses addresses) {
    return addresses.prefix() + ".cluster.claims";
  }

  /** Members of one node share its key: a member with another key would split the node's identity. */
  private Future<Void> checkIdentity() {
    if (nodePeerId == null) {
      return Future.succeededFuture();
    }
    return vertx.sharedData().<String, String>getAsyncMap(addresses.prefix() + ".cluster.identity")
        .compose(map -> map.putIfAbsent("peerId", nodePeerId))
        .compose(existing -> existing == null || existing.equals(nodePeerId)
            ? Future.succeededFuture()
            : Future.failedFuture(new IllegalStateException("this member's node key is peer id " + nodePeerId
            + " but the node on bus prefix '" + addresses.prefix() + "' in this cluster is " + existing
            + ": the members of one node share its keyFile")));
  }

  /** Removes this member's claims before it leaves the cluster; its peers are closed and removed already. */
  @Override
  public Future<?> stop() {
    if (claims == null) {
      return Future.succeededFuture();
    }
    List<Future<?>> removals = new ArrayList<>();
    synchronized (this) {
      for (String peerId : ownClaims.keySet()) {
        removals.add(claims.removeIfPresent(peerId, memberId));
      }
      ownClaims.clear();
    }
    synchronized (pendingWrites) {
      removals.addAll(pendingWrites);
    }
    // This member's own consumer goes first: the farewell would otherwise be delivered to it while the undeployment
    // unregisters it, which Vert.x reports as a discarded message.
    removals.add(directory.unregister());
    vertx.eventBus().publish(addresses.clusterDirectory(), header().put("peers", new JsonArray()).put("leaving", true));
    return Future.join(removals);
  }

  /** Where this member listens for peers, published so that no member dials another. */
  public void advertise(PeerAddress listen) {
    this.listenAddress = listen;
  }

  // ------------------------------------------------------------------------------------------------ reads

  /** This member's id in its cluster, as {@link #members} lists it; null before it joined. */
  public String memberId() {
    return memberId;
  }

  /** The ids of the cluster's members as this one sees them, itself included; empty once it has left. */
  public List<String> members() {
    ClusterManager manager = clusterManager;
    return manager == null || !manager.isActive() ? List.of() : List.copyOf(manager.getNodes());
  }

  @Override
  public Optional<PeerInfo> get(String peerId) {
    return all.get(peerId);
  }

  @Override
  public boolean holds(String peerId) {
    return own.containsKey(peerId);
  }

  @Override
  public List<PeerInfo> connectedPeers() {
    return all.connectedPeers();
  }

  @Override
  public int size() {
    return all.size();
  }

  @Override
  public boolean isTaken(PeerAddress address) {
    return all.isTaken(address) || memberAddresses.contains(address) || address.equals(listenAddress);
  }

  @Override
  public boolean canLosePeers() {
    return true;
  }

  @Override
  public void onPeersLost(Consumer<Collection<String>> listener) {
    lostListeners.add(listener);
  }

  // ------------------------------------------------------------------------------------ this member's peers

  @Override
  public void put(PeerInfo peer) {
    PeerInfo previous = own.put(peer.peerId(), peer);
    all.put(peer);
    // Latency and response rate change with every ping: they ride the next snapshot rather than flood the bus.
    if (previous == null || previous.reputation() != peer.reputation() || !previous.nodeInfo().equals(peer.nodeInfo())) {
      publishInOrder(() -> header().put("put", peer.toJson()));
    }
  }

  @Override
  public void remove(String peerId) {
    if (own.remove(peerId) != null) {
      context.runOnContext(v -> {
        if (own.containsKey(peerId)) {
          return;
        }
        // The peer may have moved to another member already: then that member's entry is the one to keep.
        Member holder = members.get(holders.get(peerId));
        PeerInfo elsewhere = holder == null ? null : holder.peers.get(peerId);
        if (elsewhere != null) {
          all.put(elsewhere);
        } else {
          all.remove(peerId);
        }
        vertx.eventBus().publish(addresses.clusterDirectory(), header().put("remove", peerId));
      });
    }
  }

  @Override
  public void putEntry(JsonObject info) {
    if (ownEntries.put(entryKey(info), info) == null) {
      publishInOrder(() -> header().put("entryPut", info));
    }
  }

  @Override
  public void removeEntry(String protocol, String name) {
    String key = entryKey(protocol, name);
    if (ownEntries.remove(key) != null) {
      publishInOrder(() -> header().put("entryRemove", key));
    }
  }

  /** Each with the {@code "member"} that holds the peer. */
  @Override
  public List<JsonObject> entriesElsewhere(String protocol) {
    List<JsonObject> entries = new ArrayList<>();
    entriesByMember.values().forEach(member -> member.values().stream()
        .filter(info -> protocol.equals(info.getString("protocol")))
        .forEach(entries::add));
    return entries;
  }

  private static String entryKey(JsonObject info) {
    return entryKey(info.getString("protocol"), info.getString("peer"));
  }

  private static String entryKey(String protocol, String name) {
    return protocol + "/" + name;
  }

  /**
   * Publishes from this verticle's context, where snapshots are built and published too: a snapshot read before an
   * update then always leaves before that update, so no member applies an older snapshot over a newer update.
   */
  private void publishInOrder(Supplier<JsonObject> update) {
    context.runOnContext(v -> vertx.eventBus().publish(addresses.clusterDirectory(), update.get()));
  }

  @Override
  public Future<Boolean> claim(String peerId) {
    synchronized (this) {
      ownClaims.merge(peerId, 1, Integer::sum);
    }
    return claims.putIfAbsent(peerId, memberId).map(holder -> {
      if (holder == null || holder.equals(memberId)) {
        return true;
      }
      dropClaim(peerId);
      return false;
    }).recover(error -> {
      dropClaim(peerId);
      return Future.failedFuture(error);
    });
  }

  @Override
  public void release(String peerId) {
    if (dropClaim(peerId)) {
      Future<Boolean> removal = claims.removeIfPresent(peerId, memberId);
      synchronized (pendingWrites) {
        pendingWrites.add(removal);
      }
      removal.onComplete(done -> {
        synchronized (pendingWrites) {
          pendingWrites.remove(removal);
        }
      });
    }
  }

  /** Counts one claim of {@code peerId} less; true when it was this member's last. */
  private synchronized boolean dropClaim(String peerId) {
    Integer left = ownClaims.computeIfPresent(peerId, (id, n) -> n > 1 ? n - 1 : null);
    return left == null;
  }

  private synchronized boolean holdsClaim(String peerId) {
    return ownClaims.containsKey(peerId);
  }

  // ---------------------------------------------------------------------------------------- other members

  private JsonObject header() {
    JsonObject header = new JsonObject().put("member", memberId);
    PeerAddress listen = listenAddress;
    return listen == null ? header : header.put("listen", listen.toJson());
  }

  private void publishSnapshot() {
    JsonArray peers = new JsonArray();
    own.values().forEach(peer -> peers.add(peer.toJson()));
    vertx.eventBus().publish(addresses.clusterDirectory(), header().put("peers", peers)
        .put("entries", new JsonArray(new ArrayList<>(ownEntries.values()))));
  }

  private void onMemberMessage(Message<JsonObject> message) {
    JsonObject body = message.body();
    String from = body.getString("member");
    if (from == null || from.equals(memberId)) {
      return;
    }
    if (departed.containsKey(from)) {
      // A member we saw leave is heard again: a partition healed. It is the same member, with its peers.
      departed.remove(from);
    }
    Member member = members.computeIfAbsent(from, id -> new Member());
    JsonObject listen = body.getJsonObject("listen");
    if (listen != null && member.listen == null) {
      member.listen = PeerAddress.fromJson(listen);
      refreshMemberAddresses();
    }
    member.leaving = body.getBoolean("leaving", false);
    if (body.getBoolean("hello", false)) {
      publishSnapshot();
    } else if (body.getJsonObject("put") != null) {
      learn(from, member, PeerInfo.fromJson(body.getJsonObject("put")));
    } else if (body.getJsonObject("entryPut") != null) {
      JsonObject info = body.getJsonObject("entryPut").put("member", from);
      entriesByMember.computeIfAbsent(from, id -> new ConcurrentHashMap<>()).put(entryKey(info), info);
    } else if (body.getString("entryRemove") != null) {
      Map<String, JsonObject> entries = entriesByMember.get(from);
      if (entries != null) {
        entries.remove(body.getString("entryRemove"));
      }
    } else if (body.getString("remove") != null) {
      String peerId = body.getString("remove");
      member.peers.remove(peerId);
      unlearn(from, peerId);
    } else if (body.getJsonArray("peers") != null) {
      Map<String, PeerInfo> snapshot = new HashMap<>();
      for (Object entry : body.getJsonArray("peers")) {
        PeerInfo peer = PeerInfo.fromJson((JsonObject) entry);
        snapshot.put(peer.peerId(), peer);
      }
      for (String gone : member.peers.keySet()) {
        if (!snapshot.containsKey(gone)) {
          unlearn(from, gone);
        }
      }
      member.peers.clear();
      snapshot.values().forEach(peer -> learn(from, member, peer));
      Map<String, JsonObject> entries = new ConcurrentHashMap<>();
      body.getJsonArray("entries", new JsonArray()).forEach(entry -> entries.put(entryKey((JsonObject) entry),
          ((JsonObject) entry).put("member", from)));
      entriesByMember.put(from, entries);
    }
  }

  private void learn(String from, Member member, PeerInfo peer) {
    member.peers.put(peer.peerId(), peer);
    holders.put(peer.peerId(), from);
    if (!own.containsKey(peer.peerId())) {
      all.put(peer);
    }
  }

  /** Forgets a peer a member no longer holds, unless another member (or this one) holds it now. */
  private void unlearn(String from, String peerId) {
    if (holders.remove(peerId, from) && !own.containsKey(peerId)) {
      all.remove(peerId);
    }
  }

  private void refreshMemberAddresses() {
    Set<PeerAddress> listening = new HashSet<>();
    members.values().forEach(m -> {
      if (m.listen != null) {
        listening.add(m.listen);
      }
    });
    memberAddresses = Set.copyOf(listening);
  }

  /** Members that were in the cluster's member list and are not any more have left; their peers with them. */
  private void checkMembers() {
    Set<String> nodes = new HashSet<>(clusterManager.getNodes());
    List<String> left = new ArrayList<>();
    for (String id : previousNodes) {
      if (!nodes.contains(id) && !id.equals(memberId)) {
        left.add(id);
      }
    }
    previousNodes = nodes;
    // A member heard from but never listed (it joined and died between two checks) goes quietly.
    long staleNanos = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(2L * options.getSyncInterval());
    members.entrySet().removeIf(e -> !nodes.contains(e.getKey()) && !left.contains(e.getKey())
        && System.nanoTime() - e.getValue().firstHeardNanos > staleNanos && forget(e.getKey(), e.getValue()));
    if (left.isEmpty()) {
      return;
    }
    for (String id : left) {
      Member member = members.remove(id);
      if (member == null) {
        // Never heard on this node's directory: a service, or a member of another node in the same cluster.
        LOG.info("Cluster JVM {} left; it was no member of this node", id);
        member = new Member();
      } else if (member.leaving) {
        LOG.info("Cluster member {} left", id);
      } else {
        LOG.warn("Cluster member {} was lost, holding {} peers", id, member.peers.size());
      }
      forget(id, member);
      departed.put(id, member);
      vertx.setTimer(DEPARTED_KEPT_MS, t -> departed.remove(id));
      Collection<String> lost = List.copyOf(member.peers.keySet());
      lostListeners.forEach(listener -> listener.accept(lost));
    }
    refreshMemberAddresses();
    sweep();
  }

  /** Drops a member's entries from the merged view; true, for use in a filter. */
  private boolean forget(String id, Member member) {
    member.peers.keySet().forEach(peerId -> unlearn(id, peerId));
    entriesByMember.remove(id);
    return true;
  }

  // ------------------------------------------------------------------------------------------------ sweep

  /** Brings the claims in line with who is in the cluster and what this member holds. */
  private void sweep() {
    claims.entries().onSuccess(entries -> {
      Set<String> nodes = new HashSet<>(clusterManager.getNodes());
      for (Map.Entry<String, String> claim : entries.entrySet()) {
        String peerId = claim.getKey();
        String holder = claim.getValue();
        if (holder.equals(memberId)) {
          if (!holdsClaim(peerId)) {
            claims.removeIfPresent(peerId, memberId);
          }
        } else if (!nodes.contains(holder)) {
          claims.removeIfPresent(peerId, holder).onSuccess(removed -> {
            if (removed) {
              publishLost(holder, peerId);
            }
          });
        }
      }
      for (PeerInfo peer : own.values()) {
        if (!entries.containsKey(peer.peerId())) {
          claims.putIfAbsent(peer.peerId(), memberId).onSuccess(holder -> {
            if (holder == null) {
              restored(peer);
            }
          });
        }
      }
    }).onFailure(err -> LOG.debug("Directory sweep failed: {}", err.getMessage()));
  }

  /**
   * A peer this member holds had lost its claim: the other members took this one for gone (a partition they saw
   * as this member leaving, which published the peer's removal). Its connect event says it is back.
   */
  private void restored(PeerInfo peer) {
    LOG.info("Restored the claim of peer {}, which the cluster had lost", peer.peerId());
    PeerEvent event = peer.direction() == Direction.INBOUND ? PeerEvent.NEW_INBOUND_PEER : PeerEvent.CONNECT_OUTBOUND;
    vertx.eventBus().publish(addresses.event(event), peer.toJson().put("restored", true));
  }

  /** The close and remove events of a peer whose member left: this member removed its claim, so it tells. */
  private void publishLost(String holder, String peerId) {
    Member member = departed.get(holder);
    PeerInfo peer = member == null ? null : member.peers.get(peerId);
    String reason = "cluster member " + holder + " that held the peer left";
    JsonObject close = (peer == null ? new JsonObject().put("peerId", peerId) : peer.toJson())
        .put("code", DisconnectReason.NODE_SHUTDOWN.code())
        .put("reason", reason)
        .put("initiator", "local");
    boolean inbound = peer != null && peer.direction() == Direction.INBOUND;
    vertx.eventBus().publish(addresses.event(inbound ? PeerEvent.CLOSE_INBOUND : PeerEvent.CLOSE_OUTBOUND), close);
    JsonObject remove = new JsonObject().put("peerId", peerId);
    if (peer != null) {
      remove.put("host", peer.host()).put("port", peer.port());
    }
    vertx.eventBus().publish(addresses.event(PeerEvent.REMOVE_PEER), remove);
  }
}
