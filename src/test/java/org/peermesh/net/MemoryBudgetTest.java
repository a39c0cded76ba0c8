package org.peermesh.net;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The node-wide memory budget's arithmetic: free bytes, steps, refusals, fair shares and giving back. */
class MemoryBudgetTest {

  private static final int STEP = MemoryBudget.FREE_BYTES;

  @Test
  void smallHoldingsAreFreeAndLargeOnesTakeWholeSteps() {
    MemoryBudget budget = new MemoryBudget(10L * STEP);
    MemoryBudget.Account account = budget.open();
    assertTrue(account.reserveReading(STEP));
    assertEquals(0, budget.taken(), "up to a step is free");
    assertTrue(account.reserveReading(STEP + 1));
    assertEquals(2L * STEP, budget.taken());
    assertTrue(account.holdWriting(3L * STEP - 5));
    assertEquals(5L * STEP, budget.taken());
    assertTrue(account.reserveReading(0));
    assertEquals(3L * STEP, budget.taken(), "a whole frame gives its bytes back");
    account.close();
    assertEquals(0, budget.taken());
  }

  @Test
  void aReaderIsRefusedWhenTheBudgetHasNoRoomAndWokenWhenBytesComeBack() {
    MemoryBudget budget = new MemoryBudget(4L * STEP);
    MemoryBudget.Account first = budget.open();
    MemoryBudget.Account second = budget.open();
    assertTrue(first.reserveReading(4L * STEP));
    assertTrue(budget.exhausted());
    assertFalse(second.reserveReading(2L * STEP), "reading takes no more than the budget holds");
    assertEquals(0, second.held());
    boolean[] woken = {false};
    second.awaitRoom(Runnable::run, () -> woken[0] = true);
    assertFalse(woken[0]);
    first.reserveReading(0);
    assertTrue(woken[0]);
    assertTrue(second.reserveReading(2L * STEP));
  }

  @Test
  void aWriterWithinItsFairShareIsNotStarvedAndOneBeyondItIsRefused() {
    MemoryBudget budget = new MemoryBudget(8L * STEP);
    MemoryBudget.Account greedy = budget.open();
    MemoryBudget.Account modest = budget.open();
    assertTrue(greedy.holdWriting(8L * STEP));
    assertTrue(budget.exhausted());
    // Two holders: a fair share is half the budget. The modest one takes its bytes past the limit ...
    assertTrue(modest.hasRoomFor(0, 2L * STEP));
    assertTrue(modest.holdWriting(2L * STEP));
    assertEquals(10L * STEP, budget.taken());
    // ... the greedy one, holding all of it, may take nothing more: it is the one to cut.
    assertFalse(greedy.hasRoomFor(8L * STEP, STEP));
    assertFalse(greedy.holdWriting(9L * STEP));
    assertEquals(8L * STEP, greedy.held(), "a refusal takes nothing");
    assertFalse(modest.holdWaiting(4L * STEP), "beyond its share, the modest one is refused too");
    greedy.close();
    modest.close();
    assertEquals(0, budget.taken());
  }
}
