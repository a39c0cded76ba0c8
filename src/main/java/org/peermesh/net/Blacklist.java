package org.peermesh.net;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The IPs a pool neither accepts nor dials, kept canonical, so that one address written two ways is one entry. */
public final class Blacklist {

  private final Set<String> ips;

  /** @param ips literal IPv4 or IPv6 addresses, as the config's {@code blacklistedIPs} */
  public Blacklist(List<String> ips) {
    this.ips = ips.stream().map(NetGroups::canonicalHost).collect(Collectors.toUnmodifiableSet());
  }

  /** Whether {@code host}, an IP in any of its spellings, is blacklisted. */
  public boolean contains(String host) {
    return !ips.isEmpty() && ips.contains(NetGroups.canonicalHost(host));
  }
}
