package org.peermesh.mesh.wire;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Constructor rules, defensive copies and value semantics of the message classes. */
class WireMessageTest {

  private static final byte[] KEY = WireVectorsTest.KEY_A;
  private static final byte[] NONCE = WireVectorsTest.NONCE_A;
  private static final byte[] SIGNATURE = WireVectorsTest.SIGNATURE;
  private static final JsonPayload OBJECT = JsonPayload.of(new JsonObject().put("a", 1));

  @Test
  void helloValidatesItsFields() {
    rejects(() -> new Hello("n", "1.0", new byte[32], NONCE, 1));
    rejects(() -> new Hello("n", "1.0", new byte[34], NONCE, 1));
    rejects(() -> new Hello("n", "1.0", KEY, new byte[31], 1));
    rejects(() -> new Hello("n", "1.0", KEY, NONCE, -1));
    rejects(() -> new Hello("n", "1.0", KEY, NONCE, 65536));
    rejects(() -> new Hello("é".repeat(128), "1.0", KEY, NONCE, 1)); // 128 characters, 256 bytes
    rejects(() -> new Hello("n", "1".repeat(33), KEY, NONCE, 1));
    rejects(() -> new Hello("\ud800", "1.0", KEY, NONCE, 1)); // no UTF-8 encoding
    assertThrows(NullPointerException.class, () -> new Hello("n", "1.0", null, NONCE, 1));
    assertThrows(NullPointerException.class, () -> new Hello(null, "1.0", KEY, NONCE, 1));
  }

  @Test
  void helloCopiesItsArraysAndComparesThemByValue() {
    byte[] key = KEY.clone();
    Hello hello = new Hello("n", "1.0", key, NONCE.clone(), 1);
    key[0] = 0;
    hello.publicKey()[1] = 0;
    hello.nonce()[0] = 0;

    Hello same = new Hello("n", "1.0", KEY.clone(), NONCE.clone(), 1);
    assertArrayEquals(KEY, hello.publicKey());
    assertArrayEquals(NONCE, hello.nonce());
    assertEquals(same, hello);
    assertEquals(same.hashCode(), hello.hashCode());
    assertNotEquals(new Hello("n", "1.0", KEY, NONCE, 2), hello);
    assertTrue(hello.toString().contains("publicKey=020102"), hello.toString());
  }

  @Test
  void authValidatesCopiesAndCompares() {
    rejects(() -> new Auth(new byte[63], OBJECT));
    rejects(() -> new Auth(SIGNATURE, JsonPayload.of(new JsonArray())));
    rejects(() -> new Auth(SIGNATURE, JsonPayload.of(null)));

    byte[] signature = SIGNATURE.clone();
    Auth auth = new Auth(signature, OBJECT);
    signature[0] = 9;
    auth.signature()[1] = 9;
    assertArrayEquals(SIGNATURE, auth.signature());
    assertEquals(new Auth(SIGNATURE.clone(), JsonPayload.of(new JsonObject().put("a", 1))), auth);
    assertEquals(new Auth(SIGNATURE.clone(), OBJECT).hashCode(), auth.hashCode());
    assertTrue(auth.toString().contains("000102"), auth.toString());
  }

  @Test
  void disconnectValidatesItsFields() {
    rejects(() -> new Disconnect(-1, ""));
    rejects(() -> new Disconnect(65536, ""));
    rejects(() -> new Disconnect(1000, "r".repeat(1025)));
  }

  @Test
  void appMessageAndRequestNeedANameOfOneTo255Bytes() {
    rejects(() -> new AppMessage("", OBJECT));
    rejects(() -> new AppMessage("e".repeat(256), OBJECT));
    rejects(() -> new Request(1, "", OBJECT));
    rejects(() -> new Request(1, "p".repeat(256), OBJECT));
    assertThrows(NullPointerException.class, () -> new AppMessage("e", null));
    assertThrows(NullPointerException.class, () -> new Request(1, "p", null));
  }

  @Test
  void responseHoldsDataOrErrorNeverBoth() {
    rejects(() -> Response.failure(1, 0, "no"));
    rejects(() -> Response.failure(1, 65536, "no"));
    rejects(() -> Response.failure(1, 1, "e".repeat(4097)));
    rejects(() -> new Response(1, 0, OBJECT, "error"));
    rejects(() -> new Response(1, 1, OBJECT, "error"));
    assertThrows(NullPointerException.class, () -> Response.success(1, null));
    assertThrows(NullPointerException.class, () -> Response.failure(1, 1, null));
  }

  @Test
  void nodeInfoUpdateNeedsAnObject() {
    rejects(() -> new NodeInfoUpdate(JsonPayload.of("x")));
  }

  private static void rejects(Executable construction) {
    assertThrows(IllegalArgumentException.class, construction);
  }
}
