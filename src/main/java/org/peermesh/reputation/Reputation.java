package org.peermesh.reputation;

import org.peermesh.net.NetGroups;
import org.peermesh.storage.LruMap;

import java.util.Map;
import java.util.Optional;

/**
 * The scores of peers and the bans that follow them. A score starts at {@value #INITIAL_SCORE}; at 0
 * the peer is banned for {@code peerBanTime}.
 *
 * <p>Scores and bans are kept per IP address: an address costs an attacker more than a key, and a score kept
 * after a disconnect means reconnecting does not wipe it (lisk-p2p resets it). A peer on a local address that the
 * node exempts from per-IP rules shares its IP with honest neighbours, so it is scored and banned by its peer id.
 * A peer that has not proven its key yet is scored by IP only, so that nobody can get another's id banned.
 */
public final class Reputation {

  /** Every peer's score at first. */
  public static final int INITIAL_SCORE = 100;
  private static final String PEER_KEY_PREFIX = "peer:";
  /** Scores of this many peers are remembered, the least recently penalised forgotten first. */
  private static final int SCORES_KEPT = 10_000;

  private final BanList bans;
  private final boolean exemptLocalAddresses;
  private final long banTimeMs;
  private final Map<String, Integer> scores = new LruMap<>(SCORES_KEPT);

  public Reputation(BanList bans, boolean exemptLocalAddresses, long banTimeMs) {
    this.bans = bans;
    this.exemptLocalAddresses = exemptLocalAddresses;
    this.banTimeMs = banTimeMs;
  }

  /** The key a peer is scored and banned under; empty for an unproven peer on an exempt local address. */
  public Optional<String> keyOf(String host, String provenPeerId) {
    if (!exemptLocalAddresses || !NetGroups.isLocal(host)) {
      return Optional.of(host);
    }
    return provenPeerId == null ? Optional.empty() : Optional.of(PEER_KEY_PREFIX + provenPeerId);
  }

  /** Whether connections from this address are refused before any handshake. */
  public boolean isHostBanned(String host) {
    return bans.isBanned(host);
  }

  /** Whether a peer that proved its id is refused. */
  public boolean isBanned(String host, String peerId) {
    return bans.isBanned(host) || bans.isBanned(PEER_KEY_PREFIX + peerId);
  }

  public synchronized int score(String key) {
    return scores.getOrDefault(key, INITIAL_SCORE);
  }

  /**
   * Lowers a score. When it reaches 0 and {@code bannable}, the key is banned and its score forgotten (the ban
   * takes over); the returned outcome says which.
   */
  public synchronized Outcome penalize(String key, String peerId, int penalty, String reason, boolean bannable) {
    int score = Math.max(0, score(key) - Math.max(0, penalty));
    if (score > 0 || !bannable) {
      scores.put(key, score);
      return new Outcome(score, null);
    }
    scores.remove(key);
    return new Outcome(0, bans.ban(key, peerId, reason, banTimeMs));
  }

  public BanList bans() {
    return bans;
  }

  /** A penalty's result: the new score, and the ban it caused, if it did. */
  public record Outcome(int score, BanList.Ban ban) {

    public boolean banned() {
      return ban != null;
    }
  }
}
