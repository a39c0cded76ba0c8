package org.peermesh.bus;

import java.util.Objects;
import java.util.Set;

/**
 * The event-bus addresses of one wire protocol of a node, all below {@code <prefix>.<protocol>}: one scheme for
 * every protocol, spelled here only.
 */
public final class ProtocolAddresses {

  /** The names below {@code <prefix>.<protocol>.} that are the node's: no message type is published on them. */
  public static final Set<String> RESERVED = Set.of("message", "error", "stateChange", "command",
      "peer", "event", "cluster");

  private final String base;

  ProtocolAddresses(String prefix, String protocol) {
    this.base = Objects.requireNonNull(prefix, "prefix") + "." + Objects.requireNonNull(protocol, "protocol");
  }

  /**
   * Where each decoded message of this type is published ({@code peermesh.bitcoin.block}).
   *
   * @throws IllegalArgumentException for a {@linkplain #RESERVED reserved} name: a protocol that published a peer's
   *                                  message there would let the peer forge the node's own events
   */
  public String message(String type) {
    if (RESERVED.contains(type)) {
      throw new IllegalArgumentException("'" + type + "' is the node's own address below " + base
          + ", not a message type");
    }
    return base + "." + type;
  }

  /** Where every message received is published with its raw payload. */
  public String raw() {
    return base + ".message";
  }

  /** Where the peers' state changes are published. */
  public String stateChange() {
    return base + ".stateChange";
  }

  /** Where the peers' violations, refusals and socket errors are published. */
  public String error() {
    return base + ".error";
  }

  /** A command of this protocol ({@code connect}, {@code send}, {@code disconnect}, {@code peers}). */
  public String command(String name) {
    return base + ".command." + name;
  }

  /** Internal: where a member of a clustered node hands the bans of this protocol it decides to the others. */
  public String clusterBan() {
    return base + ".cluster.ban";
  }

  /** The mailbox of one peer's verticle; internal, not bridged. */
  public String peer(String name) {
    return base + ".peer." + name;
  }
}
