package org.peermesh.bitcoin.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.peermesh.json.JsonFields;

/**
 * BIP155: addresses of other peers on any network (IPv4, IPv6, Tor v3, I2P, CJDNS, ...), sent
 * instead of {@link AddrMessage} to a peer that sent {@link SendAddrV2Message}.
 *
 * <pre>
 * count CompactSize (max 1000) | count x {@link AddrV2Entry}
 * </pre>
 *
 * JSON: {@code {"addresses": [{"time", "services", "network", "host" or "address", "port"}, ...]}}.
 */
public record AddrV2Message(List<AddrV2Entry> addresses) implements BitcoinMessage {

  public static final String COMMAND = "addrv2";

  public AddrV2Message {
    addresses = Fields.copyOfAtMost(addresses, AddrMessage.MAX_ADDRESSES, "addresses");
  }

  public static AddrV2Message decode(Buffer payload) {
    return PayloadReader.decode(COMMAND, payload, in -> {
      return new AddrV2Message(in.list("addresses", AddrMessage.MAX_ADDRESSES, AddrV2Entry.MIN_SIZE,
          AddrV2Entry::read));
    });
  }

  public static AddrV2Message fromJson(JsonObject json) {
    return new AddrV2Message(JsonFields.of(json).objects("addresses", AddrV2Entry::fromJson));
  }

  @Override
  public String command() {
    return COMMAND;
  }

  @Override
  public Buffer payload() {
    return new PayloadWriter().list(addresses, AddrV2Entry::writeTo).buffer();
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("addresses", JsonFields.arrayOf(addresses, AddrV2Entry::toJson));
  }
}
