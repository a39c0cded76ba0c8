package org.peermesh.discovery;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.peermesh.net.PeerAddress;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bucket rules, eviction, failures and getPeers sampling of the peer book; persistence is in PeerBookFileTest. */
class PeerBookTest {

  static final long DAY_MS = Duration.ofDays(1).toMillis();
  static final byte[] SECRET = secret(1);
  private static final String SOURCE = "203.0.113.7";

  private MutableClock clock;
  private PeerBook book;

  @BeforeEach
  void newBook() {
    clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    book = new PeerBook(SECRET, clock, new Random(42), DAY_MS);
  }

  // ---- new table placement

  @Test
  void thousandsOfAddressesFromOneSlash16AndOneSourceFillOneNewBucket() {
    for (PeerAddress address : oneSlash16(5_000)) {
      assertTrue(book.addNew(address, SOURCE));
    }

    assertEquals(1, book.occupiedNewBuckets());
    assertEquals(PeerBook.BUCKET_SIZE, book.newCount());
  }

  @Test
  void oneSlash16FromFiftySourcesOfOneSourceGroupStillFillsOneNewBucket() {
    List<PeerAddress> addresses = oneSlash16(5_000);
    for (int i = 0; i < addresses.size(); i++) {
      book.addNew(addresses.get(i), "203.0." + (i % 50) + ".9");
    }

    assertEquals(1, book.occupiedNewBuckets());
    assertEquals(PeerBook.BUCKET_SIZE, book.newCount());
  }

  @Test
  void oneSourceGroupReachesAtMostSixteenNewBuckets() {
    List<PeerAddress> addresses = distinctSlash16s(5_000);
    for (int i = 0; i < addresses.size(); i++) {
      book.addNew(addresses.get(i), "203.0." + (i % 50) + ".9");
    }

    int occupied = book.occupiedNewBuckets();
    assertTrue(occupied <= 16, occupied + " buckets");
    // All 16 slots are reached, bar collisions between their buckets: the limit is not met by accident.
    assertTrue(occupied >= 12, occupied + " buckets");
    assertEquals(occupied * PeerBook.BUCKET_SIZE, book.newCount());
    assertBucketsWithinSize(book, sourceByAddress(addresses, i -> "203.0." + (i % 50) + ".9"));
  }

  @Test
  void oneSlash16FromManySourceGroupsSpreadsOverTheNewTable() {
    List<PeerAddress> addresses = oneSlash16(5_000);
    for (int i = 0; i < addresses.size(); i++) {
      book.addNew(addresses.get(i), sourceInGroup(i % 500));
    }

    int occupied = book.occupiedNewBuckets();
    assertTrue(occupied > 100, occupied + " buckets");
  }

  @Test
  void distinctSlash16sToldByThemselvesSpreadOverTheNewTable() {
    List<PeerAddress> addresses = distinctSlash16s(5_000);
    addresses.forEach(address -> book.addNew(address, address.host()));

    int occupied = book.occupiedNewBuckets();
    assertTrue(occupied > 100, occupied + " buckets");
    assertBucketsWithinSize(book, sourceByAddress(addresses, i -> addresses.get(i).host()));
  }

  @Test
  void addNewCountsOnlyUnknownAddresses() {
    PeerAddress address = new PeerAddress("45.33.1.2", 5000);

    assertTrue(book.addNew(address, SOURCE));
    assertFalse(book.addNew(address, SOURCE));
    assertFalse(book.addNew(address, "198.51.100.1"));
    book.markConnected(address, "peer-a", true);
    assertFalse(book.addNew(address, SOURCE));

    assertTrue(book.isTried(address));
    assertEquals(0, book.newCount());
    assertEquals(1, book.triedCount());
  }

  @Test
  void addNewRefreshesLastSeenOfANewEntry() {
    PeerAddress address = new PeerAddress("45.33.1.2", 5000);
    long addedAt = clock.millis();
    book.addNew(address, SOURCE);
    clock.advance(Duration.ofHours(3));

    book.addNew(address, SOURCE);

    JsonObject entry = book.toJson().getJsonArray("new").getJsonObject(0);
    assertEquals(addedAt, entry.getLong("addedAt"));
    assertEquals(clock.millis(), entry.getLong("lastSeen"));
  }

  @Test
  void addNewRefusesPortZero() {
    assertFalse(book.addNew(new PeerAddress("45.33.1.2", 0), SOURCE));
    book.markConnected(new PeerAddress("45.33.1.2", 0), "peer-a", true);

    assertEquals(0, book.newCount());
    assertEquals(0, book.triedCount());
  }

