package org.peermesh.bitcoin.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;
import org.peermesh.json.JsonFields;

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
final class BlockLocator {

  /** Core's MAX_LOCATOR_SZ. */
  static final int MAX_HASHES = 101;

  /** A {@link LocatorMessage}'s constructor. */
  interface Constructor<T extends LocatorMessage> {
    T of(long version, List<Sha256Hash> locator, Sha256Hash hashStop);
  }

  private BlockLocator() {
  }

  /** Checks the fields for a message's constructor; returns the locator, copied. */
  static List<Sha256Hash> checked(long version, List<Sha256Hash> locator, Sha256Hash hashStop) {
    Fields.requireU32(version, "version");
    List<Sha256Hash> copy = Fields.copyOfAtMost(locator, MAX_HASHES, "locator");
    Objects.requireNonNull(hashStop, "hashStop");
    return copy;
  }

  static <T extends LocatorMessage> T decode(String command, Buffer payload, Constructor<T> message) {
    return PayloadReader.decode(command, payload, in -> {
      long version = in.u32("version");
      List<Sha256Hash> locator = in.list("locator", MAX_HASHES, Sha256Hash.LENGTH, PayloadReader::hash);
      return message.of(version, locator, in.hash("hashStop"));
    });
  }

  static Buffer payload(long version, List<Sha256Hash> locator, Sha256Hash hashStop) {
    PayloadWriter out = new PayloadWriter(4 + CompactSize.encodedLength(locator.size())
        + (locator.size() + 1) * Sha256Hash.LENGTH);
    return out.u32(version).list(locator, Sha256Hash::writeTo).hash(hashStop).buffer();
  }

  static <T extends LocatorMessage> T fromJson(JsonObject json, Constructor<T> message) {
    JsonFields in = JsonFields.of(json);
    return message.of(in.u32("version"), in.strings("locator", Sha256Hash::fromHex),
        in.parsed("hashStop", BitcoinJson.HASH));
  }

  static JsonObject toJson(long version, List<Sha256Hash> locator, Sha256Hash hashStop) {
    return new JsonObject()
        .put("version", version)
        .put("locator", JsonFields.arrayOf(locator, Sha256Hash::toString))
        .put("hashStop", hashStop.toString());
  }
}
