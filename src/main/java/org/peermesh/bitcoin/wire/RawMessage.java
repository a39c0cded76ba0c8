package org.peermesh.bitcoin.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.Objects;
import org.peermesh.json.JsonFields;

/**
 * A message whose command this codec does not know ({@code cmpctblock}, {@code filterload}, a
 * newer BIP's...): kept as its bytes, so the node can log, forward or ignore it rather than drop
 * it unseen. JSON: {@code {"payload": hex}}.
 */
public final class RawMessage implements BitcoinMessage {

  private final String command;
  private final byte[] payload;

  /**
   * @param command 1..12 printable ASCII characters
   * @param payload copied
   */
  public RawMessage(String command, Buffer payload) {
    BitcoinFrames.requireValidCommand(command);
    this.command = command;
    this.payload = Objects.requireNonNull(payload, "payload").getBytes();
  }

  public static RawMessage fromJson(String command, JsonObject json) {
    return new RawMessage(command, Buffer.buffer(JsonFields.of(json).hex("payload")));
  }

  @Override
  public String command() {
    return command;
  }

  @Override
  public Buffer payload() {
    return Buffer.buffer(payload); // copies: Vert.x 5's BufferImpl(byte[]) writes the bytes into a buffer of its own
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("payload", JsonFields.hex(payload));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RawMessage that && command.equals(that.command) && Arrays.equals(payload, that.payload);
  }

  @Override
  public int hashCode() {
    return 31 * command.hashCode() + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return command + toJson().encode();
  }
}
