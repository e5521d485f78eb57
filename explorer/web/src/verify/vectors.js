// Runs one case of tests/chain/golden/light_client_vectors.json through this
// verifier, with the same steps as the C++ harness
// (tests/ledger/light_client_vectors_test.cpp `run`): genesis set, epoch
// change proof pages, the certified header with the set of its epoch, then
// the transaction or record.
import { fail, verdict } from './errors.js';
import { fromHex } from './bytes.js';
import { decodeCertificate, decodeHeader, decodeInclusionProof, decodeStateProof, decodeTransactionInfo } from './decode.js';
import { followEpochs, verifyStateRecordDecoded, verifyTransactionDecoded } from './light_client.js';

// The epoch part of a case is the same for most cases: its outcome (sets or
// the rejection) is remembered by its exact inputs.
const epochs = new Map();
function followEpochsOnce(c) {
  const key = JSON.stringify([c.chain_id, c.genesis_validator_set_hex, c.epoch_proof_hex]);
  if (!epochs.has(key)) {
    try {
      epochs.set(key, { value: followEpochs(c.chain_id, c.genesis_validator_set_hex, c.epoch_proof_hex) });
    } catch (e) {
      epochs.set(key, { error: e });
    }
  }
  const got = epochs.get(key);
  if (got.error) throw got.error;
  return got.value;
}

export function runVector(c) {
  return verdict(() => {
    const { sets, current } = followEpochsOnce(c);
    if (c.kind === 'epochs') return { epoch: Number(current.epoch) };
    const cert = {
      header: decodeHeader(c.certified.header_hex),
      descendants: c.certified.descendant_headers_hex.map((h) => decodeHeader(h)),
      commit_certificate: decodeCertificate(c.certified.commit_certificate_hex),
    };
    const last = cert.descendants.length ? cert.descendants[cert.descendants.length - 1] : cert.header;
    const set = sets.get(last.epoch);
    if (!set) fail('wrong_epoch', "no verified validator set for the certified header's epoch");
    let r;
    if (c.kind === 'transaction') {
      const id = fromHex(c.transaction_id, 'transaction id');
      if (id.length !== 32) fail('bad_encoding', 'a transaction id is 32 bytes');
      const info = decodeTransactionInfo(c.leaf_hex);
      const proof = decodeInclusionProof(c.proof_hex);
      r = verifyTransactionDecoded(cert, set, c.chain_id, id, info, proof);
    } else {
      const key = fromHex(c.record_key_hex, 'record key');
      const value = c.value_hex == null ? null : fromHex(c.value_hex, 'value');
      const proof = decodeStateProof(c.proof_hex);
      r = verifyStateRecordDecoded(cert, set, c.chain_id, c.module, key, value, proof);
    }
    return { epoch: Number(set.epoch), height: Number(cert.header.height), certified_height: Number(r.certifiedHeader.height) };
  });
}
