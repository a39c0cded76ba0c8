package org.peermesh.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArrivalWindowTest {

  @Test
  void aMessageIsOnItsWayUntilItReachedEveryReceiver() {
    ArrivalWindow window = new ArrivalWindow(2, 2);
    assertEquals(0, window.open());
    assertEquals(1, window.open());
    assertFalse(window.hasRoom(), "two on their way");

    assertFalse(window.arrived(0), "at B, not yet at C");
    assertFalse(window.hasRoom());
    assertTrue(window.arrived(0), "at C too");
    assertTrue(window.hasRoom());
    assertEquals(2, window.open());
    assertFalse(window.hasRoom());
  }

  @Test
  void aLaterMessageThatArrivedFirstFreesNothingWhileAnEarlierOneIsOnItsWay() {
    ArrivalWindow window = new ArrivalWindow(2, 2);
    window.open();
    window.open();

    window.arrived(1);
    assertTrue(window.arrived(1));
    assertFalse(window.hasRoom(), "message 0 is still on its way, and message 2 would take its slot");

    window.arrived(0);
    window.arrived(0);
    assertEquals(2, window.open());
    assertEquals(3, window.open());
    assertFalse(window.hasRoom());
  }

  @Test
  void openingWithoutRoomIsRefused() {
    ArrivalWindow window = new ArrivalWindow(1, 1);
    window.open();

    assertThrows(IllegalStateException.class, window::open);
  }
}
