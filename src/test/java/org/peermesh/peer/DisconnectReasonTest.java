package org.peermesh.peer;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DisconnectReasonTest {

  @Test
  void fromCodeFindsEachReason() {
    for (DisconnectReason reason : DisconnectReason.values()) {
      assertEquals(Optional.of(reason), DisconnectReason.fromCode(reason.code()));
    }
    assertEquals(1000, DisconnectReason.NORMAL.code());
    assertEquals("intentional disconnect", DisconnectReason.NORMAL.description());
  }

  @Test
  void codesAreDistinctU16Values() {
    assertEquals(DisconnectReason.values().length,
        Arrays.stream(DisconnectReason.values()).mapToInt(DisconnectReason::code).distinct().count());
    assertTrue(Arrays.stream(DisconnectReason.values()).allMatch(r -> r.code() >= 0 && r.code() <= 0xFFFF));
  }

  @Test
  void unknownCodeIsEmpty() {
    assertEquals(Optional.empty(), DisconnectReason.fromCode(4999));
    assertEquals(Optional.empty(), DisconnectReason.fromCode(0));
  }

  @Test
  void everyReasonIsDocumented() throws IOException {
    String doc = Files.readString(Path.of("docs/wire-protocol.md"), StandardCharsets.UTF_8);
    for (DisconnectReason reason : DisconnectReason.values()) {
      String row = "| " + reason.code() + " | `" + reason.name() + "`";
      assertTrue(doc.contains(row), "docs/wire-protocol.md lacks the row " + row);
    }
  }
}
