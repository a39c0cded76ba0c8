package org.peermesh.peer;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackoffTest {

  /** Each wait is its nominal delay jittered by ±20%. */
  private static void assertAround(long nominal, long actual) {
    assertTrue(actual >= nominal * 0.8 && actual <= nominal * 1.2, actual + " is not " + nominal + " ± 20%");
  }

  @Test
  void theWaitDoublesPerFailureUpToTheMaximumAndStartsOverOnceAConnectionGotThrough() {
    Backoff backoff = new Backoff(1_000, 60_000);
    long[] nominal = {2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000};
    for (long expected : nominal) {
      assertAround(expected, backoff.closed(false));
    }
    assertAround(1_000, backoff.closed(true));
    assertAround(2_000, backoff.closed(false));
  }

  @Test
  void manyFailuresNeverOverflowTheWait() {
    Backoff backoff = new Backoff(5_000, 320_000);
    for (int i = 0; i < 100; i++) {
      assertAround(i < 6 ? 5_000L << (i + 1) : 320_000, backoff.closed(false));
    }
  }

  @Test
  void anAddressMayBeDialedOnlyOnceItsWaitIsOver() {
    Backoff backoff = new Backoff(1_000, 60_000);
    long now = System.nanoTime();
    assertTrue(backoff.elapsed(now), "never closed: no wait");
    backoff.closed(false);
    assertFalse(backoff.elapsed(System.nanoTime()));
    assertTrue(backoff.elapsed(System.nanoTime() + 3_000_000_000L));
  }

  @Test
  void aBackOffNeedsAPositiveMinimumBelowItsMaximum() {
    assertThrows(IllegalArgumentException.class, () -> new Backoff(0, 1_000));
    assertThrows(IllegalArgumentException.class, () -> new Backoff(2_000, 1_000));
  }
}
