package org.peermesh.net;

import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * A network address a peer listens on: {@code {"host": "127.0.0.1", "port": 5001}} in configs and events.
 */
public record PeerAddress(String host, int port) {

  public PeerAddress {
    Objects.requireNonNull(host, "host");
    if (host.isBlank()) {
      throw new IllegalArgumentException("host must not be blank");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be within 0-65535, got " + port);
    }
  }

  public JsonObject toJson() {
    return new JsonObject().put("host", host).put("port", port);
  }

  public static PeerAddress fromJson(JsonObject json) {
    return new PeerAddress(json.getString("host"), json.getInteger("port"));
  }

  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }
}
