// Validator sets, quorum certificates, committed headers and epoch changes
// (docs/formats/chain.md), checked in the order that document gives, with
// its reason names.
import { fail } from './errors.js';
import { equal, isZero, toHex } from './bytes.js';
import { headerId, ledgerInfoSigningHash, validateHeader, validatorSetHash } from './decode.js';
import { isValidValidatorKey, verifyEd25519 } from './ed25519.js';

const MAX_POWER = 2n ** 40n;
export const MAX_EPOCH_CHANGES = 64;
export const MAX_DESCENDANTS = 4096;

export function validateValidatorSet(s) {
  if (s.version !== 1) fail('bad_version', `validator set version ${s.version} is not supported`);
  if (s.validators.length === 0) fail('invalid', 'validator set is empty');
  if (s.validators.length > 256) fail('too_large', `validator set has ${s.validators.length} members`);
  const seen = new Set();
  s.validators.forEach((v, i) => {
    if (v.voting_power === 0n || v.voting_power > MAX_POWER) {
      fail('out_of_range', `validator ${i}: voting power ${v.voting_power} outside 1..2^40`);
    }
    if (!isValidValidatorKey(v.key)) fail('bad_key', `validator ${i}: not a valid Ed25519 public key`);
  });
  for (const v of s.validators) {
    const k = toHex(v.key);
    if (seen.has(k)) fail('duplicate', 'validator set lists a key twice');
    seen.add(k);
  }
}

export function totalPower(s) {
  return s.validators.reduce((t, v) => t + v.voting_power, 0n);
}
// Q = floor(2T/3) + 1: strictly more than two thirds.
export function quorumPower(s) {
  return (2n * totalPower(s)) / 3n + 1n;
}

function validateLedgerInfo(li) {
  if (li.version !== 1) fail('bad_version', `ledger info version ${li.version} is not supported`);
  if (li.chain_id.length === 0) fail('invalid', 'ledger info: empty chain_id');
  if (isZero(li.commit_block) && li.commit_height !== 0n) {
    fail('invalid', 'ledger info: commit_height without commit_block');
  }
}

function bitSet(bitmap, i) {
  return ((bitmap[i >> 3] >> (i & 7)) & 1) === 1;
}

// verify_quorum: returns the indices of the signers.
export function verifyQuorum(qc, set) {
  const li = qc.ledger_info;
  validateLedgerInfo(li);
  if (li.epoch !== set.epoch) {
    fail('wrong_epoch', `certificate of epoch ${li.epoch} checked against the set of epoch ${set.epoch}`);
  }
  const n = set.validators.length;
  const size = Math.ceil(n / 8);
  if (qc.signer_bitmap.length !== size) {
    fail('non_canonical', `signer bitmap of ${qc.signer_bitmap.length} bytes for ${n} validators (needs ${size})`);
  }
  for (let i = n; i < size * 8; i++) {
    if (bitSet(qc.signer_bitmap, i)) fail('non_canonical', `signer bitmap names index ${i} of a set of ${n}`);
  }
  const signers = [];
  for (let i = 0; i < n; i++) if (bitSet(qc.signer_bitmap, i)) signers.push(i);
  if (signers.length !== qc.signatures.length) {
    fail('invalid', `${qc.signatures.length} signatures for ${signers.length} signers`);
  }
  const power = signers.reduce((p, i) => p + set.validators[i].voting_power, 0n);
  if (power < quorumPower(set)) {
    fail(
      'insufficient_power',
      `signers hold ${power} of ${totalPower(set)} voting power, quorum is ${quorumPower(set)}`,
    );
  }
  const message = ledgerInfoSigningHash(li);
  signers.forEach((i, k) => {
    if (!verifyEd25519(qc.signatures[k], message, set.validators[i].key)) {
      fail('bad_signature', `signature of validator ${i} (${set.validators[i].name}) does not verify`);
    }
  });
  return signers;
}

export function verifyCommittedHeader(header, qc, set, chainId) {
  validateHeader(header);
  if (header.epoch !== set.epoch) {
    fail('wrong_epoch', `header of epoch ${header.epoch} checked against the set of epoch ${set.epoch}`);
  }
  if (!equal(header.validator_set_hash, validatorSetHash(set))) {
    fail('bad_proof', `header's validator_set_hash is not the hash of the set of epoch ${set.epoch}`);
  }
  const li = qc.ledger_info;
  if (li.chain_id !== chainId) fail('invalid', `certificate for chain '${li.chain_id}', expected '${chainId}'`);
  if (!equal(li.commit_block, headerId(header)) || li.commit_height !== header.height) {
    fail('bad_proof', `certificate does not commit this header (height ${header.height})`);
  }
  return verifyQuorum(qc, set);
}

// verify_epoch_changes: the set of the latest epoch the proof reaches.
// `trusted` must already be valid (the genesis set, validated by the caller).
export function verifyEpochChanges(trusted, changes, chainId) {
  if (changes.length > MAX_EPOCH_CHANGES) fail('too_large', `${changes.length} epoch changes in one proof`);
  let current = trusted;
  changes.forEach((c, k) => {
    const where = `epoch change ${k}: `;
    const wrap = (fn) => {
      try {
        fn();
      } catch (e) {
        if (e.reason) fail(e.reason, where + e.detail);
        throw e;
      }
    };
    if (c.header.epoch !== current.epoch) {
      fail('wrong_epoch', `${where}ends epoch ${c.header.epoch}, expected epoch ${current.epoch}`);
    }
    if (equal(c.header.next_validator_set_hash, c.header.validator_set_hash)) {
      fail('invalid', `${where}header at height ${c.header.height} does not end its epoch`);
    }
    wrap(() => verifyCommittedHeader(c.header, c.commit_certificate, current, chainId));
    if (c.next_set.epoch !== current.epoch + 1n) {
      fail('wrong_epoch', `${where}next set has epoch ${c.next_set.epoch}, expected ${current.epoch + 1n}`);
    }
    if (!equal(validatorSetHash(c.next_set), c.header.next_validator_set_hash)) {
      fail('bad_proof', `${where}next set does not match the header's next_validator_set_hash`);
    }
    wrap(() => validateValidatorSet(c.next_set));
    current = c.next_set;
  });
  return current;
}

// verify_certified_header: `certified` = {header, descendants, commit_certificate}
// decoded; `set` the trusted set of the certified (last) header's epoch.
export function verifyCertifiedHeader(certified, set, chainId) {
  const { header, descendants, commit_certificate: qc } = certified;
  if (descendants.length > MAX_DESCENDANTS) fail('too_large', `${descendants.length} descendant headers`);
  let last = header;
  for (const d of descendants) {
    if (!equal(d.parent_hash, headerId(last)) || d.height !== last.height + 1n) {
      fail('bad_proof', `descendant header at height ${d.height} does not follow the header at height ${last.height}`);
    }
    last = d;
  }
  const signers = verifyCommittedHeader(last, qc, set, chainId);
  return { certifiedHeader: last, signers };
}
