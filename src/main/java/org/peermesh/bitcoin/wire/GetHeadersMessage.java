package org.peermesh.bitcoin.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Asks for up to 2,000 block headers following the first locator hash the peer knows, up to {@code hashStop} (zero for as many as allowed); answered with {@link HeadersMessage}.
 *
 * <p>Payload and limits as {@link BlockLocator}: at most 101 locator hashes. JSON: {@code {"version":
 * n, "locator": [display hex, ...], "hashStop": display hex}}.
 *
 * @param version the sender's protocol version, u32
 */
public record GetHeadersMessage(long version, List<Sha256Hash> locator, Sha256Hash hashStop) implements LocatorMessage {

  public static final String COMMAND = "getheaders";

  public GetHeadersMessage {
    locator = BlockLocator.checked(version, locator, hashStop);
  }

  public static GetHeadersMessage decode(Buffer payload) {
    return BlockLocator.decode(COMMAND, payload, GetHeadersMessage::new);
  }

  public static GetHeadersMessage fromJson(JsonObject json) {
    return BlockLocator.fromJson(json, GetHeadersMessage::new);
  }

  @Override
  public String command() {
    return COMMAND;
  }
}
