package org.peermesh.bitcoin.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.peermesh.json.JsonFields;

/**
 * BIP152: the sender supports compact blocks of {@code version}, and with {@code announce} asks for
 * new blocks to be pushed as {@code cmpctblock} without an announcement first.
 *
 * <pre>
 * announce bool | version u64
 * </pre>
 *
 * JSON: {@code {"announce": boolean, "version": n}}.
 *
 * @param version the compact block version (1, or 2 with witnesses), u64 bit for bit
 */
public record SendCmpctMessage(boolean announce, long version) implements BitcoinMessage {

  public static final String COMMAND = "sendcmpct";

  /** Reads announce as Core reads a bool: any non-zero byte is true. */
  public static SendCmpctMessage decode(Buffer payload) {
    return PayloadReader.decode(COMMAND, payload, in -> new SendCmpctMessage(in.bool("announce"), in.int64("version")));
  }

  public static SendCmpctMessage fromJson(JsonObject json) {
    JsonFields in = JsonFields.of(json);
    return new SendCmpctMessage(in.bool("announce"), in.u64("version"));
  }

  @Override
  public String command() {
    return COMMAND;
  }

  @Override
  public Buffer payload() {
    return new PayloadWriter(9).bool(announce).int64(version).buffer();
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("announce", announce).put("version", BitcoinJson.unsignedNumber(version));
  }
}
