package org.peermesh.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;

/**
 * How the node ends a connection to a remote program it does not control (a peer, a bridge client), so that one that
 * does not read cannot keep it open. {@code NetSocket.close()} first writes out what is queued, which such a program
 * never lets happen, so the connection and its buffers would stay. And how much it holds for that program unsent.
 */
public final class Sockets {

  private Sockets() {
  }

  /**
   * Writes {@code lastWords} (may be empty) after what is queued, then closes; after {@code lingerMillis} without the
   * write completing, as with a remote end that does not read, the connection is reset instead.
   */
  public static Future<Void> close(Vertx vertx, NetSocket socket, Buffer lastWords, long lingerMillis) {
    Promise<Void> done = Promise.promise();
    long linger = vertx.setTimer(lingerMillis, t -> abort(socket).onComplete(v -> done.tryComplete()));
    Future<Void> written = lastWords.length() == 0 ? Future.succeededFuture() : socket.write(lastWords);
    written.onComplete(w -> {
      vertx.cancelTimer(linger);
      socket.close().onComplete(v -> done.tryComplete());
    });
    return done.future();
  }

  /**
   * The bytes written to {@code socket} that it has not yet handed to the kernel: what a remote end that reads slowly
   * or not at all makes the node hold. Read on the socket's event loop.
   */
  public static long unsentBytes(NetSocket socket) {
    if (!(socket instanceof NetSocketInternal internal)) {
      return 0;
    }
    ChannelOutboundBuffer unsent = internal.channelHandlerContext().channel().unsafe().outboundBuffer();
    return unsent == null ? 0 : unsent.totalPendingWriteBytes();
  }

  /** Resets the connection at once, dropping what is queued. */
  public static Future<Void> abort(NetSocket socket) {
    if (!(socket instanceof NetSocketInternal internal)) {
      return socket.close();
    }
    Channel channel = internal.channelHandlerContext().channel();
    Promise<Void> closed = Promise.promise();
    // Past the pipeline: Vert.x's connection handler turns a channel close into the same wait for the queue.
    channel.eventLoop().execute(() -> {
      if (!channel.isOpen()) {
        // Closed while this waited for the event loop (a linger timer races the close): setting SO_LINGER on a
        // closed channel throws, and the promise would never complete.
        closed.tryComplete();
        return;
      }
      channel.config().setOption(ChannelOption.SO_LINGER, 0);
      ChannelPromise done = channel.newPromise();
      done.addListener(f -> closed.tryComplete());
      channel.unsafe().close(done);
    });
    return closed.future();
  }
}
