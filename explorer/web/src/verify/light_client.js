// The light client (docs/formats/chain.md "How a light client verifies",
// docs/api/README.md "Verifying by hand"): from the genesis validator set,
// through the epoch change proof, to a certified header, to a transaction's
// accumulator leaf or a record's state-tree leaf. All inputs are the hex
// fields of the API's answers; the JSON copies are never believed.
import { fail, verdict } from './errors.js';
import { equal, fromHex, toHex } from './bytes.js';
import { rfc6962Leaf } from './hash.js';
import {
  OUTCOMES,
  decodeAll,
  decodeCertificate,
  decodeEpochChangeProof,
  decodeHeader,
  decodeInclusionProof,
  decodeStateProof,
  decodeTransaction,
  decodeTransactionInfo,
  headerId,
  readValidatorSet,
  validatorSetHash,
} from './decode.js';
import { quorumPower, totalPower, validateValidatorSet, verifyCertifiedHeader, verifyEpochChanges } from './chain.js';
import { merkleTreeHash, stateKey, verifyInclusion, verifyStateProof } from './proofs.js';
import { checkTransactionSignature } from './schnorr.js';

function prefixed(what, fn) {
  try {
    return fn();
  } catch (e) {
    if (e.reason) fail(e.reason, what + e.detail);
    throw e;
  }
}

export function decodeValidatorSet(hex) {
  const s = decodeAll(hex, 'validator set', readValidatorSet);
  validateValidatorSet(s);
  return s;
}

// The trusted set of every epoch: genesis set hex + epoch change proof hexes
// (pages of /api/proof/epochs, in order). Returns Map epoch(BigInt) -> set.
export function followEpochs(chainId, genesisSetHex, proofHexes, pinnedGenesisSetHash = null) {
  const genesis = decodeValidatorSet(genesisSetHex);
  if (pinnedGenesisSetHash && toHex(validatorSetHash(genesis)) !== pinnedGenesisSetHash.toLowerCase()) {
    fail('bad_proof', `the genesis validator set served hashes to ${toHex(validatorSetHash(genesis))}, not the pinned ${pinnedGenesisSetHash}`);
  }
  const sets = new Map([[genesis.epoch, genesis]]);
  let current = genesis;
  for (const hex of proofHexes) {
    const changes = decodeEpochChangeProof(hex);
    current = verifyEpochChanges(current, changes, chainId);
    // Each change's next_set was checked by verifyEpochChanges.
    for (const c of changes) sets.set(c.next_set.epoch, c.next_set);
  }
  return { genesis, sets, current };
}

// The API's `certified` object, decoded.
export function decodeCertified(certified) {
  if (!certified || typeof certified !== 'object') fail('invalid', 'answer has no certified header');
  const descendants = certified.descendant_headers_hex ?? [];
  if (!Array.isArray(descendants)) fail('invalid', 'descendant_headers_hex is not a list');
  if (descendants.length > 4096) fail('too_large', `certified header: ${descendants.length} descendant headers`);
  if (certified.commit_certificate_hex == null) fail('invalid', 'no commit certificate (height 0 is trusted by its id only)');
  return {
    header: decodeHeader(certified.header_hex),
    descendants: descendants.map((h) => decodeHeader(h)),
    commit_certificate: decodeCertificate(certified.commit_certificate_hex),
  };
}

function setForCertified(sets, c) {
  const last = c.descendants.length ? c.descendants[c.descendants.length - 1] : c.header;
  const set = sets.get(last.epoch);
  if (!set) fail('wrong_epoch', `no verified validator set for epoch ${last.epoch} (the epoch change proof does not reach it)`);
  return set;
}

function describeSet(set, signers) {
  return {
    epoch: Number(set.epoch),
    hash: toHex(validatorSetHash(set)),
    total_power: Number(totalPower(set)),
    quorum_power: Number(quorumPower(set)),
    validators: set.validators.map((v, i) => ({
      name: v.name,
      key: toHex(v.key),
      voting_power: Number(v.voting_power),
      signed: signers.includes(i),
    })),
  };
}

// Core checks with decoded inputs and a trusted set (mirrors the C++ entry
// points; the shared vectors call these).
export function verifyTransactionDecoded(c, set, chainId, transactionId, info, proof) {
  const { certifiedHeader, signers } = prefixed('certified header: ', () => verifyCertifiedHeader(c, set, chainId));
  if (info.format !== 1) fail('bad_version', `transaction info format ${info.format}, expected 1`);
  if (!equal(info.transaction_id, transactionId)) {
    fail('bad_proof', `transaction proof: the leaf names transaction ${toHex(info.transaction_id)}, not ${toHex(transactionId)}`);
  }
  const h = c.header;
  if (proof.tree_size !== h.accumulator_size) {
    fail('bad_proof', `transaction proof: the proof is for a tree of ${proof.tree_size} leaves, the header's accumulator has ${h.accumulator_size}`);
  }
  if (proof.leaf_index !== info.version) {
    fail('bad_proof', `transaction proof: the proof is for leaf ${proof.leaf_index}, the transaction's version is ${info.version}`);
  }
  prefixed('transaction proof: ', () =>
    verifyInclusion(rfc6962Leaf(info.bytes), proof.leaf_index, proof.tree_size, proof.path, h.accumulator_root),
  );
  return { certifiedHeader, signers };
}

export function verifyStateRecordDecoded(c, set, chainId, module, recordKey, value, proof) {
  const { certifiedHeader, signers } = prefixed('certified header: ', () => verifyCertifiedHeader(c, set, chainId));
  verifyStateProof(c.header.state_root, stateKey(module, recordKey), value, proof);
  return { certifiedHeader, signers };
}

