package org.peermesh.devp2p.base;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;

/**
 * A sub-protocol a node offers in its Hello: a name and a version, such as {@code eth/68}. The spec limits names to 8
 * ASCII characters, but neither go-ethereum nor @ethereumjs/devp2p enforces it ({@code MyProtocol} works), so
 * neither does this class.
 *
 * <p>Capabilities order by name byte-wise, as Go compares strings (so capitals come first: {@code MyProtocol <
 * eth}), then by version: the order in which {@link CapabilityNegotiation} hands out message codes.
 */
public record Capability(String name, int version) implements Comparable<Capability> {

  /** Name byte-wise (unsigned UTF-8 bytes, which for ASCII is plain character order), then version. */
  public static final Comparator<Capability> ORDER = Comparator
      .comparing(Capability::name, Capability::compareNames)
      .thenComparingInt(Capability::version);

  public Capability {
    Objects.requireNonNull(name, "name");
    if (version < 0) {
      throw new IllegalArgumentException("a capability version is unsigned, not " + version);
    }
  }

  /** Compares names as go-ethereum's {@code sort} does: by their UTF-8 bytes, unsigned. */
  static int compareNames(String a, String b) {
    return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public int compareTo(Capability other) {
    return ORDER.compare(this, other);
  }

  /** {@code name/version}, as devp2p writes capabilities: {@code eth/68}. */
  @Override
  public String toString() {
    return name + "/" + version;
  }
}
