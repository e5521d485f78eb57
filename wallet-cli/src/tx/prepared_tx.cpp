#include "bauhinia/wallet/prepared_tx.hpp"

#include <algorithm>

#include "../json_text.hpp"
#include "bauhinia/core/encoding.hpp"
#include "bauhinia/wallet/calls/arg_parsers.hpp"

namespace bauhinia::wallet {

namespace {

using nlohmann::json;

constexpr std::string_view kFormat = "bauhinia-prepared-transaction";

core::Rejection bad(std::string detail) {
  return core::reject(core::Reject::kInvalid, std::move(detail));
}

// The co-signatures as the module decodes them after the terms.
struct CosignatureList {
  std::vector<contracts::Cosignature> items;
  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.sequence(s.items, contracts::kMaxCosignatures, "cosignatures");
  }
};

std::string account_text(std::string_view prefix, const core::AccountId& id) {
  return core::encode_address(prefix, id);
}

// An account as the file stores it: its id in hex (the address is for people).
core::Checked<core::AccountId> account_field(const json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return bad(std::string(key) + " is missing");
  auto id = core::AccountId::from_hex(it->get<std::string>());
  if (!id) return bad(std::string(key) + ": 64 hex digits");
  return id;
}

using detail::text_or_empty;

core::Checked<std::string> string_field(const json& j, const char* key, std::size_t max) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return bad(std::string(key) + " is missing");
  std::string s = *it;
  if (s.size() > max) return bad(std::string(key) + " is too long");
  return s;
}

core::Checked<std::uint64_t> u64_field(const json& j, const char* key) {
  const auto it = j.find(key);
  const bool ok = it != j.end() && (it->is_number_unsigned() ||
                                    (it->is_number_integer() && it->get<std::int64_t>() >= 0));
  if (!ok) return bad(std::string(key) + " is missing (a number)");
  return it->get<std::uint64_t>();
}

}  // namespace

chain::Transaction PreparedTx::envelope() const {
  chain::Transaction tx;
  tx.chain_id = chain_id;
  tx.sender = sender;
  tx.public_key = sender_key;
  tx.sequence = sequence;
  tx.expiry_ms = expiry_ms;
  tx.module = module;
  tx.call = call;
  tx.payload = terms;
  if (!cosigners.empty()) {
    // In the module's order of co-signers (those present).
    CosignatureList list;
    for (const auto& who : cosigners) {
      for (const auto& c : cosignatures) {
        if (c.signer == who) list.items.push_back(c);
      }
    }
    const core::Bytes tail = core::encode(list);
    tx.payload.insert(tx.payload.end(), tail.begin(), tail.end());
  }
  if (signature) tx.signature = *signature;
  return tx;
}

std::vector<core::AccountId> PreparedTx::missing_cosigners() const {
  std::vector<core::AccountId> missing;
  for (const auto& who : cosigners) {
    const bool has = std::any_of(cosignatures.begin(), cosignatures.end(),
                                 [&](const contracts::Cosignature& c) { return c.signer == who; });
    if (!has) missing.push_back(who);
  }
  return missing;
}

core::Checked<PreparedTx> prepare(const CallSpec& spec, const Args& args,
                                  const core::AccountId& sender,
                                  const core::schnorr::PublicKey& sender_key, std::string chain_id,
                                  std::uint64_t sequence, std::uint64_t expiry_ms) {
  auto built = spec.build(args);
  if (!built) return std::move(built).error();
  // The file stores --x-hash for every --x-file, so that rebuilding it on
  // another machine never depends on a file.
  auto stored = calls::with_file_hashes(args);
  if (!stored) return std::move(stored).error();
  PreparedTx p;
  p.chain_id = std::move(chain_id);
  p.module = spec.module;
  p.call = spec.call;
  p.args = std::move(*stored);
  p.terms = std::move(built->payload);
  p.description = std::move(built->description);
  p.cosigners = std::move(built->cosigners);
  p.sender = sender;
  p.sender_key = sender_key;
  p.sequence = sequence;
  p.expiry_ms = expiry_ms;
  if (p.cosigners.size() > contracts::kMaxCosignatures) {
    return bad("the call needs more than " + std::to_string(contracts::kMaxCosignatures) +
               " co-signatures");
  }
  if (auto v = p.envelope().validate(); !v) return v.rejection();
  return p;
}