function result(proven, c, set, certifiedHeader, signers, genesis) {
  return {
    proven,
    genesis_set_hash: toHex(validatorSetHash(genesis)),
    height: Number(c.header.height),
    certified_height: Number(certifiedHeader.height),
    block_id: toHex(headerId(c.header)),
    epoch: Number(set.epoch),
    validator_set: describeSet(set, signers),
  };
}

// trust = {chainId, genesisSetHex, epochProofHexes: [...]}
// answer = /api/proof/tx/{id}; transactionIdHex = the id the visitor asked for.
export function verifyTransactionAnswer(trust, transactionIdHex, answer) {
  return verdict(() => {
    const { sets, genesis } = followEpochs(trust.chainId, trust.genesisSetHex, trust.epochProofHexes, trust.pinnedGenesisSetHash);
    const id = fromHex(transactionIdHex, 'transaction id');
    if (id.length !== 32) fail('bad_encoding', 'a transaction id is 32 bytes');
    let tx = null;
    if (answer.transaction_hex != null) {
      tx = decodeTransaction(answer.transaction_hex);
      if (!equal(tx.id, id)) fail('bad_proof', 'the transaction bytes do not hash to its id');
      if (tx.chain_id !== trust.chainId) fail('invalid', `the transaction is for chain '${tx.chain_id}', not '${trust.chainId}'`);
      if (!checkTransactionSignature(tx).signature_ok) fail('bad_signature', "the sender's BIP-340 signature does not verify");
    }
    const c = decodeCertified(answer.certified);
    const set = setForCertified(sets, c);
    const info = decodeTransactionInfo(answer.leaf_hex);
    const proof = decodeInclusionProof(answer.proof_hex);
    const { certifiedHeader, signers } = verifyTransactionDecoded(c, set, trust.chainId, id, info, proof);
    const signed = tx ? `, signed by key ${toHex(tx.public_key).slice(0, 16)}… (BIP-340 signature checked)` : '';
    const proven =
      `transaction ${transactionIdHex} is leaf ${info.version} of the ${c.header.accumulator_size}-leaf accumulator ` +
      `of block ${c.header.height}, outcome ${OUTCOMES[info.outcome]}${signed}`;
    return {
      ...result(proven, c, set, certifiedHeader, signers, genesis),
      kind: 'transaction',
      outcome: OUTCOMES[info.outcome],
      leaf_index: Number(info.version),
      transaction: tx && { module: tx.module, call: tx.call, sender: toHex(tx.sender), sequence: Number(tx.sequence) },
    };
  });
}

// answer = a StateRecord (/api/proof/state/..., or one of /api/records/...):
// module and record key are the ones the visitor asked for.
export function verifyRecordAnswer(trust, module, recordKeyHex, answer) {
  return verdict(() => {
    const { sets, genesis } = followEpochs(trust.chainId, trust.genesisSetHex, trust.epochProofHexes, trust.pinnedGenesisSetHash);
    const c = decodeCertified(answer.certified);
    const set = setForCertified(sets, c);
    const value = answer.value_hex == null ? null : fromHex(answer.value_hex, 'value');
    const proof = decodeStateProof(answer.proof_hex);
    const { certifiedHeader, signers } = verifyStateRecordDecoded(
      c, set, trust.chainId, module, fromHex(recordKeyHex, 'record key'), value, proof,
    );
    const key = fromHex(recordKeyHex, 'record key');
    const printable = new TextDecoder().decode(key);
    const name = /^[\x20-\x7e]+$/.test(printable) ? `"${printable}" (${recordKeyHex})` : recordKeyHex;
    const proven =
      value === null
        ? `record ${module}/${name} does not exist in the state of block ${c.header.height}`
        : `record ${module}/${name} holds this ${value.length}-byte value in the state of block ${c.header.height}`;
    return { ...result(proven, c, set, certifiedHeader, signers, genesis), kind: 'record', present: value !== null };
  });
}

// answer = /api/proof/block/{height} (the node's Block: a certified header and
// its transaction ids). Proves the header at the height asked for is
// committed and, when the list is complete, that its transactions are exactly
// the ids listed (their Merkle root is the header's transactions_root).
export function verifyBlockAnswer(trust, height, answer) {
  return verdict(() => {
    const { sets, genesis } = followEpochs(trust.chainId, trust.genesisSetHex, trust.epochProofHexes, trust.pinnedGenesisSetHash);
    const c = decodeCertified(answer);
    if (c.header.height !== BigInt(height)) fail('bad_proof', `asked for block ${height}, the answer is block ${c.header.height}`);
    const set = setForCertified(sets, c);
    const { certifiedHeader, signers } = prefixed('certified header: ', () => verifyCertifiedHeader(c, set, trust.chainId));
    let listed = '';
    if (Array.isArray(answer.transaction_ids) && !answer.transaction_ids_truncated) {
      const ids = answer.transaction_ids.map((x) => fromHex(x, 'transaction id'));
      if (ids.some((x) => x.length !== 32)) fail('bad_encoding', 'a transaction id is 32 bytes');
      if (!equal(merkleTreeHash(ids), c.header.transactions_root)) {
        fail('bad_proof', "the listed transaction ids do not hash to the header's transactions_root");
      }
      listed = `; its ${ids.length} transactions are exactly the ones listed`;
    }
    const proven = `block ${c.header.height} (${toHex(headerId(c.header))}) is committed${listed}`;
    return { ...result(proven, c, set, certifiedHeader, signers, genesis), kind: 'block' };
  });
}
