// Queries: each answer is a record of the module (proven by the node) and,
// for lists, the records it names, a page at a time (index_list.hpp).
//   record/<id>                         the health record
//   verify/<commitment>                 the commitment's reference and the record it names
//   consent/<id>, access/<id>           a consent, an access log entry
//   record/<id>/accesses[/page]         the accesses to a record
//   patient/<account>/records[/page]    the patient's records
//   patient/<account>/consents[/page]   the consents the patient gave
//   patient/<account>/accesses[/page]   every access to the patient's records
//   provider/<account>/consents[/page]  the consents given to a provider
//   issuer/<account>/records[/page]     the records a facility issued
// Ids, commitments and accounts are 64 hex digits.

#include <vector>

#include "bauhinia/contracts/health/module.hpp"
#include "bauhinia/contracts/index_list.hpp"

namespace bauhinia::contracts::health {

namespace {

constexpr std::string_view kUsage =
    " (queries: record/<id>, verify/<commitment>, consent/<id>, access/<id>, "
    "record/<id>/accesses[/page], patient/<account>/{records,consents,accesses}[/page], "
    "provider/<account>/consents[/page], issuer/<account>/records[/page])";

core::Rejection bad(std::string detail) {
  return core::reject(core::Reject::kInvalid, "health: " + detail + std::string(kUsage));
}

QueryAnswer single(const StateView& state, Bytes key) {
  QueryAnswer a;
  a.module = std::string(kModuleName);
  a.value = state.read(kModuleName, key);
  a.record_key = std::move(key);
  return a;
}

}  // namespace

core::Checked<QueryAnswer> HealthModule::query(std::string_view path,
                                               const StateView& state) const {
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    const auto slash = path.find('/', start);
    parts.push_back(path.substr(start, slash - start));
    if (slash == std::string_view::npos || parts.size() > 4) break;
    start = slash + 1;
  }
  if (parts.size() < 2 || parts.size() > 4) return bad("malformed path");
  const std::string_view kind = parts[0];
  const std::string_view arg = parts[1];
  const std::string_view sub = parts.size() >= 3 ? parts[2] : std::string_view{};
  const std::string_view page_text = parts.size() == 4 ? parts[3] : std::string_view{};

  if (kind == "record" || kind == "verify" || kind == "consent" || kind == "access") {
    auto id = core::Hash256::from_hex(arg);
    if (!id) return bad("'" + std::string(arg.substr(0, 16)) + "' is not 64 hex digits");
    if (parts.size() == 2) {
      if (kind == "record") return single(state, record_key(*id));
      if (kind == "consent") return single(state, consent_key(*id));
      if (kind == "access") return single(state, access_key(*id));
      QueryAnswer a = single(state, commitment_key(*id));
      if (a.value) {
        auto ref = core::decode<CommitmentRef>(*a.value);
        if (!ref) return bad("stored commitment reference does not decode");
        QueryAnswer r = single(state, record_key(ref->record_id));
        a.related.push_back(QueryRecord{r.module, std::move(r.record_key), std::move(r.value)});
      }
      return a;
    }
    if (kind == "record" && sub == "accesses") {
      auto page = parse_page(page_text);
      if (!page) return std::move(page).error();
      return IndexList(record_accesses_list(*id)).answer_page(state, *page);
    }
    return bad("no query '" + std::string(kind) + "/<id>/" + std::string(sub.substr(0, 16)) + "'");
  }
  if (kind == "patient" || kind == "provider" || kind == "issuer") {
    if (parts.size() < 3) return bad(std::string(kind) + "/<account>/<list>");
    auto account = core::AccountId::from_hex(arg);
    if (!account) return bad("'" + std::string(arg.substr(0, 16)) + "' is not 64 hex digits");
    auto page = parse_page(page_text);
    if (!page) return std::move(page).error();
    std::optional<Bytes> name;
    if (kind == "patient" && sub == "records") name = patient_records_list(*account);
    if (kind == "patient" && sub == "consents") name = patient_consents_list(*account);
    if (kind == "patient" && sub == "accesses") name = patient_accesses_list(*account);
    if (kind == "provider" && sub == "consents") name = provider_consents_list(*account);
    if (kind == "issuer" && sub == "records") name = issuer_records_list(*account);
    if (!name) {
      return bad("no list '" + std::string(kind) + "/<account>/" + std::string(sub.substr(0, 16)) +
                 "'");
    }
    return IndexList(*name).answer_page(state, *page);
  }
  return bad("no query '" + std::string(kind.substr(0, 16)) + "'");
}

}  // namespace bauhinia::contracts::health
