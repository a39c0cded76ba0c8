package org.peermesh.mesh.wire;

import io.vertx.core.buffer.Buffer;

import java.util.Objects;

/**
 * The answer to the {@link Request} with the same id: JSON data on success, an error message on
 * failure. Exactly one of {@code data} and {@code error} is non-null.
 *
 * <pre>
 * id     u64, the request's id
 * status u16, 0 = success, anything else = failure (the values are the application's)
 * data   status 0: the rest of the frame, any JSON value
 * error  status != 0: the rest of the frame, UTF-8, at most 4096 bytes, may be empty
 * </pre>
 */
public record Response(long id, int status, JsonPayload data, String error) implements WireMessage {

  public static final int SUCCESS = 0;
  public static final int MAX_ERROR_BYTES = 4096;

  public Response {
    Fields.requireU16(status, "status");
    if (status == SUCCESS) {
      Objects.requireNonNull(data, "data");
      if (error != null) {
        throw new IllegalArgumentException("a successful response has data, not an error");
      }
    } else {
      Fields.requireUtf8(error, "error", 0, MAX_ERROR_BYTES);
      if (data != null) {
        throw new IllegalArgumentException("a failed response (status " + status + ") has an error, not data");
      }
    }
  }

  public static Response success(long id, JsonPayload data) {
    return new Response(id, SUCCESS, data, null);
  }

  /** @param status 1..65535 */
  public static Response failure(long id, int status, String error) {
    if (status == SUCCESS) {
      throw new IllegalArgumentException("a failure status must be 1..65535, got 0");
    }
    return new Response(id, status, null, error);
  }

  /** A failure whose message is clipped to {@link #MAX_ERROR_BYTES}: for messages this node passes on. */
  public static Response failureClipped(long id, int status, String error) {
    return failure(id, status, Utf8.clip(error, MAX_ERROR_BYTES));
  }

  /** The length-prefixed frame's length field: type, id, status and the data or error. */
  public long frameLength() {
    return 1L + 8 + 2 + (isSuccess() ? data.length() : Utf8.encode(error, "error").length);
  }

  static Response read(BodyReader in) {
    long id = in.u64("id");
    int status = in.u16("status");
    return status == SUCCESS
        ? success(id, in.restJson("data"))
        : failure(id, status, in.restString("error"));
  }

  public boolean isSuccess() {
    return status == SUCCESS;
  }

  @Override
  public byte type() {
    return RESPONSE;
  }

  @Override
  public void writeBody(Buffer out) {
    out.appendLong(id).appendUnsignedShort(status);
    if (isSuccess()) {
      data.writeTo(out);
    } else {
      out.appendBytes(Utf8.encode(error, "error"));
    }
  }
}
