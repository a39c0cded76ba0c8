package org.peermesh.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SendStampTest {

  @Test
  void aMessageIsAsLongAsThePayloadAndCarriesItsSendTime() {
    long before = System.nanoTime();
    String message = new SendStamp(100).next();
    long after = System.nanoTime();

    assertEquals(100, message.length());
    long sentAt = SendStamp.sentAt(message);
    assertTrue(sentAt >= before && sentAt <= after, message);
  }

  @Test
  void aPayloadShorterThanTheTimeIsTheTimeAlone() {
    String message = new SendStamp(1).next();

    assertEquals(Long.toString(SendStamp.sentAt(message)), message);
  }
}
