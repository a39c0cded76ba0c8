package org.peermesh.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lines bench.js prints, as LiskP2p reads them. */
class LiskRoundTest {

  @Test
  void requestRoundHasRateAndPercentiles() {
    LiskRound round = LiskRound.parse(
        "{\"workload\":\"request\",\"round\":1,\"rate\":14147.05,\"p50us\":58.898,\"p99us\":154.71}");

    assertEquals(14147.05, round.rate());
    assertEquals(58.898, round.p50Micros());
    assertEquals(154.71, round.p99Micros());
  }

  @Test
  void messageRoundHasNoPercentiles() {
    LiskRound round = LiskRound.parse("{\"workload\":\"stream\",\"round\":2,\"rate\":58921}");

    assertEquals(58921, round.rate());
    assertTrue(Double.isNaN(round.p99Micros()));
  }

  @Test
  void lineThatIsNotARoundIsRefused() {
    assertThrows(IllegalStateException.class, () -> LiskRound.parse("[lisk-p2p] stream: sender connected"));
    assertThrows(IllegalStateException.class, () -> LiskRound.parse("{\"workload\":\"stream\",\"rate\":0}"));
  }
}
