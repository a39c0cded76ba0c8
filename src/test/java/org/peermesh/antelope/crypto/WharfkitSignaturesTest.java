package org.peermesh.antelope.crypto;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The proof that {@link AntelopePrivateKey#signDigest} is wharfkit's: 50 signatures made by @wharfkit/antelope
 * 1.2.0 itself (wharfkit-k1-signatures.js in the test resources, which says how it was run), several of them only
 * on wharfkit's 2nd to 8th attempt at a canonical one, must come out byte-equal here.
 */
class WharfkitSignaturesTest {

  static Stream<JsonObject> vectors() throws IOException {
    try (InputStream in = WharfkitSignaturesTest.class.getResourceAsStream("wharfkit-k1-signatures.json")) {
      JsonObject file = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      return file.getJsonArray("vectors").stream().map(JsonObject.class::cast);
    }
  }

  @ParameterizedTest
  @MethodSource("vectors")
  void signaturesAreByteEqualToWharfkits(JsonObject vector) {
    AntelopePrivateKey key = AntelopePrivateKey.parse(vector.getString("private_key"));
    byte[] digest = HexFormat.of().parseHex(vector.getString("digest"));

    AntelopeSignature signature = key.signDigest(digest);

    assertEquals(vector.getString("public_key"), key.publicKey().toString());
    assertEquals(AntelopeSignature.parse(vector.getString("signature")), signature);
    assertEquals(vector.getString("signature"), signature.toString());
    assertTrue(K1Signatures.verify(key.publicKey(), digest, signature));
  }
}
