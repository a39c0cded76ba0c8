package org.peermesh.discovery;

import org.peermesh.net.PeerAddress;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One table of the peer book: a fixed number of buckets of at most {@link PeerBook#BUCKET_SIZE} entries, each
 * address at most once. Which bucket an entry belongs in is the caller's decision; not thread-safe, the book locks.
 */
final class BucketTable {

  private final List<List<PeerAddress>> buckets;
  private final Map<PeerAddress, PeerBookEntry> entries = new HashMap<>();
  private final Map<PeerAddress, Integer> bucketOf = new HashMap<>();

  BucketTable(int bucketCount) {
    buckets = new ArrayList<>(bucketCount);
    for (int i = 0; i < bucketCount; i++) {
      buckets.add(new ArrayList<>(PeerBook.BUCKET_SIZE));
    }
  }

  boolean contains(PeerAddress address) {
    return entries.containsKey(address);
  }

  /** The entry for {@code address}, or null. */
  PeerBookEntry get(PeerAddress address) {
    return entries.get(address);
  }

  boolean isFull(int bucket) {
    return buckets.get(bucket).size() >= PeerBook.BUCKET_SIZE;
  }

  /** The entries of {@code bucket}, in the order they were added. */
  List<PeerBookEntry> bucket(int bucket) {
    return buckets.get(bucket).stream().map(entries::get).toList();
  }

  /** Adds an entry for an address not in the table to a bucket that is not full. */
  void add(int bucket, PeerBookEntry entry) {
    PeerAddress address = entry.address();
    if (entries.containsKey(address)) {
      throw new IllegalStateException(address + " is already in the table");
    }
    if (isFull(bucket)) {
      throw new IllegalStateException("bucket " + bucket + " is full");
    }
    buckets.get(bucket).add(address);
    entries.put(address, entry);
    bucketOf.put(address, bucket);
  }

  /** Replaces the entry of an address in the table, in the same bucket. */
  void update(PeerBookEntry entry) {
    if (entries.replace(entry.address(), entry) == null) {
      throw new IllegalStateException(entry.address() + " is not in the table");
    }
  }

  /** Removes and returns the entry for {@code address}, or returns null. */
  PeerBookEntry remove(PeerAddress address) {
    PeerBookEntry entry = entries.remove(address);
    if (entry != null) {
      buckets.get(bucketOf.remove(address)).remove(address);
    }
    return entry;
  }

  int size() {
    return entries.size();
  }

  int occupiedBuckets() {
    return (int) buckets.stream().filter(bucket -> !bucket.isEmpty()).count();
  }

  /** Every entry, bucket by bucket, so that a seeded random choice among them is reproducible. */
  List<PeerBookEntry> entries() {
    List<PeerBookEntry> all = new ArrayList<>(entries.size());
    for (List<PeerAddress> bucket : buckets) {
      for (PeerAddress address : bucket) {
        all.add(entries.get(address));
      }
    }
    return all;
  }
}
