#include "bauhinia/contracts/anchor/module.hpp"

#include <charconv>

#include "bauhinia/contracts/check_by_applying.hpp"
#include "bauhinia/contracts/index_list.hpp"

namespace bauhinia::contracts::anchor {

using chain::TxOutcome;

namespace {

CallResult fail(TxOutcome o, std::string reason, std::string detail) {
  return CallResult::failure(o, std::move(reason), std::move(detail));
}

// True for printable text: valid UTF-8 is not checked byte by byte here, but
// control characters (below 0x20, 0x7F) are refused.
bool printable(std::string_view s) {
  for (char c : s) {
    const auto u = static_cast<std::uint8_t>(c);
    if (u < 0x20 || u == 0x7F) return false;
  }
  return true;
}

bool valid_type(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-')) {
      return false;
    }
  }
  return true;
}

// The department that granted `account` anchor.issuer, if that department
// is still active.
std::optional<std::string> issuer_department(const StateView& state,
                                             const core::AccountId& account) {
  auto bytes = state.read(system::kModuleName, system::role_grant_key(account, kIssuerRole));
  if (!bytes) return std::nullopt;
  auto grant = core::decode<system::RoleGrant>(*bytes);
  if (!grant) return std::nullopt;
  auto dep = system::load_department(state, grant->department);
  if (!dep || !dep->active) return std::nullopt;
  return grant->department;
}

CallResult check_issuer(const CallContext& call, const StateView& state,
                        std::string_view department) {
  auto dep = issuer_department(state, call.sender());
  if (!dep) {
    return fail(TxOutcome::kUnauthorized, "not_issuer",
                "the sender holds no anchor.issuer role of an active department");
  }
  if (*dep != department) {
    return fail(TxOutcome::kUnauthorized, "wrong_department",
                "the sender issues for " + *dep + ", not " + std::string(department));
  }
  return CallResult::success();
}

template <class T>
std::optional<T> load(const StateView& state, const Bytes& key) {
  auto bytes = state.read_own(key);
  if (!bytes) return std::nullopt;
  auto v = core::decode<T>(*bytes);
  if (!v) return std::nullopt;
  return std::move(*v);
}

CallResult do_anchor(CallContext& call, StateView& state, const AnchorArgs& a) {
  if (!system::load_department(state, a.department)) {
    return fail(TxOutcome::kNotFound, "unknown_department", "no department '" + a.department + "'");
  }
  if (CallResult r = check_issuer(call, state, a.department); !r.ok()) return r;
  if (!valid_type(a.document_type)) {
    return fail(TxOutcome::kInvalidArgument, "invalid_document_type",
                "a document type is 1-64 of [a-z0-9._-]");
  }
  if (a.reference.empty() || !printable(a.reference)) {
    return fail(TxOutcome::kInvalidArgument, "invalid_reference",
                "a reference is 1-128 printable bytes");
  }
  if (a.document_hash.is_zero()) {
    return fail(TxOutcome::kInvalidArgument, "missing_document", "the document hash is zero");
  }
  const Bytes ref = ref_key(a.department, a.document_type, a.document_hash);
  if (auto existing = load<AnchorRef>(state, ref)) {
    return fail(TxOutcome::kAlreadyExists, "duplicate_anchor",
                "this department anchored this " + a.document_type + " hash as anchor " +
                    std::to_string(existing->id));
  }
  AnchorCounter counter = load<AnchorCounter>(state, counter_key()).value_or(AnchorCounter{});
  AnchorRecord r;
  r.id = counter.next_id;
  r.department = a.department;
  r.document_type = a.document_type;
  r.reference = a.reference;
  r.document_hash = a.document_hash;
  r.issuer = call.sender();
  r.anchored_ms = call.block().timestamp_ms;
  r.anchored_height = call.block().height;
  const Bytes key = anchor_key(r.id);
  if (CallResult res = IndexList(hash_list_name(a.document_hash)).add(state, key); !res.ok()) {
    return res;
  }
  if (CallResult res = IndexList(issuer_list_name(a.department)).add(state, key); !res.ok()) {
    return res;
  }
  counter.next_id += 1;
  state.write(counter_key(), core::encode(counter));
  state.write(ref, core::encode(AnchorRef{AnchorRef::kVersion, r.id}));
  const Bytes encoded = core::encode(r);
  state.write(key, encoded);
  call.emit("anchored", key, encoded);
  return CallResult::success();
}

