package org.peermesh.bench;

import io.vertx.core.json.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SendStampTest {

  @Test
  void aMessageIsAsLongAsThePayloadOnTheWireAndCarriesItsSendTimeAndNumber() {
    long before = System.nanoTime();
    String message = new SendStamp(100).next(42);
    long after = System.nanoTime();

    assertEquals(100, Json.encode(message).getBytes(StandardCharsets.UTF_8).length);
    long sentAt = SendStamp.sentAt(message);
    assertTrue(sentAt >= before && sentAt <= after, message);
    assertEquals(42, SendStamp.number(message));
  }

  @Test
  void aPayloadShorterThanTheStampIsTheStampAlone() {
    String message = new SendStamp(2).next(7);

    assertEquals(SendStamp.sentAt(message) + " 7", message);
    assertEquals(7, SendStamp.number(message));
  }
}
