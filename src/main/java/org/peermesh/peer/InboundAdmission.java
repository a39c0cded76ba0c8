package org.peermesh.peer;

import org.peermesh.net.Blacklist;
import org.peermesh.net.PeerAddress;
import org.peermesh.reputation.Reputation;

import java.util.HashMap;
import java.util.Map;

/**
 * The inbound half of admission, the same for every wire protocol: whether a socket just accepted may start a
 * handshake, decided before a byte of it is read, and the counts that decision rests on. The checks, in order: a
 * stopping node, a blacklisted address, a banned one, too many handshakes pending from one IP, and full inbound
 * slots, where the protocol may make room by evicting a peer. A privileged address (a whitelisted host, a fixed
 * peer's host) is exempt from bans and slots, never from the blacklist or the pending limit: a connection that has
 * proven nothing must not hold slots a proven peer could use, whoever it claims to be.
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
     * Every inbound slot is taken: free one for {@code newcomer} by evicting a peer, if the protocol has one to
     * spare. The evicted peer counts until it has closed, so each eviction makes room for one newcomer only.
     *
     * @return whether a peer is being evicted; false refuses the newcomer
     */
    default boolean makeRoom(PeerAddress newcomer) {
      return false;
    }
  }

  private final int maxInbound;
  private final int maxPendingHandshakesPerIp;
  private final Blacklist blacklist;
  private final Reputation reputation;
  private final Rules rules;
  private final Map<String, Integer> handshakingByIp = new HashMap<>();
  private int inbound;

  /**
   * @param options    the pool's {@code maxInbound} and {@code maxPendingHandshakesPerIP}
   * @param blacklist  addresses never accepted
   * @param reputation whose bans refuse an address
   */
  public InboundAdmission(PoolOptions<?> options, Blacklist blacklist, Reputation reputation, Rules rules) {
    this.maxInbound = options.getMaxInbound();
    this.maxPendingHandshakesPerIp = options.getMaxPendingHandshakesPerIP();
    this.blacklist = blacklist;
    this.reputation = reputation;
    this.rules = rules;
  }

  /**
   * Decides on a socket just accepted from {@code remote}. An admitted socket is counted as inbound and as handshaking
   * from its IP until {@link #handshakeDone} or {@link #closed}.
   *
   * @param running false while the node stops: every socket is refused
   * @return null when the socket is admitted, else why it is refused
   */
  public Refusal admit(PeerAddress remote, boolean running) {
    String ip = remote.host();
    boolean privileged = rules.isPrivileged(ip);
    if (!running) {
      return Refusal.of(DisconnectReason.NODE_SHUTDOWN, "node_stopping", "node is stopping");
    }
    if (blacklist.contains(ip)) {
      return Refusal.of(DisconnectReason.BLACKLISTED, "blacklisted", "address " + ip + " is blacklisted");
    }
    if (!privileged && reputation.isHostBanned(ip)) {
      return Refusal.of(DisconnectReason.BANNED, "banned", "address " + ip + " is banned");
    }
    if (handshakingByIp.getOrDefault(ip, 0) >= maxPendingHandshakesPerIp) {
      return Refusal.of(DisconnectReason.TOO_MANY_PENDING_FROM_IP, "too_many_pending_from_ip",
          maxPendingHandshakesPerIp + " connections from " + ip + " are still handshaking");
    }
    if (!privileged && inbound >= maxInbound && !rules.makeRoom(remote)) {
      return Refusal.of(DisconnectReason.INBOUND_SLOTS_FULL, "inbound_slots_full",
          "all " + maxInbound + " inbound slots are taken");
    }
    inbound++;
    handshakingByIp.merge(ip, 1, Integer::sum);
    return null;
  }

  /** An admitted connection from {@code ip} finished its handshake: it no longer counts as pending. */
  public void handshakeDone(String ip) {
    handshakingByIp.computeIfPresent(ip, (k, n) -> n > 1 ? n - 1 : null);
  }

  /** An admitted connection from {@code ip} closed; {@code handshaking} if it never finished its handshake. */
  public void closed(String ip, boolean handshaking) {
    inbound--;
    if (handshaking) {
      handshakeDone(ip);
    }
  }

  /** The inbound connections open now, handshaking or not. */
  public int inbound() {
    return inbound;
  }
}