  @Test
  void twoSpellingsOfOneIpAreOneAddress() {
    assertTrue(book.addNew(new PeerAddress("2001:DB8:0:0::1", 5000), SOURCE));

    assertFalse(book.addNew(new PeerAddress("2001:db8::1", 5000), SOURCE));
    assertTrue(book.contains(new PeerAddress("2001:0db8::1", 5000)));
    assertEquals(List.of(new PeerAddress("2001:db8::1", 5000)), book.newPeers());
    assertTrue(book.addNew(new PeerAddress("::ffff:45.33.1.2", 5000), SOURCE));
    assertTrue(book.contains(new PeerAddress("45.33.1.2", 5000)));
  }

  // ---- eviction from a full new bucket

  @Test
  void aFullNewBucketDropsItsStalestEntryOlderThanTheThresholdFirst() {
    List<PeerAddress> addresses = oneSlash16(35);
    List<PeerAddress> bucket = addresses.subList(0, PeerBook.BUCKET_SIZE);
    bucket.forEach(address -> book.addNew(address, SOURCE));
    PeerAddress stalest = bucket.get(7);
    PeerAddress stale = bucket.get(20);
    clock.advance(Duration.ofHours(1));
    book.addNew(stale, SOURCE);
    clock.advance(Duration.ofHours(19));
    bucket.stream().filter(a -> !a.equals(stalest) && !a.equals(stale)).forEach(a -> book.addNew(a, SOURCE));
    clock.advance(Duration.ofHours(6)); // stalest 26 h, stale 25 h, the rest 6 h unseen

    book.addNew(addresses.get(32), SOURCE);
    assertFalse(book.contains(stalest));
    assertTrue(book.contains(stale));

    book.addNew(addresses.get(33), SOURCE);
    assertFalse(book.contains(stale));
    assertEquals(PeerBook.BUCKET_SIZE, book.newCount());
    assertTrue(book.newPeers().containsAll(addresses.subList(32, 34)));
  }

  @Test
  void aFullNewBucketWithoutStaleEntriesDropsARandomOne() {
    Set<PeerAddress> victims = new HashSet<>();
    // Seeds from a Random: java.util.Random's first outputs for neighbouring seeds such as 0, 1, 2 are alike.
    Random seeds = new Random(7);
    for (int i = 0; i < 20; i++) {
      PeerBook seeded = new PeerBook(SECRET, clock, new Random(seeds.nextLong()), DAY_MS);
      List<PeerAddress> addresses = oneSlash16(PeerBook.BUCKET_SIZE + 1);
      addresses.forEach(address -> seeded.addNew(address, SOURCE));

      assertEquals(PeerBook.BUCKET_SIZE, seeded.newCount());
      assertTrue(seeded.contains(addresses.get(PeerBook.BUCKET_SIZE)), "the newcomer is kept");
      List<PeerAddress> gone = addresses.stream().filter(a -> !seeded.contains(a)).toList();
      assertEquals(1, gone.size());
      victims.add(gone.get(0));
    }
    // Not always the oldest or the first: an attacker cannot tell which entry its next address replaces.
    assertTrue(victims.size() > 5, victims.size() + " distinct victims");
  }

  // ---- tried table

  @Test
  void oneSlash16ReachesAtMostEightTriedBuckets() {
    List<PeerAddress> addresses = oneSlash16(2_000);
    addresses.forEach(address -> book.markConnected(address, null, true));

    int occupied = book.occupiedTriedBuckets();
    assertTrue(occupied <= 8, occupied + " buckets");
    assertTrue(occupied >= 6, occupied + " buckets");
    assertEquals(occupied * PeerBook.BUCKET_SIZE, book.triedCount());
    // What tried pushed out went back to new, placed by its own host as source: one /16, one bucket.
    assertEquals(PeerBook.BUCKET_SIZE, book.newCount());
    for (int bucket = 0; bucket < PeerBook.TRIED_BUCKET_COUNT; bucket++) {
      int index = bucket;
      long inBucket = book.triedPeers().stream().filter(a -> book.triedBucket(a) == index).count();
      assertTrue(inBucket <= PeerBook.BUCKET_SIZE, inBucket + " in tried bucket " + bucket);
    }
  }

  @Test
  void distinctSlash16sSpreadOverTheTriedTable() {
    distinctSlash16s(500).forEach(address -> book.markConnected(address, null, true));

    assertTrue(book.occupiedTriedBuckets() > 60, book.occupiedTriedBuckets() + " buckets");
    assertEquals(500, book.triedCount());
  }

