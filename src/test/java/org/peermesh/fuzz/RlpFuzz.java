package org.peermesh.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import java.util.Set;
import org.peermesh.devp2p.rlp.Rlp;
import org.peermesh.devp2p.rlp.RlpException;
import org.peermesh.devp2p.rlp.RlpItem;

/**
 * devp2p's RLP reader on arbitrary bytes, the whole input as one encoding (no chunking plan: RLP is read from
 * messages already framed). The only failure allowed is an {@link RlpException} of a decoding kind.
 *
 * <p>Properties: the strict {@link Rlp#decode} accepts only the one encoding the writer produces, so an item it
 * returns re-encodes to exactly the input; the lenient {@link Rlp#decodePrefix} reads the same item as the strict
 * reader does from the bytes it says it used, and agrees with it on inputs with nothing after the item.
 */
public class RlpFuzz {

  private static final Set<String> DECODING_KINDS = Set.of("truncated", "trailing_bytes", "non_canonical", "too_deep");

  @FuzzTest(maxDuration = Fuzzing.MAX_DURATION)
  void decode(byte[] data) {
    run(data);
  }

  /** @return whether {@code data} is exactly one item */
  public static boolean run(byte[] data) {
    checkPrefix(data);
    RlpItem item;
    try {
      item = Rlp.decode(data);
    } catch (RlpException e) {
      assertTrue(DECODING_KINDS.contains(e.kind()), e::toString);
      return false;
    }
    assertArrayEquals(data, Rlp.encode(item));
    assertEquals(data.length, Rlp.decodePrefix(data, 0).length());
    return true;
  }

  private static void checkPrefix(byte[] data) {
    Rlp.Decoded prefix;
    try {
      prefix = Rlp.decodePrefix(data, 0);
    } catch (RlpException e) {
      assertTrue(DECODING_KINDS.contains(e.kind()) && !e.kind().equals("trailing_bytes"), e::toString);
      return;
    }
    byte[] used = Arrays.copyOf(data, prefix.length());
    assertArrayEquals(used, Rlp.encode(prefix.item()));
    assertEquals(prefix.item(), Rlp.decode(used));
  }
}
