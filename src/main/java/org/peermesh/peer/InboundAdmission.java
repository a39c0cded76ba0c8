package org.peermesh.peer;

import org.peermesh.net.Blacklist;
import org.peermesh.net.PeerAddress;
import org.peermesh.reputation.Reputation;

import java.util.HashMap;
import java.util.Map;

/**
 * The inbound half of admission, the same for every wire protocol, in two steps and the counts they rest on.
 *
 * <p>A socket just accepted is judged before a byte of it is read ({@link #accept}): a stopping node, a blacklisted
 * address, a banned one, too many handshakes pending from its IP ({@code maxPendingHandshakesPerIP}) or in all
 * ({@code maxPendingHandshakes}). An accepted socket is <em>pending</em>: it holds no inbound slot, only a place in
 * the bounded pending pool, until its handshake completes or {@code handshakeTimeout} ends it. Only a peer whose
 * handshake completed takes an inbound slot ({@link #admit}), and only for such a peer may the protocol make room by
 * evicting an established one: a connection that has proven nothing must never displace a peer that has, and
 * sockets that never send a byte cost the node their pending places, never its peers.
 *
 * <p>A privileged address (a whitelisted host, a fixed peer's host) is exempt from bans and slots, never from the
 * blacklist or the pending limits: whoever a connection claims to be, it has proven nothing while it is pending.
 *
 * <p>Not thread-safe: the owning pool calls it under its own lock, with the rest of its bookkeeping.
 */
public final class InboundAdmission {

  /** What a protocol's pool adds to the rules every pool has: privileged hosts, and eviction. */
  public interface Rules {

    /** No privileged host, no eviction. */
    Rules NONE = new Rules() {
    };

    /** A whitelisted host or a fixed peer's host: exempt from bans and from the inbound slot limit. */
    default boolean isPrivileged(String ip) {
      return false;
    }

    /**
     * Every inbound slot is taken: free one for {@code newcomer}, whose handshake has completed, by evicting an
     * established peer, if the protocol has one to spare. The evicted peer counts until it has closed, so each
     * eviction makes room for one newcomer only.
     *
     * @return whether a peer is being evicted; false refuses the newcomer
     */
    default boolean makeRoom(PeerAddress newcomer) {
      return false;
    }
  }

  private final int maxInbound;
  private final int maxPendingHandshakesPerIp;
  private final int maxPendingHandshakes;
  private final Blacklist blacklist;
  private final Reputation reputation;
  private final Rules rules;
  private final Map<String, Integer> pendingByIp = new HashMap<>();
  private int pending;
  private int inbound;

  /**
   * @param options    the pool's {@code maxInbound}, {@code maxPendingHandshakesPerIP} and {@code maxPendingHandshakes}
   * @param blacklist  addresses never accepted
   * @param reputation whose bans refuse an address
   */
  public InboundAdmission(PoolOptions<?> options, Blacklist blacklist, Reputation reputation, Rules rules) {
    this.maxInbound = options.getMaxInbound();
    this.maxPendingHandshakesPerIp = options.getMaxPendingHandshakesPerIP();
    this.maxPendingHandshakes = options.getMaxPendingHandshakes();
    this.blacklist = blacklist;
    this.reputation = reputation;
    this.rules = rules;
  }

  /**
   * Decides on a socket just accepted from {@code remote}. An accepted socket is pending, from its IP and in all,
   * until {@link #admit} lets it into a slot or it {@link #closed closes}.
   *
   * @param running false while the node stops: every socket is refused
   * @return null when the socket is accepted, else why it is refused
   */
  public Refusal accept(PeerAddress remote, boolean running) {
    String ip = remote.host();
    if (!running) {
      return Refusal.of(DisconnectReason.NODE_SHUTDOWN, "node_stopping", "node is stopping");
    }
    if (blacklist.contains(ip)) {
      return Refusal.of(DisconnectReason.BLACKLISTED, "blacklisted", "address " + ip + " is blacklisted");
    }
    if (!rules.isPrivileged(ip) && reputation.isHostBanned(ip)) {
      return Refusal.of(DisconnectReason.BANNED, "banned", "address " + ip + " is banned");
    }
    if (pendingByIp.getOrDefault(ip, 0) >= maxPendingHandshakesPerIp) {
      return Refusal.of(DisconnectReason.TOO_MANY_PENDING_FROM_IP, "too_many_pending_from_ip",
          maxPendingHandshakesPerIp + " connections from " + ip + " are still handshaking (maxPendingHandshakesPerIP)");
    }
    if (pending >= maxPendingHandshakes) {
      return Refusal.of(DisconnectReason.TOO_MANY_PENDING_HANDSHAKES, "too_many_pending_handshakes",
          maxPendingHandshakes + " inbound connections are still handshaking (maxPendingHandshakes)");
    }
    pending++;
    pendingByIp.merge(ip, 1, Integer::sum);
    return null;
  }

  /**
   * The pending connection from {@code remote} completed its handshake: it takes an inbound slot, and leaves the
   * pending pool. When every slot is taken the protocol may evict an established peer for it; if it does not, the
   * newcomer is refused and stays pending until it has closed.
   *
   * @return null when the peer holds a slot now, else why it is refused
   */
  public Refusal admit(PeerAddress remote) {
    String ip = remote.host();
    if (!rules.isPrivileged(ip) && inbound >= maxInbound && !rules.makeRoom(remote)) {
      return Refusal.of(DisconnectReason.INBOUND_SLOTS_FULL, "inbound_slots_full",
          "all " + maxInbound + " inbound slots are taken by established peers (maxInbound)");
    }
    leavePending(ip);
    inbound++;
    return null;
  }

  /** A connection from {@code ip} that {@link #accept} took closed; {@code admitted} if {@link #admit} let it in. */
  public void closed(String ip, boolean admitted) {
    if (admitted) {
      inbound--;
    } else {
      leavePending(ip);
    }
  }

  private void leavePending(String ip) {
    pending--;
    pendingByIp.computeIfPresent(ip, (k, n) -> n > 1 ? n - 1 : null);
  }
}
