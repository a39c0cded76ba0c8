package org.peermesh.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.peermesh.devp2p.discovery.Discv4Exception;
import org.peermesh.devp2p.discovery.Discv4Packet;
import org.peermesh.devp2p.discovery.Discv4Packets;
import org.peermesh.devp2p.discovery.NeighborsPacket;
import org.peermesh.devp2p.discovery.Discv4Vectors;
import org.peermesh.devp2p.discovery.NodeId;

/**
 * discv4 datagrams: the input is one whole datagram (UDP delivers datagrams whole, so unlike the stream fuzz tests
 * there is no chunking plan byte). The only failure allowed is a {@link Discv4Exception}, after which the service
 * drops the datagram.
 *
 * <p>Properties: every packet decoded re-encodes (signed with another key) to a datagram that decodes to an equal
 * packet from that key; a Neighbors packet with more nodes than we send is refused by the encoder instead. The fuzzer
 * cannot forge the hash, so past the seeds most inputs end at {@code bad_hash}; the seeds and their mutations of the
 * size checks still reach the rest.
 */
public class Discv4PacketFuzz {

  private static final NodeId REENCODER = NodeId.ofPrivateKey(Discv4Vectors.KEY_A);

  @FuzzTest(maxDuration = Fuzzing.MAX_DURATION)
  void decode(byte[] data) {
    run(data);
  }

  /** @return 1 if the input decoded to a packet, else 0 */
  public static int run(byte[] data) {
    Discv4Packets.Decoded decoded;
    try {
      decoded = Discv4Packets.decode(data);
    } catch (Discv4Exception e) {
      assertNotNull(e.kind());
      return 0;
    }
    Discv4Packet packet = decoded.packet();
    if (packet instanceof NeighborsPacket neighbors && neighbors.nodes().size() > NeighborsPacket.MAX_NODES) {
      assertThrows(IllegalArgumentException.class, () -> Discv4Packets.encode(packet, Discv4Vectors.KEY_A));
      return 1;
    }
    Discv4Packets.Decoded again = Discv4Packets.decode(Discv4Packets.encode(packet, Discv4Vectors.KEY_A));
    assertEquals(packet, again.packet());
    assertEquals(REENCODER, again.sender());
    return 1;
  }
}
