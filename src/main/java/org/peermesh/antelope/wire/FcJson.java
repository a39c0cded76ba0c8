package org.peermesh.antelope.wire;

import io.vertx.core.json.JsonObject;
import org.peermesh.antelope.crypto.AntelopePublicKey;
import org.peermesh.antelope.crypto.AntelopeSignature;
import org.peermesh.json.JsonFields;
import org.peermesh.json.JsonFields.Integers;
import org.peermesh.json.JsonFields.TextForm;

/**
 * What Antelope's JSON form adds to {@link JsonFields}: its value types written as text (checksums, names, keys,
 * signatures), and integers accepted as JSON numbers or decimal strings, as wharfkit writes 64-bit values as strings.
 */
final class FcJson {

  static final TextForm<Checksum256> CHECKSUM256 =
      new TextForm<>("a checksum256 (64 hex digits)", Checksum256::fromHex);
  static final TextForm<Long> NAME = new TextForm<>("a name", AntelopeName::fromText);
  static final TextForm<AntelopePublicKey> PUBLIC_KEY =
      new TextForm<>("a public key (PUB_K1_...)", AntelopePublicKey::parse);
  static final TextForm<AntelopeSignature> SIGNATURE =
      new TextForm<>("a signature (SIG_K1_...)", AntelopeSignature::parse);

  private FcJson() {
  }

  /** The fields of a message's JSON as Antelope writes it, integers also as decimal strings. */
  static JsonFields of(JsonObject json) {
    return JsonFields.of(json, Integers.JSON_NUMBERS_OR_DECIMAL_STRINGS);
  }

  /** An i64 as wharfkit writes it: a decimal string, as JSON numbers lose precision past 2^53. */
  static String signedDecimal(long value) {
    return Long.toString(value);
  }
}
