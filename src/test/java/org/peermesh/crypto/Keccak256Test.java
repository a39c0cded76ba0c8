package org.peermesh.crypto;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Keccak-256 with the original padding. The digests of "", "abc" and the quick brown fox are the Keccak team's
 * published ones for Keccak[r=1088, c=512] (also go-ethereum crypto's and Solidity's keccak256): SHA3-256 would give
 * a7ffc6f8..., 3a985da7... and 69070dda... instead.
 */
class Keccak256Test {

  private static final HexFormat HEX = HexFormat.of();

  private static final String EMPTY = "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470";
  private static final String ABC = "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45";
  private static final String FOX = "4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15";

  @Test
  void hashesThePublishedVectors() {
    assertEquals(EMPTY, HEX.formatHex(Keccak256.hash()));
    assertEquals(EMPTY, HEX.formatHex(Keccak256.hash(new byte[0])));
    assertEquals(ABC, HEX.formatHex(Keccak256.hash(utf8("abc"))));
    assertEquals(FOX, HEX.formatHex(Keccak256.hash(utf8("The quick brown fox jumps over the lazy dog"))));
  }

  @Test
  void hashesTheConcatenationOfItsParts() {
    assertEquals(ABC, HEX.formatHex(Keccak256.hash(utf8("a"), new byte[0], utf8("bc"))));
  }

  @Test
  void hashesInputsLongerThanOneBlock() {
    byte[] long1000 = new byte[1000];
    for (int i = 0; i < long1000.length; i++) {
      long1000[i] = (byte) i;
    }
    Keccak256.Running running = new Keccak256.Running();
    for (int offset = 0; offset < long1000.length; offset += 7) {
      running.update(long1000, offset, Math.min(7, long1000.length - offset));
    }
    assertArrayEquals(Keccak256.hash(long1000), running.digest());
  }

  @Test
  void aRunningDigestDoesNotEndTheState() {
    Keccak256.Running running = new Keccak256.Running();
    assertEquals(EMPTY, HEX.formatHex(running.digest()));
    running.update(utf8("ab"));
    running.digest();
    assertArrayEquals(running.digest(), Keccak256.hash(utf8("ab")));
    assertEquals(ABC, HEX.formatHex(running.update(utf8("c")).digest()));
  }

  @Test
  void aCopyGoesOnOnItsOwn() {
    Keccak256.Running original = new Keccak256.Running().update(utf8("ab"));
    Keccak256.Running copy = original.copy();
    copy.update(utf8("c"));
    assertArrayEquals(Keccak256.hash(utf8("ab")), original.digest());
    assertEquals(ABC, HEX.formatHex(copy.digest()));
    original.update(utf8("x"));
    assertEquals(ABC, HEX.formatHex(copy.digest()));
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
