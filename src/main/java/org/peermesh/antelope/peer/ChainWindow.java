package org.peermesh.antelope.peer;

import org.peermesh.antelope.wire.Checksum256;
import org.peermesh.antelope.wire.SignedBlock;
import org.peermesh.storage.LruMap;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the node holds of the chain, shared by all its Antelope peers: a bounded window of the most recent blocks, by
 * number on the branch last extended and by id, and the ids of recent transactions. It decides what is new, so that
 * each block and transaction is published and relayed once whichever peers send it, and it serves sync requests.
 *
 * <p>Peers run on several event loops, hence one lock; every operation is a few map steps under it.
 */
final class ChainWindow {

  /** A block's fate on arrival. */
  enum Arrival {
    /** Not seen before: held, to be published and relayed. */
    NEW,
    /** Held already: another peer, or this one, sent it before. */
    KNOWN
  }

  private final int maxBlocks;
  private final long maxBytes;
  private final NavigableMap<Long, Held> byNumber = new TreeMap<>();
  private final Map<Checksum256, Held> byId = new HashMap<>();
  private final Map<Checksum256, Boolean> transactions;
  private long bytesHeld;

  private record Held(SignedBlock block, long size) {
  }

  /**
   * @param maxBlocks       the most blocks held
   * @param maxBytes        the most bytes of blocks held, as they came on the wire
   * @param maxTransactions the most transaction ids remembered
   */
  ChainWindow(int maxBlocks, long maxBytes, int maxTransactions) {
    this.maxBlocks = maxBlocks;
    this.maxBytes = maxBytes;
    this.transactions = new LruMap<>(maxTransactions);
  }

  /**
   * Takes {@code block} ({@code size} bytes on the wire). A new block becomes the branch's block at its number,
   * dropping any held above it: a peer that sends a lower block has switched forks, and the blocks above on the old
   * branch are no longer the chain.
   */
  synchronized Arrival add(SignedBlock block, long size) {
    Checksum256 id = block.id();
    if (byId.containsKey(id)) {
      return Arrival.KNOWN;
    }
    long number = block.blockNum();
    Held held = new Held(block, size);
    while (!byNumber.isEmpty() && byNumber.lastKey() >= number) {
      forget(byNumber.pollLastEntry().getValue());
    }
    byNumber.put(number, held);
    byId.put(id, held);
    bytesHeld += size;
    while (byNumber.size() > maxBlocks || bytesHeld > maxBytes && byNumber.size() > 1) {
      forget(byNumber.pollFirstEntry().getValue());
    }
    return Arrival.NEW;
  }

  /** Whether the transaction is seen for the first time: then it is remembered, and published and relayed once. */
  synchronized boolean firstSight(Checksum256 transactionId) {
    return transactions.put(transactionId, Boolean.TRUE) == null;
  }

  synchronized boolean holds(Checksum256 blockId) {
    return byId.containsKey(blockId);
  }

  /** The block at {@code number} on the branch held, if the window holds it. */
  synchronized Optional<SignedBlock> blockAt(long number) {
    Held held = byNumber.get(number);
    return held == null ? Optional.empty() : Optional.of(held.block());
  }

  /** The number of the block held with {@code id}, if any. */
  synchronized Optional<Long> numberOf(Checksum256 id) {
    Held held = byId.get(id);
    return held == null ? Optional.empty() : Optional.of(held.block().blockNum());
  }

  /** The newest block held, if any. */
  synchronized Optional<SignedBlock> head() {
    return byNumber.isEmpty() ? Optional.empty() : Optional.of(byNumber.lastEntry().getValue().block());
  }

  /** The numbers held, oldest first, for the peers command. */
  synchronized List<Long> range() {
    return byNumber.isEmpty() ? List.of() : List.of(byNumber.firstKey(), byNumber.lastKey());
  }

  private void forget(Held held) {
    byId.remove(held.block().id());
    byNumber.remove(held.block().blockNum(), held);
    bytesHeld -= held.size();
  }
}
