package org.peermesh.bitcoin.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;

/**
 * The payload {@code getheaders} and {@code getblocks} share: a block locator (hashes from the
 * sender's tip back towards genesis, at most {@link #MAX_HASHES}) and the hash to stop at.
 *
 * <pre>
 * version u32 | count CompactSize | count x hash 32 bytes | hashStop 32 bytes
 * </pre>
 *
 * JSON: {@code {"version": n, "locator": [display hex, ...], "hashStop": display hex}}.
 */
record BlockLocator(long version, List<Sha256Hash> locator, Sha256Hash hashStop) {

  /** Core's MAX_LOCATOR_SZ. */
  static final int MAX_HASHES = 101;

  BlockLocator {
    Fields.requireU32(version, "version");
    locator = Fields.copyOfAtMost(locator, MAX_HASHES, "locator");
    Objects.requireNonNull(hashStop, "hashStop");
  }

  static BlockLocator decode(String command, Buffer payload) {
    return PayloadReader.decode(command, payload, in -> {
      long version = in.u32("version");
      List<Sha256Hash> locator = in.list("locator", MAX_HASHES, Sha256Hash.LENGTH, PayloadReader::hash);
      return new BlockLocator(version, locator, in.hash("hashStop"));
    });
  }

  Buffer payload() {
    PayloadWriter out = new PayloadWriter(4 + CompactSize.encodedLength(locator.size())
        + (locator.size() + 1) * Sha256Hash.LENGTH);
    return out.u32(version).list(locator, Sha256Hash::writeTo).hash(hashStop).buffer();
  }

  static BlockLocator fromJson(JsonObject json) {
    JsonReader in = JsonReader.of(json);
    return new BlockLocator(in.u32("version"), in.strings("locator", Sha256Hash::fromHex), in.hash("hashStop"));
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("version", version)
        .put("locator", JsonReader.arrayOf(locator, Sha256Hash::toString))
        .put("hashStop", hashStop.toString());
  }
}
