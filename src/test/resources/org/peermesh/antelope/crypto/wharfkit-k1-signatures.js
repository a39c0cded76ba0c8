// Produces wharfkit-k1-signatures.json: (key, digest, signature) triples signed by @wharfkit/antelope 1.2.0's
// PrivateKey.signDigest, the proof that AntelopePrivateKey.signDigest is byte-equal to wharfkit's.
// Run outside the repository: mkdir /tmp/wk && cd /tmp/wk && npm i @wharfkit/antelope@1.2.0 (elliptic 6.6.1 comes
// with it) && node wharfkit-k1-signatures.js > wharfkit-k1-signatures.json
const {PrivateKey, Bytes, KeyType} = require('@wharfkit/antelope')
const crypto = require('crypto')
const {ec: EC} = require('elliptic')
const k1 = new EC('secp256k1')
const sha256 = (s) => crypto.createHash('sha256').update(s).digest()
// How many nonces wharfkit's loop tried (pers = [attempt]) before the signature was canonical: documentation only.
function attempts(secret, digest) {
  const key = k1.keyFromPrivate(secret)
  for (let a = 1; ; a++) {
    const sig = key.sign(digest, {canonical: true, pers: [a]})
    const r = sig.r.toArrayLike(Buffer, 'be', 32), s = sig.s.toArrayLike(Buffer, 'be', 32)
    if (!(r[0] & 0x80) && !(r[0] === 0 && !(r[1] & 0x80)) && !(s[0] & 0x80) && !(s[0] === 0 && !(s[1] & 0x80))) return a
  }
}
const out = []
for (let i = 0; i < 50; i++) {
  const secret = sha256('peermesh-wharfkit-key-' + i)
  const digest = sha256('peermesh-wharfkit-digest-' + i)
  const key = new PrivateKey(KeyType.K1, Bytes.from(secret))
  out.push({
    private_key: key.toString(),
    public_key: key.toPublic().toString(),
    digest: digest.toString('hex'),
    signature: key.signDigest(digest).toString(),
    attempts: attempts(secret, digest),
  })
}
console.log(JSON.stringify({
  produced_by: 'wharfkit-k1-signatures.js beside this file, with @wharfkit/antelope 1.2.0 and elliptic 6.6.1 on Node.js '
    + process.versions.node + '; key i = sha256("peermesh-wharfkit-key-" + i), digest i = '
    + 'sha256("peermesh-wharfkit-digest-" + i); attempts = the nonces wharfkit tried before a canonical one',
  vectors: out,
}, null, 1))