json to_json(const PreparedTx& p, std::string_view prefix) {
  json args = json::object();
  for (const auto& [k, v] : p.args) args[k] = v;
  json cosigners = json::array();
  for (const auto& c : p.cosigners) {
    cosigners.push_back(json{{"account_id", c.to_hex()}, {"address", account_text(prefix, c)}});
  }
  json cosignatures = json::array();
  for (const auto& c : p.cosignatures) {
    cosignatures.push_back(json{{"signer", c.signer.to_hex()},
                                {"key", c.key.to_hex()},
                                {"signature", c.signature.to_hex()}});
  }
  return json{
      {"format", kFormat},
      {"version", kPreparedTxVersion},
      {"chain_id", p.chain_id},
      {"module", p.module},
      {"call", p.call},
      {"args", std::move(args)},
      {"description", p.description},
      {"terms_hex", core::to_hex(p.terms)},
      {"sender", json{{"account_id", p.sender.to_hex()},
                      {"address", account_text(prefix, p.sender)},
                      {"public_key", p.sender_key.to_hex()}}},
      {"sequence", p.sequence},
      {"expiry_ms", p.expiry_ms},
      {"cosigners", std::move(cosigners)},
      {"cosignatures", std::move(cosignatures)},
      {"signature", p.signature ? json(p.signature->to_hex()) : json(nullptr)},
      {"transaction_id", p.signature ? json(p.envelope().id().to_hex()) : json(nullptr)},
  };
}

core::Checked<PreparedTx> prepared_from_json(const json& j) {
  if (!j.is_object()) return bad("not a JSON object");
  if (text_or_empty(j, "format") != kFormat) {
    return bad("not a prepared transaction (format is not " + std::string(kFormat) + ")");
  }
  auto version = u64_field(j, "version");
  if (!version || *version != kPreparedTxVersion)
    return bad("unknown version (this wallet reads 1)");
  PreparedTx p;
  auto chain_id = string_field(j, "chain_id", chain::kMaxTxChainIdSize);
  auto module = string_field(j, "module", chain::kMaxModuleNameSize);
  auto call = string_field(j, "call", chain::kMaxCallNameSize);
  auto terms = string_field(j, "terms_hex", 2 * chain::kMaxPayloadSize);
  auto sequence = u64_field(j, "sequence");
  auto expiry = u64_field(j, "expiry_ms");
  for (const auto* e : {&chain_id, &module, &call, &terms}) {
    if (!*e) return e->error();
  }
  if (!sequence) return sequence.error();
  if (!expiry) return expiry.error();
  p.chain_id = *chain_id;
  p.module = *module;
  p.call = *call;
  auto terms_bytes = core::from_hex(*terms);
  if (!terms_bytes) return bad("terms_hex is not hex");
  p.terms = std::move(*terms_bytes);
  p.sequence = *sequence;
  p.expiry_ms = *expiry;

  const json args = j.value("args", json());
  if (!args.is_object() || args.size() > 64) return bad("args must be an object (at most 64)");
  for (const auto& [k, v] : args.items()) {
    if (!v.is_string() || k.size() > 64 || v.get<std::string>().size() > 4096) {
      return bad("args: each a string (name <= 64, value <= 4096 bytes)");
    }
    p.args.emplace(k, v.get<std::string>());
  }
  const json description = j.value("description", json::array());
  if (!description.is_array() || description.size() > 64) return bad("description: a list");
  for (const auto& d : description) {
    if (!d.is_string()) return bad("description: strings");
    p.description.push_back(d.get<std::string>().substr(0, 1024));
  }
  const json sender = j.value("sender", json());
  if (!sender.is_object()) return bad("sender is missing");
  auto sender_id = account_field(sender, "account_id");
  if (!sender_id) return sender_id.error();
  p.sender = *sender_id;
  auto sender_key = core::schnorr::PublicKey::from_hex(text_or_empty(sender, "public_key"));
  if (!sender_key) return bad("sender.public_key is not a BIP-340 key");
  p.sender_key = *sender_key;

  const json cosigners = j.value("cosigners", json::array());
  if (!cosigners.is_array() || cosigners.size() > contracts::kMaxCosignatures) {
    return bad("cosigners: a list of at most " + std::to_string(contracts::kMaxCosignatures));
  }
  for (const auto& c : cosigners) {
    if (!c.is_object()) return bad("cosigners: objects");
    auto id = account_field(c, "account_id");
    if (!id) return id.error();
    p.cosigners.push_back(*id);
  }
  const json cosignatures = j.value("cosignatures", json::array());
  if (!cosignatures.is_array() || cosignatures.size() > contracts::kMaxCosignatures) {
    return bad("cosignatures: a list of at most " + std::to_string(contracts::kMaxCosignatures));
  }
  for (const auto& c : cosignatures) {
    if (!c.is_object()) return bad("cosignatures: objects");
    contracts::Cosignature cs;
    auto id = account_field(c, "signer");
    if (!id) return id.error();
    cs.signer = *id;
    auto key = core::schnorr::PublicKey::from_hex(text_or_empty(c, "key"));
    if (!key) return bad("cosignatures: key is not a BIP-340 key");
    cs.key = *key;
    auto sig = core::schnorr::Signature::from_hex(text_or_empty(c, "signature"));
    if (!sig) return bad("cosignatures: signature is not 64 bytes of hex");
    cs.signature = *sig;
    p.cosignatures.push_back(cs);
  }
  const json signature = j.value("signature", json());
  if (!signature.is_null()) {
    auto sig = signature.is_string()
                   ? core::schnorr::Signature::from_hex(signature.get<std::string>())
                   : core::schnorr::Signature::from_hex("");
    if (!sig) return bad("signature is not 64 bytes of hex");
    p.signature = *sig;
  }
  if (auto v = p.envelope().validate(); !v) return v.rejection();
  return p;
}

