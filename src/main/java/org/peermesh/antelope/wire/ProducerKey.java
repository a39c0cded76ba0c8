package org.peermesh.antelope.wire;

import io.vertx.core.json.JsonObject;
import java.util.Objects;
import org.peermesh.antelope.crypto.AntelopePublicKey;
import org.peermesh.json.JsonFields;

/**
 * A block producer of a legacy producer schedule and the key it signs blocks with. JSON (the ABI's names):
 * {@code {"producer_name": "eosio", "block_signing_key": "PUB_K1_..."}}.
 *
 * @param producerName a name's u64 ({@link AntelopeName})
 */
public record ProducerKey(long producerName, AntelopePublicKey key) {

  /** A name and a K1 or R1 key. */
  static final int MIN_ENCODED_SIZE = 8 + 1 + AntelopePublicKey.LENGTH;

  public ProducerKey {
    Objects.requireNonNull(key, "key");
  }

  public static ProducerKey decode(FcReader in) {
    return new ProducerKey(in.name("producer_name"), in.publicKey("block_signing_key"));
  }

  static ProducerKey fromJson(JsonFields in) {
    return new ProducerKey(in.parsed("producer_name", FcJson.NAME), in.parsed("block_signing_key", FcJson.PUBLIC_KEY));
  }

  public void encode(FcWriter out) {
    out.name(producerName).publicKey(key);
  }

  public JsonObject toJson() {
    return new JsonObject().put("producer_name", AntelopeName.toText(producerName))
        .put("block_signing_key", key.toString());
  }
}
