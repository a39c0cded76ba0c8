package org.peermesh.bitcoin.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.peermesh.json.JsonFields;

/**
 * BIP61 (removed from Core in 0.20, still sent by other nodes): why the peer refused a message.
 *
 * <pre>
 * message CompactSize-length UTF-8 (max 12 bytes) | code u8 | reason CompactSize-length UTF-8 (max 111 bytes) | data
 * </pre>
 *
 * {@code data} is the rest of the payload: the 32-byte hash of the refused block or transaction
 * when {@code message} is {@code block} or {@code tx}, else usually nothing; it is kept whatever
 * it is. JSON: {@code {"message", "code", "reason", "data": hex}}.
 */
public final class RejectMessage implements BitcoinMessage {

  public static final String COMMAND = "reject";

  /** Core's MAX_REJECT_MESSAGE_LENGTH, the limit on reason. */
  public static final int MAX_REASON_BYTES = 111;

  private final String message;
  private final int code;
  private final String reason;
  private final byte[] data;

  /**
   * @param message the refused message's command, at most 12 bytes
   * @param code BIP61 code (0x01 malformed, 0x10 invalid, 0x40 nonstandard, ...), u8
   * @param data copied; empty for none
   */
  public RejectMessage(String message, int code, String reason, byte[] data) {
    this(message, code, reason, data, true);
  }

  /** @param copy false to take {@code data} as it is: the decoder's fresh array, which nobody else holds */
  private RejectMessage(String message, int code, String reason, byte[] data, boolean copy) {
    this.message = Fields.requireUtf8AtMost(message, BitcoinFrames.COMMAND_SIZE, "message");
    this.code = Fields.requireU8(code, "code");
    this.reason = Fields.requireUtf8AtMost(reason, MAX_REASON_BYTES, "reason");
    Objects.requireNonNull(data, "data");
    this.data = copy ? data.clone() : data;
  }

  public static RejectMessage decode(Buffer payload) {
    return PayloadReader.decode(COMMAND, payload, in -> new RejectMessage(
        in.varString("message", BitcoinFrames.COMMAND_SIZE),
        in.u8("code"),
        in.varString("reason", MAX_REASON_BYTES),
        in.bytes(in.remaining(), "data"),
        false));
  }

  public static RejectMessage fromJson(JsonObject json) {
    JsonFields in = JsonFields.of(json);
    return new RejectMessage(in.string("message"), in.u8("code"), in.string("reason"), in.hex("data"));
  }

  @Override
  public String command() {
    return COMMAND;
  }

  @Override
  public Buffer payload() {
    return new PayloadWriter().varString(message).u8(code).varString(reason).bytes(data).buffer();
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject()
        .put("message", message)
        .put("code", code)
        .put("reason", reason)
        .put("data", JsonFields.hex(data));
  }

  public String message() {
    return message;
  }

  public int code() {
    return code;
  }

  public String reason() {
    return reason;
  }

  /** A copy. */
  public byte[] data() {
    return data.clone();
  }

  /** The refused block's or transaction's hash, when the data is one. */
  public Optional<Sha256Hash> hash() {
    boolean hashed = message.equals(BlockMessage.COMMAND) || message.equals(TxMessage.COMMAND);
    return hashed && data.length == Sha256Hash.LENGTH ? Optional.of(Sha256Hash.of(data)) : Optional.empty();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RejectMessage that && message.equals(that.message) && code == that.code
        && reason.equals(that.reason) && Arrays.equals(data, that.data);
  }

  @Override
  public int hashCode() {
    return Objects.hash(message, code, reason, Arrays.hashCode(data));
  }

  @Override
  public String toString() {
    return COMMAND + toJson().encode();
  }
}
