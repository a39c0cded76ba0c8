package org.peermesh.selection;

import org.peermesh.peer.PeerInfo;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;

/**
 * LIP 0004's inbound eviction: when a new inbound peer arrives and the inbound slots are full, which inbound peer
 * makes room.
 *
 * <p>An attacker who opens many inbound connections should not be able to push out the honest ones. So the peers
 * that are hard to imitate are protected, each step taking its share from what the steps before left:
 * <ol>
 *   <li>whitelisted and fixed peers, never evicted;</li>
 *   <li>the peers of the rarest netgroups ({@link #NETGROUP_PROTECTION}): an attacker cannot predict which
 *       netgroups these are, nor cheaply get addresses in many netgroups;</li>
 *   <li>the lowest latency ({@link #LATENCY_PROTECTION}; an unknown latency counts as the worst): only faked by
 *       being physically close;</li>
 *   <li>the highest response rate ({@link #RESPONSE_RATE_PROTECTION}): only earned by doing useful work;</li>
 *   <li>the longest connected ({@link #LONGEVITY_PROTECTION}): precludes attacks that start later than the
 *       honest connections.</li>
 * </ol>
 * The evicted peer is a random one of those left. Steps 2 to 4 each protect {@code ceil(ratio * n)} peers, where
 * {@code n} is the number of candidates after step 1 (not what the previous step left), as lisk-p2p does; step 5
 * protects {@code floor(ratio * m)} of the {@code m} peers then left. A step never protects more peers than are
 * left, so a small pool (fewer than four candidates) evicts nobody. Ties within a step are broken randomly.
 */
public final class InboundEviction {

  public static final double NETGROUP_PROTECTION = 0.034;
  public static final double LATENCY_PROTECTION = 0.068;
  public static final double RESPONSE_RATE_PROTECTION = 0.068;
  public static final double LONGEVITY_PROTECTION = 0.5;

  private static final Comparator<PeerInfo> LOWEST_LATENCY =
      Comparator.comparingLong(peer -> peer.latencyMicros() < 0 ? Long.MAX_VALUE : peer.latencyMicros());
  private static final Comparator<PeerInfo> HIGHEST_RESPONSE_RATE =
      Comparator.comparingDouble(PeerInfo::responseRate).reversed();
  private static final Comparator<PeerInfo> EARLIEST_CONNECTED = Comparator.comparingLong(PeerInfo::connectedAt);

  private InboundEviction() {
  }

  /**
   * The inbound peer to evict, or empty if every one is protected.
   *
   * @param inboundPeers the connected inbound peers
   * @param netgroupOf   the netgroup of a host (IPv4 /16, IPv6 /32)
   * @param random       the source of every random choice, so that a test can fix it
   */
  public static Optional<PeerInfo> select(List<PeerInfo> inboundPeers, Function<String, String> netgroupOf,
                                          Random random) {
    List<PeerInfo> candidates = inboundPeers.stream().filter(peer -> !peer.whitelisted() && !peer.fixed()).toList();
    int count = candidates.size();
    candidates = dropFirst(byNetgroupRarity(candidates, netgroupOf, random), share(count, NETGROUP_PROTECTION));
    candidates = dropFirst(sorted(candidates, LOWEST_LATENCY, random), share(count, LATENCY_PROTECTION));
    candidates = dropFirst(sorted(candidates, HIGHEST_RESPONSE_RATE, random), share(count, RESPONSE_RATE_PROTECTION));
    int longLived = (int) Math.floor(candidates.size() * LONGEVITY_PROTECTION);
    candidates = dropFirst(sorted(candidates, EARLIEST_CONNECTED, random), longLived);
    return candidates.isEmpty() ? Optional.empty() : Optional.of(candidates.get(random.nextInt(candidates.size())));
  }

  /**
   * The peers of the netgroup with the fewest candidates first, then the next rarest, and so on. Equally common
   * netgroups come in random order as whole groups, so a step that protects part of them protects whole netgroups
   * first; within a netgroup the order is random.
   */
  private static List<PeerInfo> byNetgroupRarity(List<PeerInfo> peers, Function<String, String> netgroupOf,
                                                 Random random) {
    // Insertion order keeps the result a function of the input and the random source alone.
    Map<String, List<PeerInfo>> byNetgroup = new LinkedHashMap<>();
    for (PeerInfo peer : peers) {
      byNetgroup.computeIfAbsent(netgroupOf.apply(peer.host()), netgroup -> new ArrayList<>()).add(peer);
    }
    List<List<PeerInfo>> netgroups = new ArrayList<>(byNetgroup.values());
    Collections.shuffle(netgroups, random);
    netgroups.sort(Comparator.comparingInt(List::size));
    List<PeerInfo> ordered = new ArrayList<>(peers.size());
    for (List<PeerInfo> netgroup : netgroups) {
      Collections.shuffle(netgroup, random);
      ordered.addAll(netgroup);
    }
    return ordered;
  }

  /** The peers best first by {@code order}; shuffled first, so the stable sort leaves ties in random order. */
  private static List<PeerInfo> sorted(List<PeerInfo> peers, Comparator<PeerInfo> order, Random random) {
    List<PeerInfo> copy = new ArrayList<>(peers);
    Collections.shuffle(copy, random);
    copy.sort(order);
    return copy;
  }

  private static List<PeerInfo> dropFirst(List<PeerInfo> peers, int protectedCount) {
    return peers.subList(Math.min(protectedCount, peers.size()), peers.size());
  }

  /**
   * {@code ceil(ratio * count)} in decimal arithmetic: in doubles {@code 0.034 * 1500} is 51.00000000000001, whose
   * ceiling would protect one peer too many.
   */
  private static int share(int count, double ratio) {
    return BigDecimal.valueOf(ratio).multiply(BigDecimal.valueOf(count)).setScale(0, RoundingMode.CEILING)
        .intValueExact();
  }
}
