package org.peermesh.devp2p.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The Kademlia table: distances, closest-first answers, LRU buckets, replacements. */
class NodeTableTest {

  private static final NodeId SELF = Discv4Vectors.node(-1);

  private static Neighbor neighbor(NodeId id) {
    return new Neighbor(Discv4Vectors.ip("10.0.0.1"), 30303, 30303, id);
  }

  /** The first {@code count} made-up ids at log distance 256 from us: all in the last bucket. */
  private static List<NodeId> farthestBucket(int count) {
    byte[] self = SELF.keccak();
    return IntStream.range(0, 10_000).mapToObj(Discv4Vectors::node)
        .filter(id -> NodeTable.logDistance(self, id.keccak()) == 256).limit(count).toList();
  }

  @Test
  void logDistanceIsTheBitLengthOfTheXor() {
    byte[] zero = new byte[32];
    assertEquals(0, NodeTable.logDistance(zero, zero));
    byte[] last = new byte[32];
    last[31] = 1;
    assertEquals(1, NodeTable.logDistance(zero, last));
    byte[] first = new byte[32];
    first[0] = (byte) 0x80;
    assertEquals(256, NodeTable.logDistance(zero, first));
    first[0] = 0x01;
    assertEquals(249, NodeTable.logDistance(first, zero));
    byte[] both = first.clone();
    both[31] = 1;
    assertEquals(9, NodeTable.logDistance(first, nineBitsApart()));
    assertEquals(249, NodeTable.logDistance(both, last));
  }

  private static byte[] nineBitsApart() {
    byte[] hash = new byte[32];
    hash[0] = 0x01;
    hash[30] = 0x01;
    return hash;
  }

  @Test
  void closestIsSortedByXorDistanceOfTheHashes() {
    NodeTable table = new NodeTable(SELF);
    for (int i = 0; i < 300; i++) {
      table.add(neighbor(Discv4Vectors.node(i)), i);
    }
    assertTrue(table.size() > 16 && table.size() < 300, () -> "size " + table.size());
    NodeId target = Discv4Vectors.node(5000);
    byte[] targetHash = target.keccak();
    List<Neighbor> expected = new ArrayList<>(table.all().stream().map(NodeTable.Entry::node).toList());
    expected.sort(Comparator.comparing(node -> xor(targetHash, node.id().keccak()), Arrays::compareUnsigned));
    assertEquals(expected.subList(0, 16), table.closest(target, 16));
    assertEquals(expected, table.closest(target, 1000));
    assertEquals(List.of(), table.closest(target, 0));
  }

  @Test
  void aFullBucketSendsNewNodesToTheReplacementsAndRemovePromotesTheLatest() {
    NodeTable table = new NodeTable(SELF);
    List<NodeId> ids = farthestBucket(NodeTable.BUCKET_SIZE + NodeTable.MAX_REPLACEMENTS + 2);
    for (int i = 0; i < NodeTable.BUCKET_SIZE; i++) {
      assertEquals(NodeTable.AddResult.ADDED, table.add(neighbor(ids.get(i)), i));
    }
    for (int i = NodeTable.BUCKET_SIZE; i < ids.size(); i++) {
      assertEquals(NodeTable.AddResult.REPLACEMENT, table.add(neighbor(ids.get(i)), i));
    }
    assertEquals(NodeTable.BUCKET_SIZE, table.size());
    assertEquals(Optional.empty(), table.get(ids.get(NodeTable.BUCKET_SIZE)));

    assertTrue(table.remove(ids.get(3)));
    NodeId latest = ids.get(ids.size() - 1);
    assertEquals(NodeTable.BUCKET_SIZE, table.size());
    assertEquals(latest, table.all().get(NodeTable.BUCKET_SIZE - 1).node().id());
    assertFalse(table.remove(ids.get(3)));

    // The two oldest replacements dropped out beyond MAX_REPLACEMENTS.
    assertFalse(table.remove(ids.get(NodeTable.BUCKET_SIZE)));
    assertFalse(table.remove(ids.get(NodeTable.BUCKET_SIZE + 1)));
    for (int i = NodeTable.BUCKET_SIZE + 2; i < ids.size() - 1; i++) {
      assertTrue(table.remove(ids.get(i)), "replacement " + i);
    }
    assertTrue(table.remove(ids.get(0)));
    assertEquals(NodeTable.BUCKET_SIZE - 1, table.size(), "no replacement left to promote");
  }

  @Test
  void aSeenNodeMovesToTheBucketEndWithItsNewEndpoint() {
    NodeTable table = new NodeTable(SELF);
    List<NodeId> ids = farthestBucket(3);
    ids.forEach(id -> table.add(neighbor(id), 100));
    Neighbor moved = new Neighbor(Discv4Vectors.ip("2001:db8::1"), 1, 2, ids.get(0));
    assertEquals(NodeTable.AddResult.SEEN, table.add(moved, 200));
    assertEquals(List.of(ids.get(1), ids.get(2), ids.get(0)),
        table.all().stream().map(entry -> entry.node().id()).toList());
    assertEquals(new NodeTable.Entry(moved, 100, 200), table.get(ids.get(0)).orElseThrow());
    assertEquals(3, table.size());
  }

  @Test
  void ourOwnIdIsNeverAdded() {
    NodeTable table = new NodeTable(SELF);
    assertEquals(NodeTable.AddResult.SELF, table.add(neighbor(SELF), 1));
    assertEquals(0, table.size());
    assertFalse(table.remove(SELF));
    assertEquals(Optional.empty(), table.get(SELF));
  }

  private static byte[] xor(byte[] a, byte[] b) {
    byte[] out = new byte[a.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) (a[i] ^ b[i]);
    }
    return out;
  }
}