CallResult do_revoke(CallContext& call, StateView& state, const RevokeArgs& a) {
  const Bytes key = anchor_key(a.id);
  auto bytes = state.read_own(key);
  if (!bytes)
    return fail(TxOutcome::kNotFound, "anchor_not_found", "no anchor " + std::to_string(a.id));
  auto r = core::decode<AnchorRecord>(*bytes);
  if (!r) return fail(TxOutcome::kFailedPrecondition, "corrupt_record", "anchor record corrupt");
  if (CallResult res = check_issuer(call, state, r->department); !res.ok()) return res;
  if (a.reason.empty() || !printable(a.reason)) {
    return fail(TxOutcome::kInvalidArgument, "invalid_reason", "a reason is 1-256 printable bytes");
  }
  if (r->status == AnchorStatus::kRevoked) {
    return fail(TxOutcome::kFailedPrecondition, "already_revoked",
                "anchor " + std::to_string(a.id) + " is revoked");
  }
  r->status = AnchorStatus::kRevoked;
  r->revoked_ms = call.block().timestamp_ms;
  r->revoked_by = call.sender();
  r->revocation_reason = a.reason;
  const Bytes encoded = core::encode(*r);
  state.write(key, encoded);
  call.emit("revoked", key, encoded);
  return CallResult::success();
}

template <class Args, class F>
CallResult run(CallContext& call, StateView& state, F f) {
  auto args = core::decode<Args>(call.tx().payload);
  if (!args) {
    const bool large = args.error().reason == core::Reject::kTooLarge;
    return fail(large ? TxOutcome::kLimitExceeded : TxOutcome::kInvalidArgument,
                large ? "field_too_large" : "malformed_payload",
                call.tx().call + ": " + args.error().to_string());
  }
  return f(call, state, *args);
}

CallResult dispatch(CallContext& call, StateView& state) {
  if (call.tx().call == "anchor") return run<AnchorArgs>(call, state, do_anchor);
  if (call.tx().call == "revoke") return run<RevokeArgs>(call, state, do_revoke);
  return fail(TxOutcome::kInvalidArgument, "unknown_call",
              "module anchor has no call '" + call.tx().call + "' (calls: anchor, revoke)");
}

Bytes with_kind(std::uint8_t kind, std::string_view rest) {
  Bytes k{kind};
  k.insert(k.end(), rest.begin(), rest.end());
  return k;
}

core::Rejection bad_path(std::string detail) {
  return core::reject(core::Reject::kInvalid,
                      "anchor: " + detail +
                          " (queries: anchor/<id>, by_hash/<64 hex>[/page], "
                          "by_issuer/<department>[/page])");
}

}  // namespace

Bytes anchor_key(std::uint64_t id) {
  Bytes k{kAnchorKind};
  for (int shift = 56; shift >= 0; shift -= 8) k.push_back(static_cast<std::uint8_t>(id >> shift));
  return k;
}

Bytes ref_key(std::string_view department, std::string_view type, const core::Hash256& hash) {
  Bytes k = with_kind(kRefKind, department);
  k.push_back(0);
  k.insert(k.end(), type.begin(), type.end());
  k.push_back(0);
  k.insert(k.end(), hash.bytes().begin(), hash.bytes().end());
  return k;
}

Bytes counter_key() {
  return Bytes{kCounterKind};
}

Bytes hash_list_name(const core::Hash256& hash) {
  Bytes n{'h', 'a', 's', 'h', '/'};
  n.insert(n.end(), hash.bytes().begin(), hash.bytes().end());
  return n;
}

Bytes issuer_list_name(std::string_view department) {
  Bytes n{'i', 's', 's', 'u', 'e', 'r', '/'};
  n.insert(n.end(), department.begin(), department.end());
  return n;
}

core::Verdict AnchorModule::check(const CallContext& call, const StateView& state) const {
  return check_by_applying(*this, call, state);
}

CallResult AnchorModule::apply(CallContext& call, StateView& state) const {
  return dispatch(call, state);
}

core::Checked<QueryAnswer> AnchorModule::query(std::string_view path,
                                               const StateView& state) const {
  const auto slash = path.find('/');
  if (slash == std::string_view::npos) return bad_path("no '/' in the path");
  const std::string_view kind = path.substr(0, slash);
  std::string_view rest = path.substr(slash + 1);
  std::string_view page_text;
  if (const auto s2 = rest.find('/'); s2 != std::string_view::npos) {
    page_text = rest.substr(s2 + 1);
    rest = rest.substr(0, s2);
  }
  auto page = parse_page(page_text);
  if (!page) return std::move(page).error();
  if (kind == "anchor") {
    std::uint64_t id = 0;
    const auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), id);
    if (ec != std::errc{} || end != rest.data() + rest.size() || rest.empty() ||
        !page_text.empty()) {
      return bad_path("anchor/<decimal id>");
    }
    QueryAnswer a;
    a.module = std::string(kModuleName);
    a.record_key = anchor_key(id);
    a.value = state.read(kModuleName, a.record_key);
    return a;
  }
  if (kind == "by_hash") {
    auto hash = core::Hash256::from_hex(rest);
    if (!hash) return std::move(hash).error();
    return IndexList(hash_list_name(*hash)).answer_page(state, *page);
  }
  if (kind == "by_issuer") {
    if (rest.empty() || rest.size() > system::kMaxDepartmentCodeSize) {
      return bad_path("a department code of 1-16 bytes");
    }
    return IndexList(issuer_list_name(rest)).answer_page(state, *page);
  }
  return bad_path("unknown query");
}

}  // namespace bauhinia::contracts::anchor
