package org.peermesh.selection;

import org.junit.jupiter.api.Test;
import org.peermesh.peer.Direction;
import org.peermesh.peer.PeerInfo;
import org.peermesh.peer.PeerState;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InboundEvictionTest {

  private static final int SEEDS = 2000;

  /** IPv4 /16, enough for these tests without depending on the real netgroup function. */
  private static final Function<String, String> SLASH_16 = host -> {
    String[] octets = host.split("\\.");
    return octets[0] + "." + octets[1];
  };

  @Test
  void whitelistedAndFixedPeersAreNeverEvictedEvenWhenWorstInEveryCategory() {
    List<PeerInfo> peers = new ArrayList<>();
    Random stats = new Random(7);
    for (int i = 0; i < 20; i++) {
      peers.add(peer("p" + i, "10.0.0." + i, 1 + stats.nextInt(200), stats.nextDouble(), 1 + stats.nextInt(1000)));
    }
    // In the most common netgroup, latency unknown, no responses, connected last.
    peers.add(special("whitelisted", "10.0.1.1", false, true));
    peers.add(special("fixed", "10.0.1.2", true, false));
    peers.add(special("both", "10.0.1.3", true, true));

    Set<String> evicted = evictedOverSeeds(peers);

    assertFalse(evicted.contains("whitelisted"), "evicted a whitelisted peer");
    assertFalse(evicted.contains("fixed"), "evicted a fixed peer");
    assertFalse(evicted.contains("both"), "evicted a fixed and whitelisted peer");
  }

  @Test
  void onlyProtectedPeersEvictNobody() {
    List<PeerInfo> peers = List.of(special("w1", "10.0.0.1", false, true), special("w2", "10.0.0.2", false, true),
        special("f1", "10.0.0.3", true, false), special("f2", "10.0.0.4", true, false));

    assertEquals(Optional.empty(), InboundEviction.select(peers, SLASH_16, new Random(1)));
    assertEquals(Optional.empty(), InboundEviction.select(List.of(), SLASH_16, new Random(1)));
  }

  @Test
  void fewerThanFourCandidatesAreAllProtected() {
    // Each of the netgroup, latency and response rate steps protects at least one peer.
    List<PeerInfo> peers = List.of(peer("a", "10.0.0.1", 10, 0.5, 1), peer("b", "10.0.0.2", 20, 0.5, 2),
        peer("c", "10.0.0.3", 30, 0.5, 3), special("w", "10.0.0.4", false, true));

    for (int seed = 0; seed < 100; seed++) {
      assertEquals(Optional.empty(), InboundEviction.select(peers, SLASH_16, new Random(seed)));
    }
  }

  @Test
  void theOneUnprotectedPeerIsEvicted() {
    List<PeerInfo> peers = List.of(
        peer("rare", "172.16.0.1", -1, 0.0, 100),          // the only peer of its netgroup
        peer("fast", "10.0.0.1", 5, 0.0, 100),
        peer("responsive", "10.0.0.2", -1, 1.0, 100),
        peer("victim", "10.0.0.3", 50, 0.5, 1),             // oldest, but alone in the longevity step
        special("whitelisted", "10.0.0.4", false, true),
        special("fixed", "10.0.0.5", true, false));

    assertEquals(Set.of("victim"), evictedOverSeeds(peers));
  }

  @Test
  void theSinglePeerOfARareNetgroupIsNeverEvicted() {
    List<PeerInfo> peers = new ArrayList<>();
    Random stats = new Random(11);
    for (int i = 0; i < 100; i++) {
      peers.add(peer("p" + i, "10.0." + i / 250 + "." + i % 250, 1 + stats.nextInt(200), stats.nextDouble(),
          1 + stats.nextInt(1000)));
    }
    // Worst in every other category, so only its netgroup can protect it.
    peers.add(peer("rare", "192.168.1.1", -1, 0.0, 5000));

    Set<String> evicted = evictedOverSeeds(peers);

    assertFalse(evicted.contains("rare"));
  }

  @Test
  void equallyRareNetgroupsAreProtectedInRandomOrder() {
    // 12 candidates: the netgroup step protects ceil(0.034 * 12) = 1 peer, either of two alone in their netgroup.
    List<PeerInfo> peers = new ArrayList<>();
    peers.add(peer("rareA", "172.16.0.1", -1, 0.0, 5000));
    peers.add(peer("rareB", "172.17.0.1", -1, 0.0, 5000));
    for (int i = 0; i < 10; i++) {
      peers.add(peer("p" + i, "10.0.0." + i, 10 + i, 0.5, i));
    }

    Set<String> evicted = evictedOverSeeds(peers);

    assertTrue(evicted.containsAll(Set.of("rareA", "rareB")), "always protected the same one: " + evicted);
  }

  @Test
  void theFastestPeersAreNeverEvictedAndUnknownLatencyCountsAsWorst() {
    // 50 candidates: the latency step protects ceil(0.068 * 50) = 4. The others' latency is unknown (-1): were it
    // taken as the lowest, they would be protected in place of the fast ones.
    List<PeerInfo> peers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      peers.add(peer("fast" + i, "10.0.0." + i, i + 1, 0.0, 10_000 + i));
    }
    for (int i = 4; i < 50; i++) {
      peers.add(peer("p" + i, "10.0.0." + i, -1, 0.5, i));
    }

    Set<String> evicted = evictedOverSeeds(peers);

    assertTrue(evicted.stream().noneMatch(id -> id.startsWith("fast")), "evicted a fast peer: " + evicted);
  }

  @Test
  void theMostResponsivePeersAreNeverEvicted() {
    // 50 candidates: the response rate step protects ceil(0.068 * 50) = 4.
    List<PeerInfo> peers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      peers.add(peer("responsive" + i, "10.0.0." + i, -1, 1.0 - i * 0.01, 10_000 + i));
    }
    for (int i = 4; i < 50; i++) {
      peers.add(peer("p" + i, "10.0.0." + i, 50, 0.2, i));
    }

    Set<String> evicted = evictedOverSeeds(peers);

    assertTrue(evicted.stream().noneMatch(id -> id.startsWith("responsive")),
        "evicted a responsive peer: " + evicted);
  }

  @Test
  void theOldestHalfOfTheRestIsNeverEvictedAndTheNewestHalfAllCanBe() {
    List<PeerInfo> peers = layoutWithFortyLeftForLongevity();

    Set<String> evicted = evictedOverSeeds(peers);

    // Of the 40 left after the three percentage steps, the 20 earliest connected are protected; every one of the
    // 20 others is evicted for some seed, so the final choice is random among them.
    Set<String> newestTwenty = IntStream.range(20, 40).mapToObj(i -> "rest" + i).collect(Collectors.toSet());
    assertEquals(newestTwenty, evicted);
  }

  @Test
  void theChoiceDependsOnTheRandomSource() {
    List<PeerInfo> peers = layoutWithFortyLeftForLongevity();

    Set<String> evicted = new HashSet<>();
    for (int seed = 0; seed < 20; seed++) {
      evicted.add(InboundEviction.select(peers, SLASH_16, new Random(seed)).orElseThrow().peerId());
    }

    assertTrue(evicted.size() > 1, "always evicted " + evicted);
  }

  @Test
  void percentagesAreSharesOfTheCandidatesAfterWhitelistedAndFixedPeers() {
    // 30 candidates and 20 whitelisted peers: the latency step protects ceil(0.068 * 30) = 3 peers. Counting the
    // whitelisted ones (50) would protect 4; counting what the netgroup step left (28) would protect 2.
    List<PeerInfo> peers = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      peers.add(special("w" + i, "10.1.0." + i, false, true));
    }
    peers.add(peer("rareA", "172.16.0.1", -1, 0.0, 1));
    peers.add(peer("rareB", "172.17.0.1", -1, 0.0, 1));
    for (int i = 1; i <= 28; i++) {
      // The fastest never respond and connected last, so only the latency step can protect them; the three
      // slowest answer every request, so they are the ones the response rate step protects.
      double responseRate = i >= 26 ? 1.0 : i <= 5 ? 0.0 : 0.5;
      long connectedAt = i <= 5 ? 100_000 + i : i;
      peers.add(peer("latency" + i, "10.0.0." + i, i, responseRate, connectedAt));
    }

    Set<String> evicted = evictedOverSeeds(peers);

    assertFalse(evicted.contains("latency3"), "the third fastest was not protected");
    assertTrue(evicted.contains("latency4"), "the fourth fastest was protected: " + evicted);
  }

  @Test
  void theQuotasAreTheDocumentedOnes() {
    assertEquals(0.034, InboundEviction.NETGROUP_PROTECTION);
    assertEquals(0.068, InboundEviction.LATENCY_PROTECTION);
    assertEquals(0.068, InboundEviction.RESPONSE_RATE_PROTECTION);
    assertEquals(0.5, InboundEviction.LONGEVITY_PROTECTION);
  }

  /**
   * 50 candidates whose first three steps protect known peers: the two alone in their netgroups, the four fastest,
   * the four most responsive. The 40 others ("rest0" to "rest39", connected in that order) are left for the
   * longevity step.
   */
  private static List<PeerInfo> layoutWithFortyLeftForLongevity() {
    List<PeerInfo> peers = new ArrayList<>();
    peers.add(peer("rareA", "172.16.0.1", -1, 0.0, 90_000));
    peers.add(peer("rareB", "172.17.0.1", -1, 0.0, 90_001));
    for (int i = 0; i < 4; i++) {
      peers.add(peer("fast" + i, "10.0.1." + i, 1 + i, 0.0, 90_010 + i));
      peers.add(peer("responsive" + i, "10.0.2." + i, -1, 1.0, 90_020 + i));
    }
    for (int i = 0; i < 40; i++) {
      peers.add(peer("rest" + i, "10.0.3." + i, 100, 0.5, 1_000 + i));
    }
    return peers;
  }

  /** The ids of the peers evicted over many seeds; every seed must evict someone. */
  private static Set<String> evictedOverSeeds(List<PeerInfo> peers) {
    Set<String> evicted = new HashSet<>();
    for (int seed = 0; seed < SEEDS; seed++) {
      Optional<PeerInfo> chosen = InboundEviction.select(peers, SLASH_16, new Random(seed));
      assertTrue(chosen.isPresent(), "nobody evicted with seed " + seed);
      evicted.add(chosen.get().peerId());
    }
    return evicted;
  }

  private static PeerInfo peer(String peerId, String host, long latencyMicros, double responseRate, long connectedAt) {
    return new PeerInfo(peerId, host, 5000, Direction.INBOUND, PeerState.CONNECTED, latencyMicros, null, false, false,
        connectedAt, responseRate, PeerInfo.INITIAL_REPUTATION);
  }

  /** A whitelisted or fixed peer that is the worst in every category. */
  private static PeerInfo special(String peerId, String host, boolean fixed, boolean whitelisted) {
    return new PeerInfo(peerId, host, 5000, Direction.INBOUND, PeerState.CONNECTED, -1, null, fixed, whitelisted,
        1_000_000, 0.0, PeerInfo.INITIAL_REPUTATION);
  }
}
