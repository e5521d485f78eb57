// Canonical decoding (docs/formats/encoding.md) of the chain's objects
// (docs/formats/chain.md, accumulator.md, state-tree.md, transaction.md).
// Every decoder consumes exactly its input and rejects with the reason names
// of encoding.md: truncated, trailing_bytes, non_canonical, too_large,
// out_of_range, bad_encoding; then the type's own checks (bad_version, ...).
import { fail } from './errors.js';
import { fromHex } from './bytes.js';
import { Tag, taggedHash } from './hash.js';

const MAX_LENGTH = 0xffffffff;
const utf8Strict = new TextDecoder('utf-8', { fatal: true });

export class Reader {
  constructor(bytes) {
    this.b = bytes;
    this.pos = 0;
  }
  remaining() {
    return this.b.length - this.pos;
  }
  need(n, field) {
    if (this.remaining() < n) {
      fail('truncated', `${field}: needs ${n} bytes, ${this.remaining()} left (at byte ${this.pos})`);
    }
  }
  raw(n, field = 'fixed') {
    this.need(n, field);
    const out = this.b.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  u8(field = 'u8') {
    this.need(1, field);
    return this.b[this.pos++];
  }
  // u64 as BigInt (exact), little-endian.
  u64(field = 'u64') {
    const bytes = this.raw(8, field);
    let v = 0n;
    for (let i = 7; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]);
    return v;
  }
  bool(field = 'bool') {
    const b = this.u8(field);
    if (b > 1) fail('non_canonical', `${field}: bool must be 0 or 1, got ${b} (at byte ${this.pos - 1})`);
    return b === 1;
  }
  length(max, field) {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      if (shift > 28) fail('too_large', `${field}: length prefix too long (at byte ${this.pos})`);
      const byte = this.u8(field);
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) {
        if (byte === 0 && shift !== 0) {
          fail('non_canonical', `${field}: non-minimal length prefix (at byte ${this.pos})`);
        }
        break;
      }
    }
    if (value > MAX_LENGTH) fail('too_large', `${field}: length exceeds 2^32-1 (at byte ${this.pos})`);
    if (value > max) {
      fail('too_large', `${field}: length ${value} exceeds maximum ${max} (at byte ${this.pos})`);
    }
    return value;
  }
  bytes(max, field) {
    return this.raw(this.length(max, field), field);
  }
  string(max, field) {
    const raw = this.bytes(max, field);
    try {
      return utf8Strict.decode(raw);
    } catch {
      return fail('bad_encoding', `${field}: not valid UTF-8 (at byte ${this.pos})`);
    }
  }
  seq(max, field, item) {
    const n = this.length(max, field);
    if (n > this.remaining()) fail('truncated', `${field}: count exceeds remaining input (at byte ${this.pos})`);
    const out = [];
    for (let i = 0; i < n; i++) out.push(item(this));
    return out;
  }
  optional(item) {
    return this.bool('optional') ? item(this) : null;
  }
  done(what) {
    if (this.pos !== this.b.length) {
      fail('trailing_bytes', `${what}: ${this.b.length - this.pos} bytes after a complete value`);
    }
  }
}

// Decodes a whole hex string (or bytes) as `what` with item(reader).
export function decodeAll(input, what, item) {
  const bytes = typeof input === 'string' ? fromHex(input, what) : input;
  const r = new Reader(bytes);
  const v = item(r);
  r.done(what);
  return v;
}

function sliced(r, item) {
  const start = r.pos;
  const v = item(r);
  v.bytes = r.b.slice(start, r.pos);
  return v;
}

// ---- Block header (265 bytes) ------------------------------------------------
export function readHeader(r) {
  return sliced(r, () => {
    const h = {
      version: r.u8(),
      epoch: r.u64(),
      height: r.u64(),
      round: r.u64(),
      parent_hash: r.raw(32),
      timestamp_ms: r.u64(),
      proposer: r.raw(32),
      transactions_root: r.raw(32),
      accumulator_root: r.raw(32),
      accumulator_size: r.u64(),
      state_root: r.raw(32),
      validator_set_hash: r.raw(32),
      next_validator_set_hash: r.raw(32),
    };
    return h;
  });
}
export function validateHeader(h) {
  if (h.version !== 1) fail('bad_version', `block header version ${h.version}, expected 1`);
}
export function headerId(h) {
  return taggedHash(Tag.blockHeader, h.bytes);
}
export const decodeHeader = (hex) => {
  const h = decodeAll(hex, 'block header', readHeader);
  validateHeader(h);
  return h;
};

