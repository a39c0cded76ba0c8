package org.peermesh.node;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checks shared by the option tests: how a wrong configuration is refused. */
final class OptionsAssertions {

  private OptionsAssertions() {
  }

  /** The message of the IllegalArgumentException that {@code executable} must throw. */
  static String refusal(Executable executable) {
    return assertThrows(IllegalArgumentException.class, executable).getMessage();
  }

  /** Why {@code json} is refused as a node configuration. */
  static String refusal(JsonObject json) {
    return refusal(() -> new NodeOptions(json));
  }

  static void assertContains(String message, String expected) {
    assertTrue(message.contains(expected), () -> "expected <" + expected + "> in <" + message + ">");
  }
}