  @Test
  void markConnectedMovesANewEntryToTried() {
    PeerAddress address = new PeerAddress("45.33.1.2", 5000);
    book.addNew(address, SOURCE);
    clock.advance(Duration.ofMinutes(5));

    book.markConnected(address, "peer-a", false);

    assertTrue(book.isTried(address));
    assertEquals(List.of(address), book.triedPeers());
    assertEquals(List.of(), book.newPeers());
    JsonObject entry = book.toJson().getJsonArray("tried").getJsonObject(0);
    assertEquals(SOURCE, entry.getString("source"));
    assertEquals(clock.millis(), entry.getLong("lastSuccess"));
    assertEquals("peer-a", entry.getString("peerId"));
    assertFalse(entry.getBoolean("advertise"));
  }

  @Test
  void reconnectingUpdatesTheTriedEntryAndKeepsAKnownPeerId() {
    PeerAddress address = new PeerAddress("45.33.1.2", 5000);
    book.markConnected(address, "peer-a", false);
    clock.advance(Duration.ofHours(2));

    book.markConnected(address, null, true);

    JsonObject entry = book.toJson().getJsonArray("tried").getJsonObject(0);
    assertEquals("peer-a", entry.getString("peerId"));
    assertTrue(entry.getBoolean("advertise"));
    assertEquals(clock.millis(), entry.getLong("lastSuccess"));
    assertEquals(address.host(), entry.getString("source"), "added as tried: its own source");
    book.markConnected(address, "peer-b", true);
    assertEquals("peer-b", book.toJson().getJsonArray("tried").getJsonObject(0).getString("peerId"));
  }

  @Test
  void aFullTriedBucketPushesItsStalestEntryBackToNewUnderItsOriginalSource() {
    List<PeerAddress> sameBucket = sameTriedBucket(PeerBook.BUCKET_SIZE + 1);
    List<PeerAddress> bucket = sameBucket.subList(0, PeerBook.BUCKET_SIZE);
    PeerAddress stalest = bucket.get(3);
    book.addNew(stalest, SOURCE);
    bucket.forEach(address -> book.markConnected(address, null, true));
    clock.advance(Duration.ofHours(20));
    bucket.stream().filter(a -> !a.equals(stalest)).forEach(a -> book.markConnected(a, null, true));
    clock.advance(Duration.ofHours(5));

    book.markConnected(sameBucket.get(PeerBook.BUCKET_SIZE), null, true);

    assertTrue(book.isTried(sameBucket.get(PeerBook.BUCKET_SIZE)));
    assertFalse(book.isTried(stalest));
    assertEquals(List.of(stalest), book.newPeers());
    assertEquals(PeerBook.BUCKET_SIZE, book.triedCount());
    assertEquals(SOURCE, book.toJson().getJsonArray("new").getJsonObject(0).getString("source"));
  }

  @Test
  void aFullTriedBucketWithoutStaleEntriesPushesARandomOneBackToNew() {
    List<PeerAddress> sameBucket = sameTriedBucket(PeerBook.BUCKET_SIZE + 1);
    sameBucket.forEach(address -> book.markConnected(address, null, true));

    assertEquals(PeerBook.BUCKET_SIZE, book.triedCount());
    assertEquals(1, book.newCount());
    assertTrue(book.isTried(sameBucket.get(PeerBook.BUCKET_SIZE)));
    assertTrue(sameBucket.contains(book.newPeers().get(0)));
  }

  // ---- failures

  @Test
  void aFailedNewEntryIsRemoved() {
    PeerAddress address = new PeerAddress("45.33.1.2", 5000);
    book.addNew(address, SOURCE);

    book.markFailed(address);

    assertFalse(book.contains(address));
    book.markFailed(address); // unknown: nothing to do
    assertEquals(0, book.newCount());
  }

  @Test
  void aTriedEntryGoesBackToNewAfterExactlyThreeFailuresInARow() {
    PeerAddress address = new PeerAddress("45.33.1.2", 5000);
    book.markConnected(address, "peer-a", true);

    book.markFailed(address);
    book.markFailed(address);
    assertTrue(book.isTried(address));
    book.markFailed(address);

    assertFalse(book.isTried(address));
    assertTrue(book.contains(address));
    assertEquals(List.of(address), book.newPeers());
    // Back in new, it is an address that does not work: one more failure drops it.
    book.markFailed(address);
    assertFalse(book.contains(address));
  }

