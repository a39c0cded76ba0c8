package org.peermesh.testing.bitcoin;

import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.peermesh.testing.Interop;
import org.peermesh.testing.TestNodes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The microsocks harness: a SOCKS5 CONNECT without authentication, written out byte by byte (RFC 1928). */
@Interop
class MicrosocksHarnessTest {

  @Test
  void connectsThroughTheProxyToALocalServer() throws Exception {
    try (Microsocks proxy = Microsocks.start();
         ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      // The server echoes the first line it gets, upper-cased.
      CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
        try (Socket accepted = server.accept()) {
          byte[] line = new DataInputStream(accepted.getInputStream()).readNBytes(6);
          accepted.getOutputStream().write(new String(line, StandardCharsets.US_ASCII).toUpperCase()
              .getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });

      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(proxy.host(), proxy.port()), 5000);
        socket.setSoTimeout((int) TestNodes.DEADLINE.toMillis());
        OutputStream out = socket.getOutputStream();
        DataInputStream in = new DataInputStream(socket.getInputStream());

        // 1. Greeting: version 5, one method, "no authentication required"; the proxy picks it.
        out.write(new byte[] {0x05, 0x01, 0x00});
        assertArrayEquals(new byte[] {0x05, 0x00}, in.readNBytes(2));

        // 2. CONNECT to an IPv4 address and port.
        byte[] ip = InetAddress.getLoopbackAddress().getAddress();
        int port = server.getLocalPort();
        out.write(new byte[] {0x05, 0x01, 0x00, 0x01, ip[0], ip[1], ip[2], ip[3], (byte) (port >> 8), (byte) port});

        // 3. Reply: version 5, succeeded, reserved, then the bound address (IPv4 here) and port.
        byte[] reply = in.readNBytes(4);
        assertEquals(4, reply.length, "reply bytes before the end of the stream");
        assertEquals(0x05, reply[0]);
        assertEquals(0x00, reply[1], "reply code 0: succeeded");
        int addressLength = switch (reply[3]) {
          case 0x01 -> 4;
          case 0x04 -> 16;
          case 0x03 -> in.readUnsignedByte();
          default -> throw new AssertionError("address type " + reply[3]);
        };
        in.readNBytes(addressLength + 2);

        // The tunnel carries bytes both ways.
        out.write("hello\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals("HELLO\n", new String(in.readNBytes(6), StandardCharsets.US_ASCII));
      }
      served.get(TestNodes.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    }
  }
}
