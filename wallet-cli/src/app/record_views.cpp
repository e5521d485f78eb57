#include "record_views.hpp"

#include "bauhinia/contracts/accounts.hpp"
#include "bauhinia/contracts/company/records.hpp"
#include "bauhinia/contracts/health/records.hpp"
#include "bauhinia/contracts/system/proposals.hpp"
#include "bauhinia/contracts/system/records.hpp"
#include "bauhinia/contracts/trademark/records.hpp"
#include "bauhinia/core/encoding.hpp"

namespace bauhinia::wallet {

namespace {

namespace tm = contracts::trademark;
namespace co = contracts::company;
namespace sys = contracts::system;

std::string address(const Context& ctx, const core::AccountId& id) {
  return core::encode_address(ctx.options.address_prefix, id);
}

std::string date_of(std::uint64_t ms) {
  return ms == 0 ? "-" : utc_time(ms).substr(0, 10);
}

std::string names(const std::string& en, const std::string& zh) {
  if (en.empty()) return zh;
  if (zh.empty()) return en;
  return en + " " + zh;
}

Rows mark_rows(const Context& ctx, const tm::MarkRecord& m) {
  Rows rows{{"trade mark", m.number + "  " + names(m.text_en, m.text_zh)},
            {"status", std::string(tm::status_name(m.status))},
            {"owner", names(m.owner.name_en, m.owner.name_zh) +
                          (m.owner.cr_number.empty() ? "" : " (CR " + m.owner.cr_number + ")") +
                          "  " + address(ctx, m.owner.account)}};
  for (const auto& c : m.classes) {
    std::string items;
    for (const auto& i : c.items) items += (items.empty() ? "" : "; ") + i;
    rows.emplace_back("  class " + std::to_string(c.nice_class), items.empty() ? "(all)" : items);
  }
  rows.emplace_back("filed", date_of(m.filing_date_ms));
  if (m.expiry_ms != 0) {
    rows.emplace_back("expires",
                      date_of(m.expiry_ms) + " (renewals " + std::to_string(m.renewals) + ")");
  }
  if (m.ground != tm::Ground::kNone)
    rows.emplace_back("ground", std::string(tm::ground_name(m.ground)));
  if (!m.parent.empty()) rows.emplace_back("split from", m.parent);
  for (const auto& child : m.children) rows.emplace_back("split off", child);
  rows.emplace_back("history entries", std::to_string(m.history_size));
  return rows;
}

Rows company_rows(const Context& ctx, const co::CompanyRecord& c) {
  Rows rows{{"company", c.number + "  " + names(c.name_en, c.name_zh)},
            {"type", std::string(co::type_name(c.type))},
            {"status", std::string(co::status_name(c.status))},
            {"office", c.registered_office},
            {"account", address(ctx, c.account)},
            {"incorporated", c.incorporation_date.to_string()},
            {"next annual return",
             c.next_return_date.to_string() + " (due " + c.next_return_due.to_string() + ")"},
            {"returns filed", std::to_string(c.returns_filed)},
            {"filings", std::to_string(c.filings)},
            {"officers", std::to_string(c.officers)}};
  if (c.migrated_height) {
    rows.emplace_back("migrated",
                      "from the legacy register at block " + std::to_string(*c.migrated_height));
  }
  return rows;
}

Rows proposal_rows(const Context& ctx, const sys::ProposalRecord& p) {
  Rows rows{
      {"proposal", std::to_string(p.id) + ": " + std::string(sys::proposal_kind_name(p.kind))},
      {"status", std::string(sys::proposal_status_name(p.status))},
      {"proposed by", p.proposer_department + " (" + address(ctx, p.proposer) + ")"},
      {"expires", utc_time(p.expiry_ms)}};
  for (const auto& a : p.approvals) {
    rows.emplace_back("approved by", a.department + " at block " + std::to_string(a.height));
  }
  return rows;
}

Rows account_rows(const contracts::accounts::AccountRecord& a) {
  return {{"key", a.key.to_hex()},
          {"next sequence", std::to_string(a.next_sequence)},
          {"created at", "block " + std::to_string(a.created_height)},
          {"key rotations", std::to_string(a.key_rotations)}};
}

Rows health_consent_rows(const Context& ctx, const contracts::health::Consent& c) {
  namespace hl = contracts::health;
  Rows rows{{"consent", c.id.to_hex()},
            {"patient", address(ctx, c.patient)},
            {"provider", address(ctx, c.provider)},
            {"record type", std::string(hl::record_type_name(c.record_type))},
            {"granted", utc_time(c.granted_ms)},
            {"until", utc_time(c.until_ms)}};
  rows.emplace_back("status", c.status == hl::ConsentStatus::kWithdrawn
                                  ? "withdrawn at " + utc_time(c.withdrawn_ms)
                                  : "active");
  return rows;
}

Rows health_access_rows(const Context& ctx, const contracts::health::AccessEntry& a) {
  namespace hl = contracts::health;
  return {{"access", a.id.to_hex()},
          {"record", a.record_id.to_hex()},
          {"consent", a.consent_id.to_hex()},
          {"provider", address(ctx, a.provider)},
          {"patient", address(ctx, a.patient)},
          {"record type", std::string(hl::record_type_name(a.record_type))},
          {"accessed", utc_time(a.accessed_ms) + " (block " + std::to_string(a.height) + ")"}};
}

template <class T, class F>
std::optional<Rows> view(core::ByteView value, F&& rows_of) {
  auto r = core::decode<T>(value);
  if (!r) return std::nullopt;
  return rows_of(*r);
}

}  // namespace

Rows health_record_rows(const Context& ctx, const contracts::health::HealthRecord& r) {
  namespace hl = contracts::health;
  Rows rows{{"health record", r.id.to_hex()},
            {"type", std::string(hl::record_type_name(r.record_type))},
            {"issuer", address(ctx, r.issuer)},
            {"subject", address(ctx, r.subject)},
            {"commitment", r.commitment.to_hex()},
            {"issued", utc_time(r.issued_ms) + " (block " + std::to_string(r.issued_height) + ")"}};
  if (r.status == hl::RecordStatus::kRevoked) {
    const auto reason = static_cast<hl::RevocationReason>(r.revocation_reason);
    rows.emplace_back("status", "revoked at " + utc_time(r.revoked_ms) + " (" +
                                    std::string(hl::revocation_reason_name(reason)) + ")");
  } else {
    rows.emplace_back("status", "active");
  }
  rows.emplace_back(
      "erased",
      r.erased ? "yes, at " + utc_time(r.erased_ms) + " by " + address(ctx, r.erased_by) : "no");
  return rows;
}

std::optional<Rows> describe_record(const Context& ctx, std::string_view module, core::ByteView key,
                                    core::ByteView value) {
  if (key.empty()) return std::nullopt;
  const std::uint8_t kind = key[0];
  if (module == "accounts" && kind == contracts::accounts::kAccountRecordKind) {
    return view<contracts::accounts::AccountRecord>(value,
                                                    [](const auto& a) { return account_rows(a); });
  }
  if (module == "trademark" && kind == tm::kMarkKind) {
    return view<tm::MarkRecord>(value, [&](const auto& m) { return mark_rows(ctx, m); });
  }
  if (module == "company" && kind == co::kCompanyKind) {
    return view<co::CompanyRecord>(value, [&](const auto& c) { return company_rows(ctx, c); });
  }
  if (module == "health") {
    namespace hl = contracts::health;
    if (kind == hl::kRecordKind) {
      return view<hl::HealthRecord>(value,
                                    [&](const auto& r) { return health_record_rows(ctx, r); });
    }
    if (kind == hl::kCommitmentKind) {
      return view<hl::CommitmentRef>(value, [](const auto& c) {
        return Rows{{"commitment of record", c.record_id.to_hex()}};
      });
    }
    if (kind == hl::kConsentKind) {
      return view<hl::Consent>(value, [&](const auto& c) { return health_consent_rows(ctx, c); });
    }
    if (kind == hl::kAccessKind) {
      return view<hl::AccessEntry>(value,
                                   [&](const auto& a) { return health_access_rows(ctx, a); });
    }
  }
  if (auto rows = describe_register_record(ctx, module, kind, value)) return rows;
  if (module == "system" && kind == sys::kProposalKind) {
    return view<sys::ProposalRecord>(value, [&](const auto& p) { return proposal_rows(ctx, p); });
  }
  return std::nullopt;
}

void print_record(const Context& ctx, const nlohmann::json& j) {
  using nlohmann::json;
  const std::string module = text_of(j.value("module", json()));
  const std::string key_hex = text_of(j.value("record_key_hex", json()));
  const json value = j.value("value_hex", json());
  Rows rows{{"record", module + "/" + key_hex},
            {"proven at", "block " + text_of(j.value("height", json()))}};
  auto view_of = [&ctx](const std::string& m, const json& key,
                        const json& v) -> std::optional<Rows> {
    if (!key.is_string() || !v.is_string()) return std::nullopt;
    auto k = core::from_hex(key.get<std::string>());
    auto b = core::from_hex(v.get<std::string>());
    if (!k || !b) return std::nullopt;
    return describe_record(ctx, m, *k, *b);
  };
  if (value.is_null()) {
    rows.emplace_back("value", "(none: the record does not exist)");
  } else if (auto fields = view_of(module, j.value("record_key_hex", json()), value)) {
    rows.insert(rows.end(), fields->begin(), fields->end());
  } else if (j.contains("records")) {
    rows.emplace_back("list", std::to_string(j["records"].size()) + " records on this page");
  } else {
    const std::string hex = text_of(value);
    rows.emplace_back("value", std::to_string(hex.size() / 2) + " bytes: " + hex);
  }
  for (const auto& r : j.value("records", json::array())) {
    const std::string m = text_of(r.value("module", json()));
    const json v = r.value("value_hex", json());
    std::string line = m + "/" + text_of(r.value("record_key_hex", json()));
    if (v.is_null()) {
      line += "  (deleted)";
    } else if (auto fields = view_of(m, r.value("record_key_hex", json()), v);
               fields && !fields->empty()) {
      line = fields->front().second;
      if (fields->size() > 1) line += "  (" + (*fields)[1].second + ")";
    }
    rows.emplace_back("  listed", line);
  }
  if (j.contains("next_page") && !j["next_page"].is_null()) {
    rows.emplace_back("next page", text_of(j["next_page"]) + " (use --page)");
  }
  print_rows(*ctx.out, rows);
}

}  // namespace bauhinia::wallet
