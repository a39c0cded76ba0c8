package org.peermesh.fuzz;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the fuzz tests ({@code *Fuzz}, Jazzer's {@code @FuzzTest}) share: their time budget and how a fuzz input is cut
 * into the chunks a socket might deliver.
 *
 * <p>Each fuzz test takes a {@code byte[]} whose first byte is a chunking plan (see {@link #chunks}), so the fuzzer
 * explores where reads split frames as well as what the frames hold, and a seed file is the plan byte followed by
 * ordinary wire bytes. The seeds live in {@code src/test/resources/<package>/<Class>Inputs/<method>/} and are written
 * by {@link FuzzSeeds}.
 */
public final class Fuzzing {

  /**
   * How long each fuzz test fuzzes in {@code mvn verify} (the surefire execution "fuzz", one JVM per class). Without
   * {@code JAZZER_FUZZ} a fuzz test only runs its seeds, in milliseconds.
   */
  public static final String MAX_DURATION = "4s";

  private Fuzzing() {
  }

  /**
   * {@code data[from..]} as chunks: all in one for plan 0, else chunks of 0 to {@code plan} bytes (an empty read
   * included) whose sizes follow a generator seeded by the plan, so plan 1 is mostly one-byte reads. Each chunk is a
   * buffer of its own.
   */
  public static List<Buffer> chunks(byte[] data, int from, int plan) {
    List<Buffer> chunks = new ArrayList<>();
    if (plan == 0) {
      chunks.add(Buffer.buffer(Arrays.copyOfRange(data, from, data.length)));
      return chunks;
    }
    int state = plan;
    for (int position = from; position < data.length; ) {
      state = state * 1103515245 + 12345;
      int end = Math.min(data.length, position + (state >>> 16) % (plan + 1));
      chunks.add(Buffer.buffer(Arrays.copyOfRange(data, position, end)));
      position = end;
    }
    return chunks;
  }
}
