package org.peermesh.devp2p.base;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which sub-protocols a session runs and at which message codes, as go-ethereum's {@code matchProtocols} decides
 * it; both sides compute the same answer from the two Hellos, so nothing more is exchanged. A capability is shared
 * when both sides offer the same name and version; of several shared versions of one name the highest runs. The
 * shared ones, sorted by name byte-wise ({@code MyProtocol < eth < test}), take consecutive code ranges from {@link
 * BaseMessageCodes#FIRST_SUBPROTOCOL}, each as wide as its {@link SubProtocol#length()}.
 */
public final class CapabilityNegotiation {

  private CapabilityNegotiation() {
  }

  /** A shared capability and its code range, {@code [offset, offset + length)}. */
  public record SharedCapability(Capability capability, int offset, int length) {

    boolean holds(int absoluteCode) {
      return absoluteCode >= offset && absoluteCode < offset + length;
    }
  }

  /** A received message's capability and its code inside that capability's range. */
  public record Route(Capability capability, int relativeCode) {
  }

  /** The outcome: the shared capabilities in code order; none if the peer is useless to us. */
  public record Negotiated(List<SharedCapability> shared) {

    public Negotiated {
      shared = List.copyOf(shared);
    }

    public boolean isEmpty() {
      return shared.isEmpty();
    }

    /**
     * Where a received sub-protocol message goes. Empty for a code outside every range: the peer broke the protocol
     * and the caller disconnects with {@link Devp2pDisconnectReason#PROTOCOL_ERROR}.
     */
    public Optional<Route> byCode(int absoluteCode) {
      return shared.stream()
          .filter(capability -> capability.holds(absoluteCode))
          .findFirst()
          .map(capability -> new Route(capability.capability(), absoluteCode - capability.offset()));
    }

    /**
     * The code on the wire of our sub-protocol's message {@code relativeCode}.
     *
     * @throws IllegalArgumentException if {@code capabilityName} is not shared or {@code relativeCode} is outside
     *     {@code [0, length)}: a bug in our sub-protocol, which would otherwise send another capability's message
     */
    public int absoluteCode(String capabilityName, int relativeCode) {
      SharedCapability capability = shared.stream()
          .filter(candidate -> candidate.capability().name().equals(capabilityName))
          .findFirst()
          .orElseThrow(() -> new IllegalArgumentException(capabilityName + " is not shared in " + shared));
      if (relativeCode < 0 || relativeCode >= capability.length()) {
        throw new IllegalArgumentException(capability.capability() + " has codes 0 to " + (capability.length() - 1)
            + ", not " + relativeCode);
      }
      return capability.offset() + relativeCode;
    }
  }

  /** The capabilities {@code ours} and {@code theirs} share, with their code ranges. */
  public static Negotiated negotiate(Collection<SubProtocol> ours, Collection<Capability> theirs) {
    Set<Capability> offered = new HashSet<>(theirs);
    Map<String, SubProtocol> highestShared = new LinkedHashMap<>();
    for (SubProtocol protocol : ours) {
      if (offered.contains(protocol.capability())) {
        highestShared.merge(protocol.capability().name(), protocol,
            (kept, candidate) -> candidate.capability().version() > kept.capability().version() ? candidate : kept);
      }
    }
    List<SubProtocol> inCodeOrder = highestShared.values().stream()
        .sorted(Comparator.comparing(SubProtocol::capability))
        .toList();
    List<SharedCapability> shared = new ArrayList<>();
    int offset = BaseMessageCodes.FIRST_SUBPROTOCOL;
    for (SubProtocol protocol : inCodeOrder) {
      shared.add(new SharedCapability(protocol.capability(), offset, protocol.length()));
      offset += protocol.length();
    }
    return new Negotiated(shared);
  }
}
