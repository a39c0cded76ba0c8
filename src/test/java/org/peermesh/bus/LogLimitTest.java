package org.peermesh.bus;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LogLimitTest {

  private final AtomicLong now = new AtomicLong(1_000);
  private final LogLimit limit = new LogLimit(2, 100, now::get);

  @Test
  void letsItsLinesThroughPerWindowAndTheNextLineCountsTheOthers() {
    assertEquals(0, limit.admit());
    assertEquals(0, limit.admit());
    assertEquals(-1, limit.admit());
    now.addAndGet(99);
    assertEquals(-1, limit.admit());

    now.addAndGet(1);

    assertEquals(2, limit.admit());
    assertEquals(0, limit.admit());
    assertEquals(-1, limit.admit());
  }
}