  @Test
  void aSuccessResetsTheFailures() {
    PeerAddress address = new PeerAddress("45.33.1.2", 5000);
    book.markConnected(address, "peer-a", true);
    book.markFailed(address);
    book.markFailed(address);

    book.markConnected(address, "peer-a", true);
    book.markFailed(address);
    book.markFailed(address);

    assertTrue(book.isTried(address));
    book.markFailed(address);
    assertFalse(book.isTried(address));
  }

  // ---- removal

  @Test
  void removeHostClearsEveryPortOfTheHostFromBothTables() {
    book.addNew(new PeerAddress("2001:db8::1", 5000), SOURCE);
    book.addNew(new PeerAddress("2001:db8::1", 5001), SOURCE);
    book.markConnected(new PeerAddress("2001:db8::1", 5002), "peer-a", true);
    book.addNew(new PeerAddress("2001:db8::2", 5000), SOURCE);
    book.markConnected(new PeerAddress("45.33.1.2", 5000), "peer-b", true);

    book.removeHost("2001:DB8:0::1");

    assertEquals(List.of(new PeerAddress("2001:db8::2", 5000)), book.newPeers());
    assertEquals(List.of(new PeerAddress("45.33.1.2", 5000)), book.triedPeers());
  }

  @Test
  void removeDropsOneAddressFromEitherTable() {
    PeerAddress fresh = new PeerAddress("45.33.1.2", 5000);
    PeerAddress tried = new PeerAddress("45.33.1.3", 5000);
    book.addNew(fresh, SOURCE);
    book.markConnected(tried, null, true);

    book.remove(fresh);
    book.remove(tried);

    assertEquals(0, book.newCount() + book.triedCount());
  }

  // ---- getPeers

  @Test
  void getPeersGivesAllOfASmallBook() {
    List<PeerAddress> known = distinctSlash16s(10);
    known.forEach(address -> book.addNew(address, address.host()));

    List<PeerAddress> sample = book.sampleForGetPeers();

    assertEquals(Set.copyOf(known), Set.copyOf(sample));
    assertEquals(10, sample.size());
  }

  @Test
  void getPeersGivesAQuarterToAHalfButAtLeastOneHundred() {
    assertSampleSizes(300, 100, 150);
  }

  @Test
  void getPeersGivesAtLeastAQuarter() {
    assertSampleSizes(600, 150, PeerBook.MAX_GET_PEERS);
  }

  @Test
  void getPeersGivesAtMostTwoHundred() {
    distinctSlash16s(1_000).forEach(address -> book.addNew(address, address.host()));
    assertEquals(1_000, book.newCount());

    for (int i = 0; i < 20; i++) {
      List<PeerAddress> sample = book.sampleForGetPeers();
      assertEquals(PeerBook.MAX_GET_PEERS, sample.size());
      assertEquals(sample.size(), Set.copyOf(sample).size(), "duplicates");
    }
  }

  @Test
  void getPeersDrawsFromBothTablesButNeverUnadvertisedEntries() {
    List<PeerAddress> addresses = distinctSlash16s(10);
    book.addNew(addresses.get(0), SOURCE);
    book.addNew(addresses.get(1), SOURCE);
    book.markConnected(addresses.get(2), "peer-2", true);
    book.markConnected(addresses.get(3), "peer-3", false);
    book.markConnected(addresses.get(4), "peer-4", false);

    assertEquals(Set.copyOf(addresses.subList(0, 3)), Set.copyOf(book.sampleForGetPeers()));

    List<PeerAddress> many = distinctSlash16s(400);
    for (int i = 10; i < many.size(); i++) {
      book.markConnected(many.get(i), null, i % 3 != 0);
    }
    Set<PeerAddress> hidden = new HashSet<>(addresses.subList(3, 5));
    for (int i = 10; i < many.size(); i++) {
      if (i % 3 == 0) {
        hidden.add(many.get(i));
      }
    }
    for (int i = 0; i < 50; i++) {
      List<PeerAddress> sample = book.sampleForGetPeers();
      assertTrue(sample.stream().noneMatch(hidden::contains), "an unadvertised address was sampled");
    }
  }

  @Test
  void anEmptyBookHasNothingToGive() {
    assertEquals(List.of(), book.sampleForGetPeers());
  }

  // ---- construction