core::Verdict check(const PreparedTx& p) {
  const CallSpec* spec = find_call(p.module, p.call);
  if (spec == nullptr) {
    return bad("this wallet has no call " + p.module + "." + p.call);
  }
  auto built = spec->build(p.args);
  if (!built) {
    return bad("tampered: the stored arguments do not build: " + built.error().detail);
  }
  if (built->payload != p.terms) {
    return bad("tampered: the stored terms are not what the stored arguments build");
  }
  if (built->cosigners != p.cosigners) {
    return bad("tampered: the required co-signers are not the call's");
  }
  const chain::Transaction unsigned_tx = [&] {
    PreparedTx copy = p;
    copy.signature.reset();
    return copy.envelope();
  }();
  const core::Hash256 challenge = contracts::cosign_challenge(unsigned_tx, p.terms).hash();
  std::vector<core::AccountId> seen;
  for (const auto& c : p.cosignatures) {
    if (std::find(p.cosigners.begin(), p.cosigners.end(), c.signer) == p.cosigners.end()) {
      return bad("tampered: a co-signature by " + c.signer.to_hex() + ", who is not a co-signer");
    }
    if (std::find(seen.begin(), seen.end(), c.signer) != seen.end()) {
      return bad("tampered: two co-signatures by " + c.signer.to_hex());
    }
    seen.push_back(c.signer);
    if (!core::schnorr::verify(c.key, challenge.view(), c.signature)) {
      return bad("tampered: the co-signature by " + c.signer.to_hex() +
                 " does not verify over these terms");
    }
  }
  if (p.signature) {
    const chain::Transaction tx = p.envelope();
    if (auto v = tx.check_context_free(); !v) {
      return bad("tampered: the envelope signature does not verify: " + v.rejection().to_string());
    }
  }
  return core::Verdict::accept();
}

core::Verdict add_cosignature(PreparedTx& p, const core::AccountId& signer,
                              const core::schnorr::SecretKey& key, std::uint64_t now_ms) {
  if (p.expired(now_ms)) return bad("expired: the transaction was valid until its expiry");
  if (p.signature)
    return bad("the sender has signed the envelope already; co-signatures come first");
  if (std::find(p.cosigners.begin(), p.cosigners.end(), signer) == p.cosigners.end()) {
    return bad("account " + signer.to_hex() + " is not a co-signer this call requires");
  }
  for (const auto& c : p.cosignatures) {
    if (c.signer == signer) return bad("account " + signer.to_hex() + " has signed already");
  }
  const chain::Transaction tx = p.envelope();
  p.cosignatures.push_back(contracts::cosign(tx, p.terms, key, signer));
  // Keep them in the module's order.
  std::vector<contracts::Cosignature> ordered;
  for (const auto& who : p.cosigners) {
    for (const auto& c : p.cosignatures) {
      if (c.signer == who) ordered.push_back(c);
    }
  }
  p.cosignatures = std::move(ordered);
  return core::Verdict::accept();
}

core::Verdict sign_envelope(PreparedTx& p, const core::schnorr::SecretKey& key,
                            std::uint64_t now_ms) {
  if (p.expired(now_ms)) return bad("expired: the transaction was valid until its expiry");
  if (p.signature) return bad("the envelope is signed already");
  if (key.public_key() != p.sender_key) {
    return bad("this key is not the sender's key named in the file");
  }
  if (const auto missing = p.missing_cosigners(); !missing.empty()) {
    return bad("co-signatures still missing (" + std::to_string(missing.size()) +
               "); the sender signs last");
  }
  chain::Transaction tx = p.envelope();
  tx.sign(key);
  p.signature = tx.signature;
  return core::Verdict::accept();
}

}  // namespace bauhinia::wallet
