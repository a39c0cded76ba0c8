package org.peermesh.testing;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.function.Executable;
import org.peermesh.node.NodeOptions;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checks shared by the config tests: how a wrong configuration is refused. */
public final class ConfigAssertions {

  private ConfigAssertions() {
  }

  /** The message of the IllegalArgumentException that {@code executable} must throw. */
  public static String refusal(Executable executable) {
    return assertThrows(IllegalArgumentException.class, executable).getMessage();
  }

  /** Why {@code json} is refused as a node configuration. */
  public static String refusal(JsonObject json) {
    return refusal(() -> new NodeOptions(json));
  }

  public static void assertContains(String message, String expected) {
    assertTrue(message.contains(expected), () -> "expected <" + expected + "> in <" + message + ">");
  }
}