  @Test
  void theSecretMustBeThirtyTwoBytesAndIsCopied() {
    assertThrows(IllegalArgumentException.class, () -> new PeerBook(new byte[31], clock, new Random(), DAY_MS));
    byte[] secret = secret(1);
    PeerBook copy = new PeerBook(secret, clock, new Random(), DAY_MS);
    PeerAddress address = new PeerAddress("45.33.1.2", 5000);
    int before = copy.triedBucket(address);
    secret[0] ^= 1;

    assertEquals(before, copy.triedBucket(address));
  }

  @Test
  void anotherSecretPlacesAddressesElsewhere() {
    PeerBook other = new PeerBook(secret(2), clock, new Random(42), DAY_MS);
    List<PeerAddress> addresses = distinctSlash16s(50);

    long sameTried = addresses.stream().filter(a -> book.triedBucket(a) == other.triedBucket(a)).count();
    long sameNew = addresses.stream().filter(a -> book.newBucket(a, SOURCE) == other.newBucket(a, SOURCE)).count();

    assertTrue(sameTried < 10, sameTried + " of 50 in the same tried bucket");
    assertTrue(sameNew < 10, sameNew + " of 50 in the same new bucket");
  }

  @Test
  void bucketsDependOnTheGroupsNotTheHosts() {
    PeerAddress a = new PeerAddress("45.33.1.2", 5000);
    PeerAddress b = new PeerAddress("45.33.200.9", 6000);

    assertEquals(book.newBucket(a, "203.0.113.7"), book.newBucket(b, "203.0.9.1"));
    assertNotEquals(book.newBucket(a, "203.0.113.7"), book.newBucket(a, "198.51.100.1"));
  }

  // ---- helpers

  private void assertSampleSizes(int known, int min, int max) {
    distinctSlash16s(known).forEach(address -> book.addNew(address, address.host()));
    assertEquals(known, book.newCount());

    Set<Integer> sizes = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      List<PeerAddress> sample = book.sampleForGetPeers();
      assertTrue(sample.size() >= min && sample.size() <= max, sample.size() + " of " + known);
      assertEquals(sample.size(), Set.copyOf(sample).size(), "duplicates");
      sizes.add(sample.size());
    }
    assertTrue(sizes.size() > 10, "the sample size hardly varies: " + sizes);
  }

  private List<PeerAddress> sameTriedBucket(int count) {
    List<PeerAddress> candidates = oneSlash16(5_000);
    int bucket = book.triedBucket(candidates.get(0));
    List<PeerAddress> same = candidates.stream().filter(a -> book.triedBucket(a) == bucket).limit(count).toList();
    assertEquals(count, same.size());
    return same;
  }

  /** Checks that no new bucket holds more than it may, knowing the source each address was added with. */
  private static void assertBucketsWithinSize(PeerBook book, Map<PeerAddress, String> sources) {
    Map<Integer, Long> perBucket = book.newPeers().stream()
        .collect(Collectors.groupingBy(a -> book.newBucket(a, sources.get(a)), TreeMap::new, Collectors.counting()));
    assertEquals(book.occupiedNewBuckets(), perBucket.size());
    perBucket.forEach((bucket, count) -> assertTrue(count <= PeerBook.BUCKET_SIZE, count + " in bucket " + bucket));
  }

  private static Map<PeerAddress, String> sourceByAddress(List<PeerAddress> addresses, IntFunction<String> source) {
    Map<PeerAddress, String> sources = new HashMap<>();
    for (int i = 0; i < addresses.size(); i++) {
      sources.put(addresses.get(i), source.apply(i));
    }
    return sources;
  }

  /** Distinct public addresses, all in 45.33.0.0/16. */
  static List<PeerAddress> oneSlash16(int count) {
    List<PeerAddress> addresses = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      addresses.add(new PeerAddress("45.33." + (i / 250) + "." + (1 + i % 250), 5000));
    }
    return addresses;
  }

  /** Public addresses each in a /16 of its own: 11.0.0.1, 11.1.0.1, ... (first octets 11 to 30, none local). */
  static List<PeerAddress> distinctSlash16s(int count) {
    List<PeerAddress> addresses = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      addresses.add(new PeerAddress((11 + i / 256) + "." + (i % 256) + ".0.1", 5000));
    }
    return addresses;
  }

  /** A host in source group number {@code n}, spread over public /16s. */
  private static String sourceInGroup(int n) {
    return (31 + n / 256) + "." + (n % 256) + ".7.7";
  }

  static byte[] secret(int seed) {
    byte[] secret = new byte[32];
    new Random(seed).nextBytes(secret);
    return secret;
  }
}
