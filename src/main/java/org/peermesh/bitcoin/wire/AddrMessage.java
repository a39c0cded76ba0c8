package org.peermesh.bitcoin.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.peermesh.json.JsonFields;

/**
 * Addresses of other peers (IPv4 and IPv6 only), relayed or answering {@link GetAddrMessage}.
 *
 * <pre>
 * count CompactSize (max 1000) | count x {@link TimestampedAddress}
 * </pre>
 *
 * JSON: {@code {"addresses": [{"host", "port", "services", "time"}, ...]}}.
 */
public record AddrMessage(List<TimestampedAddress> addresses) implements BitcoinMessage {

  public static final String COMMAND = "addr";

  /** Core's MAX_ADDR_TO_SEND, for addr and addrv2. */
  public static final int MAX_ADDRESSES = 1000;

  public AddrMessage {
    addresses = Fields.copyOfAtMost(addresses, MAX_ADDRESSES, "addresses");
  }

  public static AddrMessage decode(Buffer payload) {
    return PayloadReader.decode(COMMAND, payload, in -> {
      return new AddrMessage(in.list("addresses", MAX_ADDRESSES, TimestampedAddress.SIZE, TimestampedAddress::read));
    });
  }

  public static AddrMessage fromJson(JsonObject json) {
    return new AddrMessage(JsonFields.of(json).objects("addresses", TimestampedAddress::fromJson));
  }

  @Override
  public String command() {
    return COMMAND;
  }

  @Override
  public Buffer payload() {
    PayloadWriter out = new PayloadWriter(CompactSize.encodedLength(addresses.size())
        + addresses.size() * TimestampedAddress.SIZE);
    return out.list(addresses, TimestampedAddress::writeTo).buffer();
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("addresses", JsonFields.arrayOf(addresses, TimestampedAddress::toJson));
  }
}
