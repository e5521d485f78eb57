#include "bauhinia/contracts/accounts.hpp"

#include <algorithm>
#include <map>
#include <string>
#include <utility>

namespace bauhinia::contracts::accounts {

namespace {

using chain::TxOutcome;

Bytes record_key(std::uint8_t kind, const core::AccountId& id) {
  Bytes k;
  k.reserve(1 + core::AccountId::kSize);
  k.push_back(kind);
  k.insert(k.end(), id.bytes.begin(), id.bytes.end());
  return k;
}

// A decoded call: exactly one of the argument structs, by call name.
struct ParsedCall {
  std::optional<PingArgs> ping;
  std::optional<RotateKeyArgs> rotate;
};

core::Checked<ParsedCall> parse_call(const chain::Transaction& tx) {
  ParsedCall out;
  if (tx.call == "ping") {
    auto args = core::decode<PingArgs>(tx.payload);
    if (!args) return std::move(args).error();
    out.ping = std::move(*args);
    return out;
  }
  if (tx.call == "rotate_key") {
    auto args = core::decode<RotateKeyArgs>(tx.payload);
    if (!args) return std::move(args).error();
    out.rotate = std::move(*args);
    return out;
  }
  return core::reject(core::Reject::kInvalid,
                      "module accounts has no call '" + tx.call + "' (calls: ping, rotate_key)");
}

// The rules of rotate_key that do not depend on state.
core::Verdict check_rotation(const chain::Transaction& tx, const RotateKeyArgs& args) {
  if (!core::schnorr::PublicKey::from_bytes(args.new_key.bytes)) {
    return core::reject(core::Reject::kBadKey, "rotate_key: new_key is not a valid x-only key");
  }
  if (args.new_key == tx.public_key) {
    return core::reject(core::Reject::kInvalid, "rotate_key: new_key is the current key");
  }
  const RotationChallenge challenge{tx.chain_id, tx.sender, tx.sequence, args.new_key};
  if (!core::schnorr::verify(args.new_key, challenge.hash().view(), args.proof)) {
    return core::reject(core::Reject::kBadSignature,
                        "rotate_key: proof is not new_key's signature of the rotation challenge");
  }
  return core::Verdict::accept();
}

TxOutcome outcome_of(const core::Rejection& r) {
  switch (r.reason) {
    case core::Reject::kTooLarge: return TxOutcome::kLimitExceeded;
    case core::Reject::kBadSignature: return TxOutcome::kUnauthorized;
    default: return TxOutcome::kInvalidArgument;
  }
}

// Reads and decodes a record of this module; a stored record that does not
// decode is a corrupt state, reported as kFailedPrecondition (never a crash).
template <class T>
std::optional<core::Checked<T>> read_record(const StateView& state, const Bytes& key) {
  auto bytes = state.read_own(key);
  if (!bytes) return std::nullopt;
  return core::decode<T>(*bytes);
}

core::Checked<QueryAnswer> answer(const StateView& state, Bytes key) {
  QueryAnswer a;
  a.module = std::string(kModuleName);
  a.value = state.read(kModuleName, key);
  a.record_key = std::move(key);
  return a;
}

}  // namespace

Bytes account_record_key(const core::AccountId& id) {
  return record_key(kAccountRecordKind, id);
}
Bytes ping_record_key(const core::AccountId& id) {
  return record_key(kPingRecordKind, id);
}

core::Verdict AccountRecord::validate() const {
  if (version != kVersion) {
    return core::reject(core::Reject::kBadVersion,
                        "account record version " + std::to_string(version));
  }
  return core::Verdict::accept();
}

core::Verdict PingRecord::validate() const {
  if (version != kVersion) {
    return core::reject(core::Reject::kBadVersion,
                        "ping record version " + std::to_string(version));
  }
  return core::Verdict::accept();
}

core::Hash256 RotationChallenge::hash() const {
  return core::hash_of(core::HashTag::kKeyRotation, *this);
}

core::Result<std::optional<AccountRecord>> load_account(const StateReader& state,
                                                        const core::AccountId& id) {
  using Out = std::optional<AccountRecord>;
  auto key = chain::state_key(kModuleName, account_record_key(id));
  BAUHINIA_ASSERT(key.has_value());
  auto bytes = state.read(*key);
  if (!bytes) return std::move(bytes).error();
  if (!*bytes) return Out{};
  auto record = core::decode<AccountRecord>(**bytes);
  if (!record) {
    return core::Status::corruption("account record of " + id.to_hex() +
                                    " does not decode: " + record.error().to_string());
  }
  return Out{std::move(*record)};
}

std::vector<std::pair<core::AccountId, std::uint64_t>> next_sequences(const WriteSet& writes) {
  std::map<core::AccountId, std::uint64_t> out;
  for (const auto& [key, w] : writes) {
    if (w.module != kModuleName || !w.value) continue;
    if (w.record_key.size() != 1 + core::AccountId::kSize) continue;
    if (w.record_key[0] != kAccountRecordKind) continue;
    auto record = core::decode<AccountRecord>(*w.value);
    if (!record) continue;
    core::AccountId id;
    std::copy(w.record_key.begin() + 1, w.record_key.end(), id.bytes.begin());
    out[id] = record->next_sequence;
  }
  return {out.begin(), out.end()};
}

Bytes make_rotate_key_payload(std::string_view chain_id, const core::AccountId& account,
                              std::uint64_t sequence, const core::schnorr::SecretKey& new_key) {
  const RotationChallenge challenge{std::string(chain_id), account, sequence, new_key.public_key()};
  RotateKeyArgs args;
  args.new_key = new_key.public_key();
  args.proof = new_key.sign(challenge.hash().bytes());
  return core::encode(args);
}

core::Verdict AccountsModule::check(const CallContext& call, const StateView& /*state*/) const {
  auto parsed = parse_call(call.tx());
  if (!parsed) return std::move(parsed).error();
  if (parsed->rotate) return check_rotation(call.tx(), *parsed->rotate);
  return core::Verdict::accept();
}

CallResult AccountsModule::apply(CallContext& call, StateView& state) const {
  const chain::Transaction& tx = call.tx();
  auto parsed = parse_call(tx);
  if (!parsed) {
    return CallResult::failure(outcome_of(parsed.error()), parsed.error().to_string());
  }

  if (parsed->rotate) {
    const RotateKeyArgs& args = *parsed->rotate;
    if (core::Verdict v = check_rotation(tx, args); !v) {
      return CallResult::failure(outcome_of(v.rejection()), v.rejection().to_string());
    }
    const Bytes key = account_record_key(tx.sender);
    auto record = read_record<AccountRecord>(state, key);
    // The Executor created or updated the record before the call.
    if (!record) return CallResult::failure(TxOutcome::kNotFound, "rotate_key: no account record");
    if (!*record) {
      return CallResult::failure(
          TxOutcome::kFailedPrecondition,
          "rotate_key: stored account record is corrupt: " + record->error().to_string());
    }
    AccountRecord updated = **record;
    const KeyRotatedEvent event{tx.sender, updated.key, args.new_key};
    updated.key = args.new_key;
    updated.key_updated_height = call.block().height;
    updated.key_rotations += 1;
    state.write(key, core::encode(updated));
    call.emit("key_rotated", key, core::encode(event));
    return CallResult::success();
  }

  const PingArgs& args = *parsed->ping;
  const Bytes key = ping_record_key(tx.sender);
  PingRecord ping;
  if (auto previous = read_record<PingRecord>(state, key)) {
    if (!*previous) {
      return CallResult::failure(
          TxOutcome::kFailedPrecondition,
          "ping: stored ping record is corrupt: " + previous->error().to_string());
    }
    ping = **previous;
  }
  ping.count += 1;
  ping.last_height = call.block().height;
  ping.last_timestamp_ms = call.block().timestamp_ms;
  ping.last_memo = args.memo;
  state.write(key, core::encode(ping));
  call.emit("ping", key, core::encode(PingEvent{tx.sender, ping.count, args.memo}));
  return CallResult::success();
}

core::Checked<QueryAnswer> AccountsModule::query(std::string_view path,
                                                 const StateView& state) const {
  const auto slash = path.find('/');
  const std::string_view kind = path.substr(0, slash);
  if (slash == std::string_view::npos || (kind != "account" && kind != "ping")) {
    return core::reject(core::Reject::kInvalid,
                        "accounts: query 'account/<id hex>' or 'ping/<id hex>'");
  }
  auto id = core::AccountId::from_hex(path.substr(slash + 1));
  if (!id) return std::move(id).error();
  return answer(state, kind == "account" ? account_record_key(*id) : ping_record_key(*id));
}

}  // namespace bauhinia::contracts::accounts
