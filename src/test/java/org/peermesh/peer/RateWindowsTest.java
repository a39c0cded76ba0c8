package org.peermesh.peer;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** RateWindow and SlidingWindow on explicit instants: pure arithmetic, no clock. */
class RateWindowsTest {

  private static long ms(long millis) {
    return TimeUnit.MILLISECONDS.toNanos(millis);
  }

  @Test
  void aRateWindowReportsABurstWholeWhenTheNextWindowStarts() {
    RateWindow window = new RateWindow(1000);
    assertEquals(0, window.count(ms(10_000)));
    for (int i = 1; i < 250; i++) {
      assertEquals(-1, window.count(ms(10_000 + i)));
    }
    // A long silence after the burst: the burst is still judged as one window of 250.
    assertEquals(250, window.count(ms(60_000)));
    assertEquals(-1, window.count(ms(60_999)));
    assertEquals(2, window.count(ms(61_000)));
  }

  @Test
  void aRateWindowCountsAcrossNegativeInstants() {
    RateWindow window = new RateWindow(1000);
    assertEquals(0, window.count(ms(-1500)));
    assertEquals(-1, window.count(ms(-1001)));
    assertEquals(2, window.count(ms(-1000)));
    assertThrows(IllegalArgumentException.class, () -> new RateWindow(0));
  }

  @Test
  void aSlidingWindowHoldsTheEventsOfItsLastLength() {
    SlidingWindow window = new SlidingWindow(10_000);
    assertEquals(0, window.nanosUntilRoom(ms(0)));
    assertEquals(1, window.record(ms(0)));
    assertEquals(2, window.record(ms(4_000)));
    assertEquals(3, window.record(ms(9_999)));
    assertEquals(ms(1), window.nanosUntilRoom(ms(9_999)));
    assertEquals(2, window.count(ms(10_000)));
    assertEquals(ms(4_000), window.nanosUntilRoom(ms(10_000)));
    assertEquals(0, window.count(ms(30_000)));
  }
}
