package org.peermesh.peer;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.peermesh.bus.OtherMembers;
import org.peermesh.bus.ProtocolAddresses;
import org.peermesh.reputation.BanList;
import org.peermesh.reputation.Reputation;

import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The bans of one protocol's pool as the node keeps them, the same for every pool: decided in its
 * {@link Reputation}, saved in the protocol's ban file, handed to the other members of a clustered node (which adopt
 * them, as the node is one identity with one ban list: {@code <prefix>.<protocol>.cluster.ban}, internal), and
 * expired on time. What a ban ends and what it publishes is the pool's.
 */
public final class PoolBans {

  /** How often bans are expired at the most: a shorter {@code peerBanTime} is checked as often as it lasts. */
  private static final long EXPIRY_CHECK_MS = 60_000;

  private final Vertx vertx;
  private final String address;
  private final Reputation reputation;
  private final long peerBanTime;
  private final String self;

  /** @param self the pool's deployment id: what this member announces, it does not adopt again */
  public PoolBans(Vertx vertx, ProtocolAddresses addresses, Reputation reputation, long peerBanTime, String self) {
    this.vertx = vertx;
    this.address = addresses.clusterBan();
    this.reputation = reputation;
    this.peerBanTime = peerBanTime;
    this.self = self;
  }

  /**
   * Adopts the bans the other members decide and expires bans on time, from the pool's context.
   *
   * @param adopted a ban another member decided, now in this member's list too, with its announcement
   * @param expired a ban whose end has come, removed from the list
   */
  public Future<Void> start(BiConsumer<BanList.Ban, JsonObject> adopted, Consumer<BanList.Ban> expired) {
    vertx.setPeriodic(Math.min(EXPIRY_CHECK_MS, peerBanTime), t -> reputation.bans().expire().forEach(expired));
    return OtherMembers.consumer(vertx.eventBus(), address, self, json -> {
      long remainingMs = json.getLong("until") - System.currentTimeMillis();
      if (remainingMs > 0) {
        adopted.accept(reputation.bans().ban(json.getString("key"), json.getString("peerId"), json.getString("reason"),
            remainingMs), json);
      }
    });
  }

  /** Hands a ban this member decided to the other members, with what the pool adds to it ({@code extra}). */
  public void announce(BanList.Ban ban, JsonObject extra) {
    OtherMembers.publish(vertx.eventBus(), address, ban.toJson().mergeIn(extra), self);
  }
}