// ---- Validator set -------------------------------------------------------------
export function readValidatorSet(r) {
  return sliced(r, () => ({
    version: r.u8(),
    epoch: r.u64(),
    validators: r.seq(256, 'validators', () => ({
      key: r.raw(32),
      voting_power: r.u64(),
      name: r.string(64, 'name'),
    })),
  }));
}
export function validatorSetHash(s) {
  return taggedHash(Tag.validatorSet, s.bytes);
}

// ---- Ledger info and quorum certificate ---------------------------------------
export function readLedgerInfo(r) {
  return sliced(r, () => ({
    version: r.u8(),
    chain_id: r.string(64, 'chain_id'),
    epoch: r.u64(),
    round: r.u64(),
    commit_block: r.raw(32),
    commit_height: r.u64(),
    consensus_data_hash: r.raw(32),
  }));
}
export function ledgerInfoSigningHash(li) {
  return taggedHash(Tag.ledgerInfo, li.bytes);
}
export function readCertificate(r) {
  return sliced(r, () => ({
    ledger_info: readLedgerInfo(r),
    signer_bitmap: r.bytes(32, 'signer bitmap'),
    signatures: r.seq(256, 'signatures', () => r.raw(64)),
  }));
}
export const decodeCertificate = (hex) => decodeAll(hex, 'quorum certificate', readCertificate);

// ---- Epoch change proof --------------------------------------------------------
export function readEpochChange(r) {
  return {
    commit_certificate: readCertificate(r),
    header: readHeader(r),
    next_set: readValidatorSet(r),
  };
}
export const decodeEpochChangeProof = (hex) =>
  decodeAll(hex, 'epoch change proof', (r) => r.seq(64, 'epoch changes', readEpochChange));

// ---- Transaction info (106 bytes) ---------------------------------------------
export const OUTCOMES = [
  'success',
  'unauthorized',
  'invalid_argument',
  'not_found',
  'already_exists',
  'failed_precondition',
  'limit_exceeded',
];
export function readTransactionInfo(r) {
  return sliced(r, () => {
    const info = {
      format: r.u8(),
      version: r.u64(),
      transaction_id: r.raw(32),
      outcome: r.u8(),
      state_changes_hash: r.raw(32),
      events_hash: r.raw(32),
    };
    if (info.outcome >= OUTCOMES.length) fail('out_of_range', `enum tag ${info.outcome} out of range`);
    return info;
  });
}
export function decodeTransactionInfo(hex) {
  const info = decodeAll(hex, 'transaction info', readTransactionInfo);
  if (info.format !== 1) fail('bad_version', `transaction info format ${info.format}, expected 1`);
  return info;
}

// ---- Inclusion and consistency proofs -------------------------------------------
export function decodeInclusionProof(hex) {
  const p = decodeAll(hex, 'inclusion proof', (r) => ({
    leaf_index: r.u64(),
    tree_size: r.u64(),
    path: r.seq(64, 'path', () => r.raw(32)),
  }));
  if (p.leaf_index >= p.tree_size) {
    fail('invalid', `leaf index ${p.leaf_index} is not below tree size ${p.tree_size}`);
  }
  return p;
}

// ---- Sparse Merkle (state) proof ------------------------------------------------
export function decodeStateProof(hex) {
  const p = decodeAll(hex, 'state proof', (r) => ({
    version: r.u8(),
    siblings: r.seq(256, 'siblings', () => r.raw(32)),
    leaf: r.optional(() => ({ key: r.raw(32), value_hash: r.raw(32) })),
  }));
  if (p.version !== 1) fail('bad_version', `state proof version ${p.version}, expected 1`);
  return p;
}

// ---- Transaction envelope (transaction.md) --------------------------------------
export function decodeTransaction(hex) {
  const bytes = typeof hex === 'string' ? fromHex(hex, 'transaction') : hex;
  if (bytes.length > 131072) fail('too_large', 'transaction over 131,072 bytes');
  const tx = decodeAll(bytes, 'transaction', (r) => ({
    version: r.u8(),
    chain_id: r.string(64, 'chain_id'),
    sender: r.raw(32),
    public_key: r.raw(32),
    sequence: r.u64(),
    expiry_ms: r.u64(),
    module: r.string(32, 'module'),
    call: r.string(64, 'call'),
    payload: r.bytes(65536, 'payload'),
    signature: r.raw(64),
  }));
  if (tx.version !== 1) fail('bad_version', `transaction version ${tx.version}, expected 1`);
  tx.signing_bytes = bytes.slice(0, bytes.length - 64);
  tx.signing_hash = taggedHash(Tag.transaction, tx.signing_bytes);
  tx.id = taggedHash(Tag.transactionId, bytes);
  return tx;
}
