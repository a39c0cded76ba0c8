package org.peermesh.devp2p.discovery;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The discv4 routing table, Kademlia as go-ethereum's {@code p2p/discover/table.go} keeps it: nodes in buckets by the
 * log distance between the Keccak-256 of their id and of ours, at most {@link #BUCKET_SIZE} per bucket, with up to
 * {@link #MAX_REPLACEMENTS} more per bucket waiting to take the place of one that goes. A node that is seen again
 * moves to the end of its bucket, so the head is always the least recently seen one, the one to check first when
 * the bucket is full: Kademlia keeps the nodes that have stayed up longest, which an attacker cannot fake by sending
 * many new ids.
 *
 * <p>One bucket per possible distance (256), where geth merges the distances up to 239 into one bucket: a node is
 * that close with probability 2^-16, so the difference is only in how sparse the array is.
 *
 * <p>Not the mesh's {@code org.peermesh.discovery.BucketTable}: that one keys entries by address, has 32-entry buckets
 * whose order is only the order of addition, and leaves the choice of bucket and of the victim to its caller; here a
 * bucket is an LRU list keyed by node id with a replacement list, and the table decides everything from the ids.
 *
 * <p>Pure: no clock (the caller passes the time), no I/O; not thread-safe, the discovery service owns it.
 */
public final class NodeTable {

  public static final int BUCKET_SIZE = 16;
  public static final int BUCKET_COUNT = 256;
  /** geth's {@code maxReplacements}. */
  public static final int MAX_REPLACEMENTS = 10;

  /** What {@link #add} did with a node. */
  public enum AddResult {
    /** It is new and in its bucket now. */
    ADDED,
    /** It was in its bucket; its endpoint and time are updated and it moved to the bucket's end. */
    SEEN,
    /** Its bucket is full: it is (now first) among the bucket's replacements. */
    REPLACEMENT,
    /** It is our own id, which the table never holds. */
    SELF
  }

  /** A node in the table, when it was added and when it was last seen (milliseconds on the caller's clock). */
  public record Entry(Neighbor node, long addedMillis, long seenMillis) {

    public Entry {
      Objects.requireNonNull(node, "node");
    }
  }

  private final NodeId self;
  private final byte[] selfHash;
  private final List<Bucket> buckets = new ArrayList<>(BUCKET_COUNT);
  private int size;

  /** An empty table around {@code self}, our own id. */
  public NodeTable(NodeId self) {
    this.self = Objects.requireNonNull(self, "self");
    this.selfHash = self.keccak();
    for (int i = 0; i < BUCKET_COUNT; i++) {
      buckets.add(new Bucket());
    }
  }

  /**
   * Records that {@code node} was seen at {@code nowMillis}: a node in the table moves to its bucket's end with the
   * endpoint given, a new one goes in if its bucket has room, else among the bucket's replacements (most recent
   * first; the oldest drops out beyond {@link #MAX_REPLACEMENTS}).
   */
  public AddResult add(Neighbor node, long nowMillis) {
    Objects.requireNonNull(node, "node");
    if (node.id().equals(self)) {
      return AddResult.SELF;
    }
    Bucket bucket = bucketOf(node.id());
    Optional<Entry> known = find(bucket.entries, node.id());
    if (known.isPresent()) {
      bucket.entries.remove(known.get());
      bucket.entries.add(new Entry(node, known.get().addedMillis(), nowMillis));
      return AddResult.SEEN;
    }
    find(bucket.replacements, node.id()).ifPresent(bucket.replacements::remove);
    Entry entry = new Entry(node, nowMillis, nowMillis);
    if (bucket.entries.size() < BUCKET_SIZE) {
      bucket.entries.add(entry);
      size++;
      return AddResult.ADDED;
    }
    bucket.replacements.add(0, entry);
    if (bucket.replacements.size() > MAX_REPLACEMENTS) {
      bucket.replacements.remove(MAX_REPLACEMENTS);
    }
    return AddResult.REPLACEMENT;
  }

  /**
   * Forgets {@code id} (it did not answer, or misbehaved). If it was in its bucket, the most recently seen
   * replacement takes its place at the bucket's end. (geth picks a random replacement; the most recent one is the
   * likeliest to be up, and keeps the table a pure function of its inputs.)
   *
   * @return whether the id was in the table or among the replacements
   */
  public boolean remove(NodeId id) {
    Objects.requireNonNull(id, "id");
    if (id.equals(self)) {
      return false;
    }
    Bucket bucket = bucketOf(id);
    Optional<Entry> replacement = find(bucket.replacements, id);
    if (replacement.isPresent()) {
      bucket.replacements.remove(replacement.get());
      return true;
    }
    Optional<Entry> entry = find(bucket.entries, id);
    if (entry.isEmpty()) {
      return false;
    }
    bucket.entries.remove(entry.get());
    if (bucket.replacements.isEmpty()) {
      size--;
    } else {
      bucket.entries.add(bucket.replacements.remove(0));
    }
    return true;
  }

  /** The table's entry for {@code id}, if it is in a bucket (replacements are not). */
  public Optional<Entry> get(NodeId id) {
    Objects.requireNonNull(id, "id");
    return id.equals(self) ? Optional.empty() : find(bucketOf(id).entries, id);
  }

  /**
   * The at most {@code count} nodes in the buckets closest to {@code target} by XOR distance of the Keccak-256
   * hashes, closest first: the answer to a FindNode, and the next hops of a lookup.
   */
  public List<Neighbor> closest(NodeId target, int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative, got " + count);
    }
    byte[] targetHash = target.keccak();
    Comparator<Neighbor> byDistance = Comparator.comparing(node -> xor(targetHash, node.id().keccak()),
        Arrays::compareUnsigned);
    return all().stream().map(Entry::node).sorted(byDistance).limit(count).toList();
  }

  /** How many nodes are in the buckets (replacements not counted). */
  public int size() {
    return size;
  }

  /** Every entry in the buckets, bucket by bucket from the closest to us, least recently seen first in each. */
  public List<Entry> all() {
    List<Entry> all = new ArrayList<>(size);
    buckets.forEach(bucket -> all.addAll(bucket.entries));
    return all;
  }

  /**
   * The log distance of two 32-byte hashes: the bit length of their XOR, 0 for equal hashes to 256 for hashes that
   * differ in the first bit. Nodes at distance d go in bucket d - 1.
   */
  public static int logDistance(byte[] hashA, byte[] hashB) {
    if (hashA.length != hashB.length) {
      throw new IllegalArgumentException("hashes of different lengths: " + hashA.length + ", " + hashB.length);
    }
    for (int i = 0; i < hashA.length; i++) {
      int difference = (hashA[i] ^ hashB[i]) & 0xFF;
      if (difference != 0) {
        return (hashA.length - i - 1) * Byte.SIZE + (Integer.SIZE - Integer.numberOfLeadingZeros(difference));
      }
    }
    return 0;
  }

  private Bucket bucketOf(NodeId id) {
    return buckets.get(logDistance(selfHash, id.keccak()) - 1);
  }

  private static Optional<Entry> find(List<Entry> entries, NodeId id) {
    return entries.stream().filter(entry -> entry.node().id().equals(id)).findFirst();
  }

  private static byte[] xor(byte[] a, byte[] b) {
    byte[] out = new byte[a.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) (a[i] ^ b[i]);
    }
    return out;
  }

  /** A bucket's nodes (least recently seen first) and its replacements (most recently seen first). */
  private static final class Bucket {
    private final List<Entry> entries = new ArrayList<>(BUCKET_SIZE);
    private final List<Entry> replacements = new ArrayList<>(MAX_REPLACEMENTS + 1);
  }
}
