package org.peermesh.antelope.peer;

import org.junit.jupiter.api.Test;
import org.peermesh.antelope.crypto.AntelopeSignature;
import org.peermesh.antelope.peer.ChainWindow.Arrival;
import org.peermesh.antelope.wire.AntelopeName;
import org.peermesh.antelope.wire.BlockHeader;
import org.peermesh.antelope.wire.Checksum256;
import org.peermesh.antelope.wire.SignedBlock;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The node's window on the chain: linked blocks built with the wire classes, held by number and id, bounded by count
 * and bytes, cut back on a fork switch; and the transaction ids seen, bounded as an LRU.
 */
class ChainWindowTest {

  /** Big enough never to bound a test that is not about it. */
  private static final int MANY = 1_000;
  private static final long UNBOUNDED_BYTES = Long.MAX_VALUE;
  private static final int BLOCK_SIZE = 100;

  /** The parent of block 1: an id that carries number 0, as a block id carries its number in its first 4 bytes. */
  private static final Checksum256 BEFORE_GENESIS;

  static {
    byte[] id = sha256("before genesis").bytes();
    id[0] = id[1] = id[2] = id[3] = 0;
    BEFORE_GENESIS = Checksum256.of(id);
  }

  private static Checksum256 sha256(String text) {
    return Checksum256.sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  /** The child of {@code previous}; {@code producer} tells two branches' blocks at one number apart. */
  private static SignedBlock child(Checksum256 previous, String producer) {
    BlockHeader header = new BlockHeader(1_400_000_000L + previous.blockNumOfId(), AntelopeName.fromText(producer), 0,
        previous, Checksum256.ZERO, Checksum256.ZERO, 1, Optional.empty(), List.of());
    return new SignedBlock(header, AntelopeSignature.ZERO_K1, List.of(), List.of());
  }

  /** Blocks 1 to {@code length}, each linked to the one before. */
  private static List<SignedBlock> chain(int length) {
    List<SignedBlock> blocks = new ArrayList<>();
    Checksum256 previous = BEFORE_GENESIS;
    for (int n = 1; n <= length; n++) {
      SignedBlock block = child(previous, "eosio");
      blocks.add(block);
      previous = block.id();
    }
    return blocks;
  }

  /** Block {@code n} of {@code blocks}, numbered from 1 as the chain numbers them. */
  private static SignedBlock number(List<SignedBlock> blocks, int n) {
    return blocks.get(n - 1);
  }

  private static ChainWindow windowOf(int maxBlocks, long maxBytes, List<SignedBlock> blocks) {
    ChainWindow window = new ChainWindow(maxBlocks, maxBytes, MANY);
    blocks.forEach(block -> assertEquals(Arrival.NEW, window.add(block, BLOCK_SIZE)));
    return window;
  }

  @Test
  void theTestChainIsLinkedAndNumberedAsNodeosNumbersIt() {
    List<SignedBlock> blocks = chain(3);

    assertEquals(List.of(1L, 2L, 3L), blocks.stream().map(SignedBlock::blockNum).toList());
    assertEquals(number(blocks, 1).id(), number(blocks, 2).header().previous());
    assertEquals(2L, number(blocks, 2).id().blockNumOfId());
  }

  @Test
  void aBlockIsNewOnceThenKnown() {
    SignedBlock block = chain(1).get(0);
    ChainWindow window = new ChainWindow(MANY, UNBOUNDED_BYTES, MANY);

    assertFalse(window.holds(block.id()));
    assertEquals(Arrival.NEW, window.add(block, BLOCK_SIZE));
    assertEquals(Arrival.KNOWN, window.add(block, BLOCK_SIZE));
    assertTrue(window.holds(block.id()));
  }

  @Test
  void blocksAreFoundByNumberAndById() {
    List<SignedBlock> blocks = chain(5);
    ChainWindow window = windowOf(MANY, UNBOUNDED_BYTES, blocks);

    assertEquals(Optional.of(number(blocks, 3)), window.blockAt(3));
    assertEquals(Optional.empty(), window.blockAt(6));
    assertEquals(Optional.of(3L), window.numberOf(number(blocks, 3).id()));
    assertEquals(Optional.empty(), window.numberOf(sha256("no such block")));
    assertEquals(Optional.of(number(blocks, 5)), window.head());
    assertEquals(List.of(1L, 5L), window.range());
  }

  @Test
  void anEmptyWindowHasNoHeadAndNoRange() {
    ChainWindow window = new ChainWindow(MANY, UNBOUNDED_BYTES, MANY);

    assertEquals(Optional.empty(), window.head());
    assertEquals(List.of(), window.range());
    assertEquals(Optional.empty(), window.blockAt(1));
  }

  @Test
  void pastMaxBlocksTheOldestAreDropped() {
    List<SignedBlock> blocks = chain(5);
    ChainWindow window = windowOf(3, UNBOUNDED_BYTES, blocks);

    assertEquals(List.of(3L, 5L), window.range());
    assertEquals(Optional.empty(), window.blockAt(2));
    assertFalse(window.holds(number(blocks, 1).id()));
    assertEquals(Optional.empty(), window.numberOf(number(blocks, 2).id()));
    // Dropped, it is new again: the window only dedups what it holds.
    assertEquals(Arrival.NEW, window.add(number(blocks, 1), BLOCK_SIZE));
  }

  @Test
  void pastMaxBytesTheOldestAreDropped() {
    List<SignedBlock> blocks = chain(4);
    ChainWindow window = windowOf(MANY, 2 * BLOCK_SIZE + BLOCK_SIZE / 2, blocks);

    assertEquals(List.of(3L, 4L), window.range());
    assertFalse(window.holds(number(blocks, 2).id()));
  }

  @Test
  void aBlockLargerThanMaxBytesIsStillHeldAsTheHead() {
    List<SignedBlock> blocks = chain(3);
    ChainWindow window = new ChainWindow(MANY, 2 * BLOCK_SIZE, MANY);
    window.add(number(blocks, 1), BLOCK_SIZE);
    window.add(number(blocks, 2), BLOCK_SIZE);

    assertEquals(Arrival.NEW, window.add(number(blocks, 3), 10 * BLOCK_SIZE));

    // The head is what our handshake names and what the next live block must link to: it is never dropped.
    assertEquals(List.of(3L, 3L), window.range());
    assertEquals(Optional.of(number(blocks, 3)), window.head());
  }

  @Test
  void aLowerBlockSwitchesForksAndDropsTheBlocksAboveIt() {
    List<SignedBlock> blocks = chain(5);
    ChainWindow window = windowOf(MANY, UNBOUNDED_BYTES, blocks);
    SignedBlock otherThree = child(number(blocks, 2).id(), "producer.b");

    assertEquals(Arrival.NEW, window.add(otherThree, BLOCK_SIZE));

    assertEquals(List.of(1L, 3L), window.range());
    assertEquals(Optional.of(otherThree), window.head());
    assertEquals(Optional.of(otherThree), window.blockAt(3));
    for (int n = 3; n <= 5; n++) {
      assertFalse(window.holds(number(blocks, n).id()), "block " + n + " of the old branch");
    }
    assertEquals(Optional.of(number(blocks, 2)), window.blockAt(2));
  }

  @Test
  void aBlockSentAgainIsKnownAndCutsNothing() {
    List<SignedBlock> blocks = chain(5);
    ChainWindow window = windowOf(MANY, UNBOUNDED_BYTES, blocks);

    assertEquals(Arrival.KNOWN, window.add(number(blocks, 2), BLOCK_SIZE));

    assertEquals(List.of(1L, 5L), window.range());
    assertEquals(Optional.of(number(blocks, 5)), window.head());
  }

  @Test
  void theBytesOfDroppedBranchesAreFreed() {
    List<SignedBlock> blocks = chain(5);
    // Room for 3 blocks: if the fork switch kept counting the dropped blocks' bytes, the next ones would push out more.
    ChainWindow window = windowOf(MANY, 3 * BLOCK_SIZE, blocks.subList(0, 3));
    SignedBlock otherTwo = child(number(blocks, 1).id(), "producer.b");
    window.add(otherTwo, BLOCK_SIZE);
    window.add(child(otherTwo.id(), "producer.b"), BLOCK_SIZE);

    assertEquals(List.of(1L, 3L), window.range());
  }

  @Test
  void aTransactionIsFirstSeenOnceWhileRemembered() {
    ChainWindow window = new ChainWindow(MANY, UNBOUNDED_BYTES, MANY);
    Checksum256 transaction = sha256("transfer 1 EOS");

    assertTrue(window.firstSight(transaction));
    assertFalse(window.firstSight(transaction));
    assertTrue(window.firstSight(sha256("transfer 2 EOS")));
  }

  @Test
  void transactionIdsAreForgottenLeastRecentlySeenFirst() {
    ChainWindow window = new ChainWindow(MANY, UNBOUNDED_BYTES, 2);
    Checksum256 a = sha256("a");
    Checksum256 b = sha256("b");
    Checksum256 c = sha256("c");
    window.firstSight(a);
    window.firstSight(b);
    // Seen again, a is now the most recent: c pushes out b, not a.
    assertFalse(window.firstSight(a));

    assertTrue(window.firstSight(c));

    assertFalse(window.firstSight(a));
    assertTrue(window.firstSight(b));
  }
}
