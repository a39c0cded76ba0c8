package org.peermesh.net;

import java.net.BindException;

/**
 * A socket the node could not bind, said as the operator can act on it: the config key that chose the port, the port
 * and the host ({@code bridge.port 7000 on 127.0.0.1 is in use}), where the JDK says only "Address already in use".
 */
public final class ListenFailure {

  private ListenFailure() {
  }

  /**
   * The failure to bind {@code host}:{@code port}, which config key {@code key} set, as {@code cause} reported it.
   *
   * @return an exception whose message names the key and the address, with {@code cause} as its cause
   */
  public static IllegalStateException of(String key, String host, int port, Throwable cause) {
    String where = key + " " + port + " on " + host;
    boolean inUse = cause instanceof BindException && String.valueOf(cause.getMessage()).contains("in use");
    return new IllegalStateException(inUse ? where + " is in use" : where + ": cannot listen: " + cause.getMessage(),
        cause);
  }
}
