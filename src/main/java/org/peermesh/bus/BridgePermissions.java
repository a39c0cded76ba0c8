package org.peermesh.bus;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a bridge client may reach: the addresses it may send or publish to (the node's commands and those of the
 * protocols it runs), and those it may register on (messages, events, procedures; never a command or a peer's
 * mailbox). Anything else is answered {@code access_denied}.
 */
public final class BridgePermissions {

  private final Set<String> inboundAddresses;
  private final Pattern inboundPattern;
  private final Pattern outboundPattern;

  private BridgePermissions(Set<String> inboundAddresses, Pattern inboundPattern, Pattern outboundPattern) {
    this.inboundAddresses = inboundAddresses;
    this.inboundPattern = inboundPattern;
    this.outboundPattern = outboundPattern;
  }

  /** The mesh's commands and events, and those of the {@code protocols} the node runs beside it. */
  public static BridgePermissions of(BusAddresses addresses, Collection<String> protocols) {
    return new BridgePermissions(Set.copyOf(addresses.commands()),
        Pattern.compile(addresses.protocolCommandRegex(List.copyOf(protocols))),
        Pattern.compile(addresses.consumableAddressRegex(List.copyOf(protocols))));
  }

  /** Whether a client may send or publish to {@code address}. */
  public boolean mayWrite(String address) {
    return inboundAddresses.contains(address) || inboundPattern.matcher(address).matches();
  }

  /** Whether a client may register on {@code address}. */
  public boolean mayRegister(String address) {
    return outboundPattern.matcher(address).matches();
  }
}
